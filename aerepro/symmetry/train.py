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

import pandas as pd
from sklearn.exceptions import ConvergenceWarning

from ae import SymmetricInitWarning

from ..io import write_csv, write_json
from ..kernels import blas_kernel, fit_by_kernel
from ..params import load_params
from ..runs import RECORDS, read_data, write_run_folder
from .analysis import (kernel_table, literal_column, separation_facts, start_table, stop_column, stop_epoch,
                       stop_orders)
from .grid import estimator_of, expand_symmetry
from .schema import SCHEMA

__all__ = ["PARAMS", "train"]

#: The keys of params.yaml the stage reads.
PARAMS = ("symmetry", "study.configurations", "study.inits",
          "study.protocols.${symmetry.budget_protocol}.max_iter", "train.curve_points", "train.n_jobs")


def _records(runs, estimators):
    frames = [pd.DataFrame({"run": r.name, "epoch": e.record_epochs_, **e.records_})
              for r, e in zip(runs, estimators) if e.records_]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["run", "epoch"])


def _stops(runs, estimators, symmetry):
    """Per run of the start and kernel arms (NaN elsewhere: they train without a stop rule), the epoch each reading of the blog's rule would stop it at
    (the tol the stop-rule arm trains with)."""
    rules = symmetry["stop_rules"]
    tol = {**symmetry["estimator"], **rules["estimator"]}["tol"]
    return pd.DataFrame({
        stop_column(reading, patience): [stop_epoch(e.loss_curve_, reading, tol, patience)
                                         if r.coords["arm"] in ("start", "kernel") else float("nan")
                                         for r, e in zip(runs, estimators)]
        for reading in rules["readings"] for patience in rules["patience"]})


def _separated(row):
    """A cell's metric: how many of its runs separated (its runs and first separation are the page's)."""
    return int(row["separated"])


def _metrics(records, kernel, literal_column, record_every):
    """Per configuration and dtype, whether and when the units separated; the same per core type of the kernel arm;
    and how many runs rounding alone separated, and of them where the blog's literal rule would stop: before the
    separation, after it, or within one recording interval of it (:func:`stop_before_separation`)."""
    exact = records[records["arm"].isin(["start", "kernel"])]
    split = exact[exact["separated_at"].notna()]
    orders = stop_orders(split["separated_at"], split[literal_column], record_every)
    out = {"blas_kernel": kernel,
           "exact_start": {"runs": len(exact), "separated": len(split),
                           "literal_rule_stops_before": orders.count("before"),
                           "literal_rule_stops_after": orders.count("after"),
                           "literal_rule_undetermined": orders.count("undetermined")}}
    for row in start_table(records).to_dict("records"):
        out.setdefault(row["configuration"], {})[row["dtype"]] = _separated(row)
    for row in kernel_table(records).to_dict("records"):
        core = out.setdefault("kernels", {}).setdefault(row["core_type"], {"blas_kernel": row["blas_kernel"]})
        core.setdefault(row["configuration"], {})[row["dtype"]] = _separated(row)
    return out


def train(params_file, data, out, metrics, clocks=None):
    """Train the study's runs on the CSV ``data``; write the run folder ``out``, ``metrics`` and the ``clocks``."""
    params = load_params(params_file, PARAMS, SCHEMA)
    symmetry = params["symmetry"]
    X = read_data(data)
    runs = expand_symmetry(symmetry, params["study"])
    estimators = [estimator_of(run, X.shape[1]) for run in runs]
    here = blas_kernel()
    print(f"symmetry: {len(runs)} runs on {here}", flush=True)
    start = time.perf_counter()
    # The symmetric init is the point of the study; budgets are spent on purpose.
    kernels = fit_by_kernel(estimators, X, [r.coords["core_type"] for r in runs], params["train"]["n_jobs"],
                            [r.name for r in runs], quiet=(SymmetricInitWarning, ConvergenceWarning))
    facts = pd.DataFrame([separation_facts(e, symmetry["separated_at"], X) for e in estimators])
    facts = facts.join(_stops(runs, estimators, symmetry))
    records, _ = write_run_folder(out, runs, estimators, lambda run: X, params["train"]["curve_points"], clocks=clocks,
                                  **{c: facts[c].tolist() for c in facts.columns}, blas_kernel=kernels)
    write_csv(out / RECORDS, _records(runs, estimators))
    write_json(metrics, _metrics(records, here, literal_column(symmetry["stop_rules"]),
                                 symmetry["estimator"]["record_every"]))
    print(f"symmetry: {len(runs)} runs in {time.perf_counter() - start:.1f}s", flush=True)
