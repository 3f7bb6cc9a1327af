"""Stage `family`: the N-log2(N)-N encoder family, many seeds per N, trained with `ae.fit_many`'s machinery.

Runs are ``family.sizes`` x ``family.extra_code_units`` x ``family.inits``
x ``family.n_seeds`` seeds (:func:`aerepro.family.grid.expand_family`), on
X = eye(N). Writes a run folder (:mod:`aerepro.runs`) with two more tables,
the summary (one row per architecture and init: success shares over seeds,
median epochs to the stop rule) and the work (models and model-epochs
per architecture); and the DVC metrics file. No wall time
enters them (the runs' clocks go to ``clocks``), so the same params give
the same bytes.
"""

import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from ..cluster import training_jobs
from ..io import write_csv, write_json
from ..params import load_params
from ..runs import SUMMARY, WORK, write_run_folder
from ..store import check_tracking
from .analysis import summarize_family, work_table
from .grid import expand_family, fit_family
from .schema import SCHEMA

__all__ = ["METRICS", "PARAMS", "train"]

#: The keys of params.yaml the stage reads.
PARAMS = ("family.sizes", "family.extra_code_units", "family.n_seeds", "family.estimator", "family.inits",
          "family.checks", "family.max_stack", "train.curve_points", "train.n_jobs")

#: Columns of the summary kept in the metrics file: the headline per architecture and init (the rest is the page's).
METRICS = ["distinct_share", "bijection_share", "median_epochs"]


def train(params_file, out, metrics, clocks=None):
    """Train the family of ``params_file``; write the run folder ``out``, the ``metrics`` file and the ``clocks``."""
    params = load_params(params_file, PARAMS, SCHEMA)
    check_tracking()  # fail now, not after the training, if MLflow cannot be reached
    family = params["family"]
    runs = expand_family(family)
    estimators = [run.estimator() for run in runs]
    data = {n: np.eye(n) for n in {r.coords["n_inputs"] for r in runs}}
    print(f"family: {len(runs)} runs", flush=True)
    start = time.perf_counter()
    with training_jobs(params["train"]["n_jobs"]) as n_jobs, warnings.catch_warnings():
        # Reaching max_iter is recorded per run (stop_reason) and reported.
        warnings.simplefilter("ignore", ConvergenceWarning)
        stack_of = fit_family(runs, estimators, n_jobs=n_jobs, max_stack=family["max_stack"])
    wall = time.perf_counter() - start

    def X_of(run):
        return data[run.coords["n_inputs"]]

    records, _ = write_run_folder(out, runs, estimators, X_of, params["train"]["curve_points"], clocks=clocks,
                                  how={"stack": stack_of})
    codes = {r.name: (None if e.stop_reason_ == "diverged" else e.transform(X_of(r))) for r, e in zip(runs, estimators)}
    summary = summarize_family(records, codes.get)
    write_csv(out / SUMMARY, summary)
    write_csv(out / WORK, work_table(records))
    table = {}
    for row in summary.to_dict("records"):
        table.setdefault(row["architecture"], {})[row["init"]] = {k: row[k] for k in METRICS}
    write_json(metrics, table)
    print(f"family: {len(runs)} runs in {wall:.1f}s", flush=True)
