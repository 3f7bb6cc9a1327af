"""Stage `paper`: train the paper's 3-4-3 network, its variants and its batch sizes, over seeds.

Trains the paper's network on the 8 three-bit patterns for every seed and
variant, and for every seed at each batch size (with :func:`ae.fit_many`;
the batch sizes in a call of their own, so each is one stack of its seeds
and its clock is its own); in a third call, the batch sizes at the paper's
number of updates and the paper's setup with each pattern left out of its
data (:mod:`aerepro.paper.subsets`). It measures every model by what
defines its variant (:mod:`aerepro.paper.properties`), every batch-size run
update by update (:mod:`aerepro.paper.noise`), and writes the run folder
(:mod:`aerepro.runs`). The page is the `paper-report` stage's
(:mod:`aerepro.paper.report`).
"""

import warnings

import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning

from ae import fit_many

from ..cluster import training_jobs
from ..params import load_params
from ..runs import read_data, write_run_folder
from .grid import expand_batches, expand_equal_updates, expand_leave_one_out, expand_paper, subset_variant
from .noise import update_rising_share
from .properties import corrupted_copies, run_properties
from .schema import SCHEMA
from .subsets import leave_one_out

__all__ = ["PARAMS", "train"]

#: The keys of params.yaml the stage reads.
PARAMS = ("paper.estimator", "paper.seeds", "paper.variants", "paper.batch_sizes", "paper.equal_updates",
          "paper.noise", "paper.leave_one_out", "paper.properties", "train.curve_points", "train.n_jobs")


def _fit(runs, data_of, n_jobs):
    """Fit ``runs``, each on ``data_of(run)`` (one object per data set, so runs on one set may share a stack)."""
    models = [run.estimator() for run in runs]
    with training_jobs(n_jobs) as n_jobs, warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # a fixed number of epochs, by design
        fit_many(models, [data_of(run) for run in runs], n_jobs=n_jobs, verbose=1, names=[r.name for r in runs])
    return models


def _properties(models, X, settings):
    """Column -> one value per model, of :func:`~aerepro.paper.properties.run_properties`."""
    corruptions = {level: corrupted_copies(X, level, settings["noise_type"], settings["draws"], settings["seed"])
                   for level in settings["levels"]}
    rows = pd.DataFrame([run_properties(m, X, corruptions, settings["silent_below"]) for m in models])
    return {c: rows[c].tolist() for c in rows.columns}


def train(params_file, data, out, clocks=None):
    """Train the paper's runs on the CSV ``data``; write the run folder ``out`` and the runs' ``clocks``."""
    params = load_params(params_file, PARAMS, SCHEMA)
    paper = params["paper"]
    X = read_data(data)
    left_out = leave_one_out(X)
    subsets = {subset_variant(pattern): rows for pattern, rows in left_out.items()}

    def data_of(run):
        return subsets.get(run.coords["variant"], X)

    variant_runs, batch_runs = expand_paper(paper), expand_batches(paper)
    more_runs = expand_equal_updates(paper, len(X)) + expand_leave_one_out(paper, list(left_out))
    runs = variant_runs + batch_runs + more_runs
    models = _fit(runs, data_of, params["train"]["n_jobs"])  # one call: its stacks fill both cores to the end
    batch_models = models[len(variant_runs):len(variant_runs) + len(batch_runs)]
    correct = [int((m.predict(X).round() == X).all(axis=1).sum()) for m in models]
    noise = paper["noise"]
    shares = [update_rising_share(m, X, noise["epochs"], noise["seed"]) for m in batch_models]
    update_rises = [np.nan] * len(variant_runs) + shares + [np.nan] * len(more_runs)
    write_run_folder(out, runs, models, data_of, params["train"]["curve_points"], clocks=clocks,
                     patterns_reconstructed=correct, update_rising_share=update_rises,
                     **_properties(models, X, paper["properties"]))
    print(f"paper: {len(models)} runs", flush=True)
