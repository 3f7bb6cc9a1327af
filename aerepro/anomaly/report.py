"""Stage `anomaly-report`: the anomaly page, its metrics and its figure, from the `anomaly` stage's run folder.

Trains nothing: a prose edit reruns only this stage.
"""

from ..figures import save_figure
from ..io import write_json, write_text
from ..markdown import link
from ..params import load_params
from ..runs import RUNS, SCORES, load_models, read_table
from .baselines import AUTOENCODER, AUTOENCODER_BY_LOSS, DETECTORS
from .figures import scores_figure
from .page import METHOD_NAMES, anomaly_page
from .schema import SCHEMA
from .summary import CEILING, ceiling_counts, digit_table, validation_counts, win_count

__all__ = ["PARAMS", "summary_metrics", "report"]

#: The keys of params.yaml the stage reads.
PARAMS = ("anomaly.seeds", "anomaly.test_size", "anomaly.validation_size", "anomaly.epoch_fractions",
          "anomaly.figure_class")


def summary_metrics(table, wins, by_loss_wins, splits, ceilings, validation):
    """The study's summary for ``dvc metrics show``: the win count of PCA against the autoencoder below the ceiling
    (a win: the median paired difference; decided: its interval excludes 0), the ceiling, the same over every digit
    and with the autoencoder scored by its own loss, and each method's median over digits of its per-digit median
    test ROC AUC; the borderline digits, the counts below other ceilings and how the epoch budget was chosen."""
    methods = [AUTOENCODER, *DETECTORS]
    return {
        "splits": splits,
        "ceiling_roc_auc": CEILING,
        "digits_at_ceiling": wins["at_ceiling"],
        "digits_below_ceiling": wins["below_ceiling"],
        "pca_beats_autoencoder": wins["second_wins"],
        "pca_beats_autoencoder_interval_excludes_zero": wins["second_wins_decided"],
        "autoencoder_beats_pca": wins["first_wins"],
        "autoencoder_beats_pca_interval_excludes_zero": wins["first_wins_decided"],
        "below_ceiling_at": {str(c["ceiling"]): {"digits": c["below_ceiling"],
                                                 "pca_beats_autoencoder": c["second_wins"],
                                                 "autoencoder_beats_pca": c["first_wins"]} for c in ceilings},
        "digits_borderline": wins["borderline"],
        "pca_beats_autoencoder_every_digit": wins["every_second_wins"],
        "pca_beats_autoencoder_every_digit_interval_excludes_zero": wins["every_second_wins_decided"],
        "pca_beats_autoencoder_scored_by_its_loss_every_digit": by_loss_wins["every_second_wins"],
        "pca_beats_autoencoder_scored_by_its_loss_every_digit_interval_excludes_zero":
            by_loss_wins["every_second_wins_decided"],
        "median_difference_autoencoder_minus_pca": round(float(table["difference_median"].median()), 6),
        "median_roc_auc": {m: round(float(table[f"{m}_median"].median()), 6) for m in methods},
        "median_validation_roc_auc": round(validation["median"], 6),
        "runs_validation_roc_auc_one": validation["at_one"],
    }


def report(params_file, runs_dir, metrics, figure, page):
    """Write ``metrics``, ``figure`` and the page ``page`` from the run folder ``runs_dir``."""
    anomaly = load_params(params_file, PARAMS, SCHEMA)["anomaly"]
    shown = anomaly["figure_class"]
    records = read_table(runs_dir, RUNS, "anomaly")
    table = digit_table(records, [AUTOENCODER, *DETECTORS])
    wins = win_count(table)
    by_loss = digit_table(records, [AUTOENCODER_BY_LOSS, "pca"], compared=(AUTOENCODER_BY_LOSS, "pca"))
    by_loss_wins = win_count(by_loss)
    model = next(iter(load_models(runs_dir, "anomaly").values()))
    ceilings = ceiling_counts(table)
    validation = validation_counts(records, sorted(model.get_params()["checkpoint_epochs"]))
    summary = summary_metrics(table, wins, by_loss_wins, len(anomaly["seeds"]), ceilings, validation)
    write_json(metrics, summary)
    scores = read_table(runs_dir, SCORES, "anomaly")
    scores = scores[scores["normal_class"] == shown]
    first = records[records["normal_class"] == shown].iloc[0]
    aucs = {m: float(first[f"{m}_roc_auc"]) for m in scores["method"].unique()}
    save_figure(scores_figure(scores, aucs, METHOD_NAMES, shown), figure)
    write_text(page, anomaly_page(anomaly, model, table, wins, by_loss, by_loss_wins, records, link(figure, page),
                                  ceilings, validation))
    print(f"anomaly-report: {len(records)} runs; median paired difference below 0 (PCA ahead) on "
          f"{wins['second_wins']} of "
          f"{wins['below_ceiling']} digits below the ceiling (interval excluding 0 on {wins['second_wins_decided']}; "
          f"{wins['at_ceiling']} at the ceiling; {wins['borderline']} borderline)", flush=True)
