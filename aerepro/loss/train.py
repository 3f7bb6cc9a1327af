"""Stage `loss`: the blog's networks trained with each loss of ``loss.compared`` from the same starts.

Runs are :func:`aerepro.loss.grid.expand_loss`, trained with
:func:`ae.fit_many` on the 16 one-hot inputs (the runs of one configuration
and loss form one stack), every run to its configuration's budget (no stop
rule: ``ConvergenceWarning`` at the budget is the design). Writes a run
folder (:mod:`aerepro.runs`) whose runs table adds, per run, the
reconstruction epoch (NaN: not within the budget), whether it reconstructs
at the end, the final ``max |x - x_hat|`` and gradient factor; and the
readings at every kept epoch (:data:`~aerepro.runs.RECORDS`, long form:
``run, epoch, factor, reconstructs, max_error``). The kept weights are read
into that table and dropped from the saved models (they would be a hundred
times their size). The runs' clocks go to ``clocks``
(:func:`aerepro.runs.write_clocks`), never into the folder.
"""

import warnings

import pandas as pd
from sklearn.exceptions import ConvergenceWarning

from ae import fit_many

from ..cluster import training_jobs
from ..io import write_csv
from ..params import load_params
from ..runs import RECORDS, read_data, write_run_folder
from ..store import check_tracking
from .grid import expand_loss
from .measures import reading_facts, readings
from .schema import SCHEMA

__all__ = ["PARAMS", "train"]

#: The keys of params.yaml the stage reads.
PARAMS = ("loss", "study.estimator", "study.configurations", "study.activations.${loss.activation}",
          "study.protocols.${loss.protocol}", "study.inits", "study.seeds", "train.curve_points", "train.n_jobs")


def train(params_file, data, out, clocks=None):
    """Train the study's runs on the CSV ``data``; write the run folder ``out`` and the runs' ``clocks``."""
    params = load_params(params_file, PARAMS, SCHEMA)
    check_tracking()  # fail now, not after the training, if MLflow cannot be reached
    X = read_data(data)
    runs = expand_loss(params["loss"], params["study"])
    estimators = [run.estimator() for run in runs]
    print(f"loss: {len(runs)} runs", flush=True)
    with training_jobs(params["train"]["n_jobs"]) as n_jobs, warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # every run trains its whole budget, by design
        fit_many(estimators, X, n_jobs=n_jobs, names=[r.name for r in runs])
    kept = [readings(e, X) for e in estimators]
    facts = pd.DataFrame([reading_facts(r, e, X) for r, e in zip(kept, estimators)])
    for estimator in estimators:
        estimator.checkpoints_ = {}
    write_run_folder(out, runs, estimators, lambda run: X, params["train"]["curve_points"], clocks=clocks,
                     **{c: facts[c].tolist() for c in facts.columns})
    write_csv(out / RECORDS, pd.concat([r.assign(run=run.name)[["run", *r.columns]] for run, r in zip(runs, kept)],
                                       ignore_index=True))
    print(f"loss: {len(runs)} runs written to {out}", flush=True)
