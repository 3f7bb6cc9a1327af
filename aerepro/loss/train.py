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
times their size). No clock is written: the runs table leaves out
``train_seconds``.
"""

import warnings

import pandas as pd
from sklearn.exceptions import ConvergenceWarning

from ..io import write_csv
from ..params import load_params
from ..runs import RECORDS, RUNS, read_data, write_run_folder
from .grid import expand_loss
from .measures import reading_facts, readings
from .schema import SCHEMA

__all__ = ["PARAMS", "CLOCKS", "train"]

#: The keys of params.yaml the stage reads.
PARAMS = ("loss", "study.estimator", "study.configurations", "study.activations.${loss.activation}",
          "study.protocols.${loss.protocol}", "study.inits", "study.seeds", "train.curve_points", "train.n_jobs")

#: Runs-table columns that are clock readings: never written (they would differ from one run of the same code
#: to the next in a content-hashed output).
CLOCKS = ("train_seconds",)


def train(params_file, data, out):
    """Train the study's runs on the CSV ``data``; write the run folder ``out``."""
    from ae import fit_many

    params = load_params(params_file, PARAMS, SCHEMA)
    X = read_data(data)
    runs = expand_loss(params["loss"], params["study"])
    estimators = [run.estimator() for run in runs]
    print(f"loss: {len(runs)} runs", flush=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # every run trains its whole budget, by design
        fit_many(estimators, X, n_jobs=params["train"]["n_jobs"], names=[r.name for r in runs])
    kept = [readings(e, X) for e in estimators]
    facts = pd.DataFrame([reading_facts(r, e, X) for r, e in zip(kept, estimators)])
    for estimator in estimators:
        estimator.checkpoints_ = {}
    records, _ = write_run_folder(out, runs, estimators, lambda run: X, params["train"]["curve_points"],
                                  **{c: facts[c].tolist() for c in facts.columns})
    clocks = [c for c in CLOCKS if c in records.columns]
    if clocks:  # the shared floor's fit_facts may still carry the clock
        write_csv(out / RUNS, records.drop(columns=clocks))
    write_csv(out / RECORDS, pd.concat([r.assign(run=run.name)[["run", *r.columns]] for run, r in zip(runs, kept)],
                                       ignore_index=True))
    print(f"loss: {len(runs)} runs written to {out}", flush=True)
