"""Stage `anomaly`: anomaly detection by reconstruction error, every digit as the normal class, over seeds.

For each digit of scikit-learn's 8x8 digits (scaled to [0, 1]) as the normal
class: trains an AutoEncoder per seed on its training images (every class's
seeds in one :func:`ae.fit_many` call, each class's seeds one stack) and
scores the held-out images with ``score_samples`` (minus each sample's
reconstruction loss: lower is more abnormal, as IsolationForest); fits the
baselines of :data:`aerepro.anomaly.baselines.DETECTORS` on the same split.
Writes every ROC AUC (``sklearn.metrics.roc_auc_score``) to the run folder
(:mod:`aerepro.runs`), with the held-out scores of each class's first seed.
The page is the `anomaly-report` stage's (:mod:`aerepro.anomaly.report`).
"""

import warnings

import pandas as pd
from sklearn.exceptions import ConvergenceWarning

from ae import fit_many

from ..cluster import training_jobs
from ..io import write_csv
from ..params import load_params
from ..runs import SCORES, write_run_folder
from .baselines import AUTOENCODER, DETECTORS, SEED_FREE, roc_auc
from .grid import anomaly_runs, digits_split
from .schema import SCHEMA

__all__ = ["PARAMS", "train"]

#: The keys of params.yaml the stage reads.
PARAMS = ("anomaly.normal_classes", "anomaly.seeds", "anomaly.test_size", "anomaly.split_seed",
          "anomaly.estimator", "train.curve_points", "train.n_jobs")


def _scores(runs, models, split):
    """Rows of facts (ROC AUCs of the autoencoder and the baselines) per run, and the first run's held-out scores."""
    X_train, X_test, is_anomaly, digit = split
    rows, scores, once = [], None, {}
    for run, model in zip(runs, models):
        score = model.score_samples(X_test)
        row = {f"{AUTOENCODER}_roc_auc": roc_auc(is_anomaly, -score), "n_train": len(X_train),
               "n_test_normal": int((is_anomaly == 0).sum()), "n_test_anomalies": int(is_anomaly.sum())}
        for name, detector in DETECTORS.items():
            key = (name, None if name in SEED_FREE else run.coords["seed"])
            if key not in once:
                once[key] = roc_auc(is_anomaly, detector(X_train, X_test, model.architecture_.n_code, key[1]))
            row[f"{name}_roc_auc"] = once[key]
        rows.append(row)
        if scores is None:
            scores = pd.DataFrame({"normal_class": run.coords["normal_class"], "anomaly": is_anomaly,
                                   "digit": digit, "score": score})
    return rows, scores


def train(params_file, out):
    """Train and score every normal class and seed; write the run folder ``out``."""
    params = load_params(params_file, PARAMS, SCHEMA)
    anomaly = params["anomaly"]
    classes = anomaly["normal_classes"]
    splits = {c: digits_split(anomaly, c) for c in classes}
    runs = [run for c in classes for run in anomaly_runs(anomaly, c)]
    models = [run.estimator() for run in runs]
    data = [splits[run.coords["normal_class"]][0] for run in runs]  # one array per class: its seeds share a stack
    with training_jobs(params["train"]["n_jobs"]) as n_jobs, warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        fit_many(models, data, n_jobs=n_jobs, names=[r.name for r in runs])
    rows, scores = [], []
    for c in classes:
        mine = [i for i, run in enumerate(runs) if run.coords["normal_class"] == c]
        facts, shown = _scores([runs[i] for i in mine], [models[i] for i in mine], splits[c])
        rows, scores = rows + facts, scores + [shown]
    facts = pd.DataFrame(rows)
    write_run_folder(out, runs, models, None, params["train"]["curve_points"],
                     **{c: facts[c].tolist() for c in facts.columns})
    write_csv(out / SCORES, pd.concat(scores, ignore_index=True))
    print(f"anomaly: {len(models)} runs", flush=True)
