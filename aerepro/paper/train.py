"""Stage `paper`: train the paper's 3-4-3 network, its variants and its batch sizes, over seeds.

Trains the paper's network on the 8 three-bit patterns for every seed and
variant, and for every seed at each batch size (with :func:`ae.fit_many`;
the batch sizes in a call of their own, so each is one stack of its seeds
and its clock is its own), measures every model by what defines its
variant (:mod:`aerepro.paper.properties`) and writes the run folder
(:mod:`aerepro.runs`). The page is the `paper-report` stage's
(:mod:`aerepro.paper.report`).
"""

import warnings

import pandas as pd
from sklearn.exceptions import ConvergenceWarning

from ae import fit_many

from ..cluster import training_jobs
from ..params import load_params
from ..runs import read_data, write_run_folder
from .grid import expand_batches, expand_paper
from .properties import corrupted_copies, run_properties
from .schema import SCHEMA

__all__ = ["PARAMS", "train"]

#: The keys of params.yaml the stage reads.
PARAMS = ("paper.estimator", "paper.seeds", "paper.variants", "paper.batch_sizes", "paper.properties",
          "train.curve_points", "train.n_jobs")


def _fit(runs, X, n_jobs):
    models = [run.estimator() for run in runs]
    with training_jobs(n_jobs) as n_jobs, warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # a fixed number of epochs, by design
        fit_many(models, X, n_jobs=n_jobs, verbose=1, names=[r.name for r in runs])
    return models


def _properties(models, X, settings):
    """Column -> one value per model, of :func:`~aerepro.paper.properties.run_properties`."""
    corruptions = {level: corrupted_copies(X, level, settings["noise_type"], settings["draws"], settings["seed"])
                   for level in settings["levels"]}
    rows = pd.DataFrame([run_properties(m, X, corruptions, settings["silent_below"]) for m in models])
    return {c: rows[c].tolist() for c in rows.columns}


def train(params_file, data, out):
    """Train the paper's runs on the CSV ``data``; write the run folder ``out``."""
    params = load_params(params_file, PARAMS, SCHEMA)
    paper = params["paper"]
    X = read_data(data)
    variant_runs, batch_runs = expand_paper(paper), expand_batches(paper)
    n_jobs = params["train"]["n_jobs"]
    models = _fit(variant_runs, X, n_jobs) + _fit(batch_runs, X, n_jobs)
    runs = variant_runs + batch_runs
    correct = [int((m.predict(X).round() == X).all(axis=1).sum()) for m in models]
    write_run_folder(out, runs, models, lambda run: X, params["train"]["curve_points"],
                     patterns_reconstructed=correct, **_properties(models, X, paper["properties"]))
    print(f"paper: {len(models)} runs", flush=True)
