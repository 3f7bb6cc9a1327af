"""The anomaly study: its baselines on constructed data and its runs."""

import numpy as np

from aerepro.anomaly.baselines import DETECTORS, isolation_forest, pca_error
from aerepro.anomaly.grid import anomaly_runs, budgets
from aerepro.anomaly.scoring import roc_auc

ANOMALY = {"seeds": [0, 1], "epoch_fractions": [0.5, 0.1, 1.0], "estimator": {"hidden_layer_sizes": [4], "max_iter": 40}}


def line_data(rng, n):
    """Points on the line through the origin along (1, 2, 3), plus points off it."""
    on = np.outer(rng.uniform(-1, 1, n), [1.0, 2.0, 3.0])
    off = on + rng.normal(0, 1, on.shape)
    return on, off


def test_pca_error_is_zero_on_the_training_subspace_and_large_off_it():
    rng = np.random.default_rng(0)
    train, _ = line_data(rng, 50)
    on, off = line_data(rng, 20)
    error = pca_error(train, np.vstack([on, off]), 1, seed=None)
    assert np.abs(error[:20]).max() < 1e-12
    assert error[20:].min() > 1e-3
    assert roc_auc(np.r_[np.zeros(20), np.ones(20)], error) == 1.0


def test_isolation_forest_scores_far_points_as_more_abnormal():
    rng = np.random.default_rng(1)
    train = rng.normal(0, 1, (200, 2))
    test = np.vstack([rng.normal(0, 1, (20, 2)), rng.normal(0, 1, (20, 2)) + 8.0])
    score = isolation_forest(train, test, None, seed=0)
    assert roc_auc(np.r_[np.zeros(20), np.ones(20)], score) > 0.95
    assert np.array_equal(score, isolation_forest(train, test, None, seed=0))  # seeded


def test_every_detector_takes_the_same_arguments():
    rng = np.random.default_rng(2)
    train, test = rng.uniform(size=(30, 5)), rng.uniform(size=(7, 5))
    for detector in DETECTORS.values():
        assert detector(train, test, 2, 0).shape == (7,)


def test_anomaly_runs_one_per_seed_keeping_the_weights_of_every_budget():
    runs = anomaly_runs(ANOMALY, 7)
    assert [r.name for r in runs] == ["anomaly/digit7/seed0", "anomaly/digit7/seed1"]
    assert [r.params["random_state"] for r in runs] == [0, 1]
    assert runs[0].coords == {"experiment": "anomaly", "normal_class": 7, "seed": 0}
    assert budgets(ANOMALY) == [4, 20, 40]
    assert all(r.params["checkpoint_epochs"] == [4, 20, 40] and r.params["max_iter"] == 40 for r in runs)


def test_the_metrics_keep_the_counts_below_the_ceiling_apart_from_every_digit():
    import pandas as pd

    from aerepro.anomaly.report import summary_metrics
    from aerepro.anomaly.summary import ceiling_counts, validation_counts, win_count

    table = pd.DataFrame({"normal_class": [0, 1, 2], "difference_median": [-0.01, -0.001, 0.02],
                          "difference_low": [-0.02, -0.002, 0.01], "difference_high": [-0.005, -0.0005, 0.03],
                          "at_ceiling": [False, True, False],
                          **{f"{m}_median": [0.9, 0.999, 0.8] for m in ("autoencoder", "pca", "isolation_forest")}})
    wins = win_count(table)
    runs = pd.DataFrame({"validation_roc_auc": [1.0, 0.99, 1.0], "chosen_epochs": [4, 40, 20]})
    metrics = summary_metrics(table, wins, wins, 6, ceiling_counts(table, (0.85, 0.95)),
                              validation_counts(runs, [4, 20, 40]))
    assert (metrics["pca_beats_autoencoder"], metrics["pca_beats_autoencoder_every_digit"]) == (1, 2)
    assert metrics["autoencoder_beats_pca_interval_excludes_zero"] == 1
    assert (metrics["digits_at_ceiling"], metrics["digits_below_ceiling"], metrics["splits"]) == (1, 2, 6)
    assert metrics["median_roc_auc"]["pca"] == 0.9
    assert metrics["below_ceiling_at"] == {
        "0.85": {"digits": 1, "pca_beats_autoencoder": 0, "autoencoder_beats_pca": 1},
        "0.95": {"digits": 2, "pca_beats_autoencoder": 1, "autoencoder_beats_pca": 1}}
    assert (metrics["runs_validation_roc_auc_one"], metrics["median_validation_roc_auc"]) == (2, 1.0)
