"""Stage `anomaly-report`: the anomaly page, its metrics and its figure, from the `anomaly` stage's run folder.

Trains nothing: a prose edit reruns only this stage.
"""

from ..figures import save_figure
from ..io import write_json, write_text
from ..markdown import link
from ..params import load_params
from ..runs import RUNS, SCORES, load_models, read_table
from .baselines import AUTOENCODER, DETECTORS
from .figures import scores_figure
from .page import anomaly_page, auc_table
from .schema import SCHEMA

__all__ = ["PARAMS", "report"]

#: The keys of params.yaml the stage reads.
PARAMS = ("anomaly.seeds", "anomaly.test_size", "anomaly.split_seed", "anomaly.figure_class")


def _metrics(table):
    methods = [AUTOENCODER, *DETECTORS]
    return {
        "median_roc_auc": {m: round(float(table[f"{m}_median"].median()), 6) for m in methods},
        "digits_where_best": {m: int((table[[f"{k}_median" for k in methods]].idxmax(axis=1) == f"{m}_median").sum())
                              for m in methods},
        "digits": {f"digit{int(r['normal_class'])}": {m: round(float(r[f"{m}_median"]), 6) for m in methods}
                   for r in table.to_dict("records")},
    }


def report(params_file, runs_dir, metrics, figure, page):
    """Write ``metrics``, ``figure`` and the page ``page`` from the run folder ``runs_dir``."""
    anomaly = load_params(params_file, PARAMS, SCHEMA)["anomaly"]
    shown = anomaly["figure_class"]
    records = read_table(runs_dir, RUNS, "anomaly")
    scores = read_table(runs_dir, SCORES, "anomaly")
    scores = scores[scores["normal_class"] == shown].drop(columns="normal_class")
    table = auc_table(records, [AUTOENCODER, *DETECTORS])
    write_json(metrics, _metrics(table))
    auc = float(records.loc[records["normal_class"] == shown, f"{AUTOENCODER}_roc_auc"].iloc[0])
    save_figure(scores_figure(scores, auc, shown), figure)
    model = next(iter(load_models(runs_dir, "anomaly").values()))
    write_text(page, anomaly_page(anomaly, model, table, link(figure, page)))
    print(f"anomaly-report: {len(records)} runs; median ROC AUC "
          + ", ".join(f"{k} {v:.3f}" for k, v in _metrics(table)["median_roc_auc"].items()), flush=True)
