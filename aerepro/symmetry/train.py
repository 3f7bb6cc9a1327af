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
from threadpoolctl import threadpool_info

from ae import SymmetricInitWarning, fit_many

from ..io import write_csv, write_json
from ..params import load_params
from ..runs import RECORDS, write_run_folder
from .analysis import separation_facts, start_table
from .grid import estimator_of, expand_symmetry

__all__ = ["train", "blas_kernel"]


def blas_kernel():
    """The BLAS and the kernel it picked for this CPU (``OPENBLAS_CORETYPE`` picks another), e.g. ``openblas 0.3.31 SkylakeX``."""
    blas = [i for i in threadpool_info() if i["user_api"] == "blas"]
    return ", ".join(f"{i['internal_api']} {i.get('version')} {i.get('architecture')}" for i in blas) or "unknown"


def _records(runs, estimators):
    frames = [pd.DataFrame({"run": r.name, "epoch": e.record_epochs_, **e.records_})
              for r, e in zip(runs, estimators) if e.records_]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["run", "epoch"])


def _metrics(records, kernel):
    table = start_table(records)
    out = {"blas_kernel": kernel}
    for row in table.to_dict("records"):
        out.setdefault(row["configuration"], {})[row["dtype"]] = {
            "separated": int(row["separated"]), "runs": int(row["runs"]),
            "first_separation": None if pd.isna(row["first_separation"]) else float(row["first_separation"])}
    return out


def train(params_file, data, out, metrics):
    """Train the study's runs on the CSV ``data``; write the run folder ``out`` and ``metrics``."""
    params = load_params(params_file)
    symmetry = params["symmetry"]
    X = pd.read_csv(data).to_numpy(dtype=float)
    runs = expand_symmetry(symmetry, params["study"])
    estimators = [estimator_of(run, X.shape[1]) for run in runs]
    kernel = blas_kernel()
    print(f"symmetry: {len(runs)} runs on {kernel}", flush=True)
    start = time.perf_counter()
    with warnings.catch_warnings():
        # The symmetric init is the point of the study; budgets are spent on purpose.
        warnings.simplefilter("ignore", SymmetricInitWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        fit_many(estimators, X, n_jobs=params["train"]["n_jobs"], verbose=0, names=[r.name for r in runs])
    facts = [separation_facts(e, symmetry["separated_at"]) for e in estimators]
    records, _ = write_run_folder(out, runs, estimators, lambda run: X, params["train"]["curve_points"],
                                  separated_at=[f["separated_at"] for f in facts],
                                  max_spread=[f["max_spread"] for f in facts], blas_kernel=kernel)
    write_csv(out / RECORDS, _records(runs, estimators))
    write_json(metrics, _metrics(records, kernel))
    print(f"symmetry: {len(runs)} runs in {time.perf_counter() - start:.1f}s", flush=True)
