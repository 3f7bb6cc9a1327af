"""Stage `symmetry`: the blog's networks from an exact constant init, trained past the plateau and watched.

Runs are the arms of :func:`aerepro.symmetry.grid.expand_symmetry`, trained
with :func:`ae.fit_many` on the 16 one-hot inputs. Writes a run folder
(:mod:`aerepro.runs`) whose runs table adds, per run, the epoch at which the
units separated (``separated_at``), the largest spread seen and the BLAS
kernel it ran on; the recorded spreads (long form); and the DVC metrics file
(per configuration and dtype: how many constants separated, and the first
epoch).
"""

import time
import warnings

import pandas as pd
from sklearn.exceptions import ConvergenceWarning

from ae import SymmetricInitWarning, fit_many

from ..io import write_csv, write_json
from ..params import load_params
from ..runs import RECORDS, read_data, write_run_folder
from .analysis import kernel_table, separation_facts, start_table
from .grid import estimator_of, expand_symmetry
from .worker import KernelFit, blas_kernel
from .schema import SCHEMA

__all__ = ["PARAMS", "train"]

#: The keys of params.yaml the stage reads.
PARAMS = ("symmetry", "study.configurations", "study.inits",
          "study.protocols.${symmetry.budget_protocol}.max_iter", "train.curve_points", "train.n_jobs")


def _records(runs, estimators):
    frames = [pd.DataFrame({"run": r.name, "epoch": e.record_epochs_, **e.records_})
              for r, e in zip(runs, estimators) if e.records_]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["run", "epoch"])


def _fit(runs, estimators, X, n_jobs, here):
    """Fit every run, in place: those of the kernel arm in a process per core type; return each run's kernel."""
    kernels = [here] * len(runs)
    by_core = {}
    for i, run in enumerate(runs):
        by_core.setdefault(run.coords["core_type"], []).append(i)
    local = by_core.pop("", [])
    # Each kernel's child process trains beside the local runs: one process each, they fill the cores
    # the local stacks leave idle as they finish.
    children = {}
    try:
        for core, members in by_core.items():
            children[core] = KernelFit([estimators[i] for i in members], X, core)
        with warnings.catch_warnings():
            # The symmetric init is the point of the study; budgets are spent on purpose.
            warnings.simplefilter("ignore", SymmetricInitWarning)
            warnings.simplefilter("ignore", ConvergenceWarning)
            fit_many([estimators[i] for i in local], X, n_jobs=n_jobs, names=[runs[i].name for i in local])
        results = {core: child.result() for core, child in children.items()}
    finally:
        for child in children.values():
            child.stop()
    for core_type, members in by_core.items():
        fitted, kernel = results[core_type]
        for i, est in zip(members, fitted):
            estimators[i].__dict__.update(est.__dict__)
            kernels[i] = kernel
        print(f"symmetry: {len(members)} runs under OPENBLAS_CORETYPE={core_type}: {kernel}", flush=True)
    return kernels


def _separated(row):
    return {"separated": int(row["separated"]), "runs": int(row["runs"]),
            "first_separation": None if pd.isna(row["first_separation"]) else float(row["first_separation"])}


def _metrics(records, kernel):
    """Per configuration and dtype, whether and when the units separated; the same per core type of the kernel arm."""
    out = {"blas_kernel": kernel}
    for row in start_table(records).to_dict("records"):
        out.setdefault(row["configuration"], {})[row["dtype"]] = _separated(row)
    for row in kernel_table(records).to_dict("records"):
        core = out.setdefault("kernels", {}).setdefault(row["core_type"], {"blas_kernel": row["blas_kernel"]})
        core.setdefault(row["configuration"], {})[row["dtype"]] = _separated(row)
    return out


def train(params_file, data, out, metrics):
    """Train the study's runs on the CSV ``data``; write the run folder ``out`` and ``metrics``."""
    params = load_params(params_file, PARAMS, SCHEMA)
    symmetry = params["symmetry"]
    X = read_data(data)
    runs = expand_symmetry(symmetry, params["study"])
    estimators = [estimator_of(run, X.shape[1]) for run in runs]
    here = blas_kernel()
    print(f"symmetry: {len(runs)} runs on {here}", flush=True)
    start = time.perf_counter()
    kernels = _fit(runs, estimators, X, params["train"]["n_jobs"], here)
    facts = [separation_facts(e, symmetry["separated_at"]) for e in estimators]
    records, _ = write_run_folder(out, runs, estimators, lambda run: X, params["train"]["curve_points"],
                                  separated_at=[f["separated_at"] for f in facts],
                                  max_spread=[f["max_spread"] for f in facts], blas_kernel=kernels)
    write_csv(out / RECORDS, _records(runs, estimators))
    write_json(metrics, _metrics(records, here))
    print(f"symmetry: {len(runs)} runs in {time.perf_counter() - start:.1f}s", flush=True)
