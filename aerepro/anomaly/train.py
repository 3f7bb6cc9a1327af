"""Stage `anomaly`: anomaly detection by reconstruction error, every digit as the normal class, over split seeds.

For each seed, every image of scikit-learn's 8x8 digits goes to a train,
validation or test part (:mod:`.split`). For each digit as the normal class
and each seed, an AutoEncoder is trained on that digit's train images (every
run in one :func:`ae.fit_many` call), its epoch budget is chosen on the
validation images (:mod:`.selection`), and it is scored on the test images by
each image's squared reconstruction error (:mod:`.scoring`), beside the
baselines of :data:`aerepro.anomaly.baselines.DETECTORS` fitted on the same
train images. Writes every test ROC AUC (``sklearn.metrics.roc_auc_score``)
and the chosen budget to the run folder (:mod:`aerepro.runs`), with the test
scores of each digit's first seed. The page is the `anomaly-report` stage's
(:mod:`aerepro.anomaly.report`).
"""

import warnings

import pandas as pd
from joblib import Parallel, delayed
from sklearn.exceptions import ConvergenceWarning

from ae import fit_many

from ..cluster import training_jobs
from ..io import write_csv
from ..params import load_params
from ..runs import SCORES, write_run_folder
from .baselines import AUTOENCODER, AUTOENCODER_BY_LOSS, DETECTORS, RECONSTRUCTING
from .grid import anomaly_runs, budgets
from .schema import SCHEMA
from .scoring import reconstruction_error, roc_auc
from .selection import at_epochs, choose_epochs
from .split import load_images, normal_train, scored_part, split_indices

__all__ = ["PARAMS", "score_run", "train"]

#: The keys of params.yaml the stage reads.
PARAMS = ("anomaly.normal_classes", "anomaly.seeds", "anomaly.test_size", "anomaly.validation_size",
          "anomaly.epoch_fractions", "anomaly.estimator", "train.curve_points", "train.n_jobs")


def score_run(model, epochs, X_train, validation, test, seed):
    """One run's facts and its test scores.

    The autoencoder after the budget of ``epochs`` chosen on ``validation``
    (``(X, is_anomaly, digit)``), and every baseline fitted on ``X_train``,
    scored on ``test`` (the same triple).

    Returns
    -------
    facts : dict
        ``<method>_roc_auc`` of every method on the test images (and of the
        autoencoder scored by its loss, :data:`.baselines.AUTOENCODER_BY_LOSS`), ``chosen_epochs``,
        ``validation_roc_auc`` (the chosen budget's) and the part sizes.
    scores : DataFrame
        The test images' ``anomaly``, ``digit`` and squared error ``score``
        by the autoencoder and by PCA (column ``method``).
    """
    (X_val, val_anomaly, _), (X_test, is_anomaly, digit) = validation, test
    n_code = model.architecture_.n_code
    chosen, aucs = choose_epochs(model, epochs, X_val, val_anomaly)
    autoencoder = at_epochs(model, chosen)
    score = {AUTOENCODER: reconstruction_error(autoencoder, X_test),
             **{name: detector(X_train, X_test, n_code, seed) for name, detector in DETECTORS.items()}}
    error = {m: score[m] for m in RECONSTRUCTING}
    score[AUTOENCODER_BY_LOSS] = -autoencoder.score_samples(X_test)
    facts = {f"{m}_roc_auc": roc_auc(is_anomaly, s) for m, s in score.items()} | {
        "chosen_epochs": chosen, "validation_roc_auc": max(aucs), "n_train": len(X_train),
        "n_validation": len(X_val), "n_test_normal": int((is_anomaly == 0).sum()),
        "n_test_anomalies": int(is_anomaly.sum())}
    scores = pd.concat([pd.DataFrame({"method": m, "anomaly": is_anomaly, "digit": digit, "score": s})
                        for m, s in error.items()], ignore_index=True)
    return facts, scores


def train(params_file, out, clocks=None):
    """Train, choose and score every normal class and seed; write the run folder ``out`` and the runs' ``clocks``."""
    params = load_params(params_file, PARAMS, SCHEMA)
    anomaly = params["anomaly"]
    X, y = load_images()
    parts = {s: split_indices(y, anomaly["validation_size"], anomaly["test_size"], s) for s in anomaly["seeds"]}
    runs = [run for c in anomaly["normal_classes"] for run in anomaly_runs(anomaly, c)]
    at = [(run.coords["normal_class"], parts[run.coords["seed"]]) for run in runs]
    data = [normal_train(X, y, p["train"], c) for c, p in at]  # one array per run: a stack of its own
    models = [run.estimator() for run in runs]
    epochs = budgets(anomaly)
    with training_jobs(params["train"]["n_jobs"]) as n_jobs:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            fit_many(models, data, n_jobs=n_jobs, names=[r.name for r in runs])
        scored = Parallel(n_jobs=n_jobs)(
            delayed(score_run)(model, epochs, X_train, scored_part(X, y, p["validation"], c),
                               scored_part(X, y, p["test"], c), run.coords["seed"])
            for run, model, X_train, (c, p) in zip(runs, models, data, at))
    facts = pd.DataFrame([f for f, _ in scored])
    first = {c: i for i, (c, _) in reversed(list(enumerate(at)))}  # each class's first seed
    scores = pd.concat([scored[i][1].assign(normal_class=c) for c, i in sorted(first.items())], ignore_index=True)
    write_run_folder(out, runs, models, None, params["train"]["curve_points"], clocks=clocks,
                     **{c: facts[c].tolist() for c in facts.columns})
    write_csv(out / SCORES, scores[["normal_class", "method", "anomaly", "digit", "score"]])
    print(f"anomaly: {len(models)} runs", flush=True)
