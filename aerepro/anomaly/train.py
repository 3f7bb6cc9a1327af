"""Stage `anomaly`: anomaly detection by reconstruction error, the scikit-learn way.

Trains an AutoEncoder on one class of scikit-learn's 8x8 digits (scaled to
[0, 1]) and scores held-out digits with ``score_samples`` (minus each
sample's reconstruction loss: lower is more abnormal, as IsolationForest).
Writes the ROC AUC (``sklearn.metrics.roc_auc_score``) as a DVC metric, the
scores, the run folder (:mod:`aerepro.runs`) and the score distributions as
a figure, and the page.
"""

import warnings
from pathlib import Path

import pandas as pd
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import roc_auc_score

from ..figures import save_figure
from ..io import write_csv, write_json, write_text
from ..params import load_params
from ..runs import SCORES, write_run_folder
from .figures import scores_figure
from .grid import anomaly_run, digits_split
from .page import anomaly_page

__all__ = ["train"]


def train(params_file, out, metrics, figure, report):
    """Train and score; write the run folder ``out``, ``metrics``, ``figure`` and the page ``report``."""
    params = load_params(params_file)
    anomaly = params["anomaly"]
    X_train, X_test, is_anomaly, digit = digits_split(anomaly)
    run = anomaly_run(anomaly)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = run.estimator().fit(X_train)
    score = model.score_samples(X_test)
    auc = float(roc_auc_score(is_anomaly, -score))
    n_normal, n_anomalies = int((is_anomaly == 0).sum()), int(is_anomaly.sum())
    scores = pd.DataFrame({"anomaly": is_anomaly, "digit": digit, "score": score})
    write_csv(out / SCORES, scores)
    write_run_folder(out, [run], [model], None, params["train"]["curve_points"], roc_auc=[auc],
                     n_train=[len(X_train)], n_test_normal=[n_normal], n_test_anomalies=[n_anomalies])
    write_json(metrics, {"roc_auc": round(auc, 6), "n_test_normal": n_normal, "n_test_anomalies": n_anomalies})
    save_figure(scores_figure(scores, auc, anomaly["normal_class"]), figure)
    write_text(report, anomaly_page(anomaly, model, len(X_train), n_normal, n_anomalies, auc,
                                    Path(figure).relative_to(Path(report).parent)))
    print(f"anomaly: ROC AUC {auc:.4f} (digit {anomaly['normal_class']} vs the rest)", flush=True)
