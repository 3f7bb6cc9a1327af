"""Stage `anomaly`: anomaly detection by reconstruction error, every digit as the normal class, over seeds.

For each digit of scikit-learn's 8x8 digits (scaled to [0, 1]) as the normal
class: trains an AutoEncoder per seed on its training images (the seeds as
one stack, :func:`ae.fit_many`) and scores the held-out images with
``score_samples`` (minus each sample's reconstruction loss: lower is more
abnormal, as IsolationForest); fits the baselines of
:data:`aerepro.anomaly.baselines.DETECTORS` on the same split. Writes every
ROC AUC (``sklearn.metrics.roc_auc_score``) to the run folder
(:mod:`aerepro.runs`), their medians as DVC metrics, the scores of one digit
and seed with their figure, and the page.
"""

import warnings
from pathlib import Path

import pandas as pd
from joblib import Parallel, delayed
from sklearn.exceptions import ConvergenceWarning

from ae import fit_many

from ..errors import UserError
from ..figures import save_figure
from ..io import write_csv, write_json, write_text
from ..params import load_params
from ..runs import SCORES, write_run_folder
from .baselines import DETECTORS, SEED_FREE, roc_auc
from .figures import scores_figure
from .grid import anomaly_runs, digits_split
from .page import AUTOENCODER, anomaly_page, auc_table

__all__ = ["train"]


def _one_class(anomaly, normal_class):
    """Train and score every seed of one normal class; return its runs, models, rows of facts and scores."""
    X_train, X_test, is_anomaly, digit = digits_split(anomaly, normal_class)
    runs = anomaly_runs(anomaly, normal_class)
    models = [run.estimator() for run in runs]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        fit_many(models, X_train, n_jobs=1, names=[r.name for r in runs])
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
            scores = pd.DataFrame({"anomaly": is_anomaly, "digit": digit, "score": score})
    return runs, models, rows, scores


def _metrics(table):
    methods = [AUTOENCODER, *DETECTORS]
    return {
        "median_roc_auc": {m: round(float(table[f"{m}_median"].median()), 6) for m in methods},
        "digits_where_best": {m: int((table[[f"{k}_median" for k in methods]].idxmax(axis=1) == f"{m}_median").sum())
                              for m in methods},
        "digits": {f"digit{int(r['normal_class'])}": {m: round(float(r[f"{m}_median"]), 6) for m in methods}
                   for r in table.to_dict("records")},
    }


def train(params_file, out, metrics, figure, report):
    """Train and score; write the run folder ``out``, ``metrics``, ``figure`` and the page ``report``."""
    params = load_params(params_file)
    anomaly = params["anomaly"]
    if anomaly["figure_class"] not in anomaly["normal_classes"]:
        raise UserError(f"params.yaml: anomaly.figure_class {anomaly['figure_class']!r} is not one of "
                        f"anomaly.normal_classes {anomaly['normal_classes']}")
    runs, models, rows, shown = [], [], [], None
    # A class per task: its seeds' models, then the baselines' scores.
    per_class = Parallel(n_jobs=params["train"]["n_jobs"])(
        delayed(_one_class)(anomaly, normal_class) for normal_class in anomaly["normal_classes"])
    for normal_class, (r, m, facts, scores) in zip(anomaly["normal_classes"], per_class):
        runs, models, rows = runs + r, models + m, rows + facts
        shown = scores if normal_class == anomaly["figure_class"] else shown
    facts = pd.DataFrame(rows)
    records, _ = write_run_folder(out, runs, models, None, params["train"]["curve_points"],
                                  **{c: facts[c].tolist() for c in facts.columns})
    table = auc_table(records, [AUTOENCODER, *DETECTORS])
    write_json(metrics, _metrics(table))
    write_csv(out / SCORES, shown)
    auc = float(records.loc[records["normal_class"] == anomaly["figure_class"], f"{AUTOENCODER}_roc_auc"].iloc[0])
    save_figure(scores_figure(shown, auc, anomaly["figure_class"]), figure)
    write_text(report, anomaly_page(anomaly, models[0], table, Path(figure).relative_to(Path(report).parent)))
    print(f"anomaly: {len(models)} runs; median ROC AUC "
          + ", ".join(f"{k} {v:.3f}" for k, v in _metrics(table)["median_roc_auc"].items()), flush=True)
