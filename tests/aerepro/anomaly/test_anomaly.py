"""The anomaly study: its baselines on constructed data, its split, and its table of ROC AUCs."""

import numpy as np
import pandas as pd
import pytest

from aerepro.anomaly.baselines import DETECTORS, isolation_forest, pca_error, roc_auc
from aerepro.anomaly.grid import anomaly_runs, digits_split
from aerepro.anomaly.page import auc_table

ANOMALY = {"test_size": 0.3, "split_seed": 0, "seeds": [0, 1], "estimator": {"hidden_layer_sizes": [4]}}


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


def test_roc_auc_of_a_reversed_score_is_one_minus():
    y, s = np.array([0, 0, 1, 1, 0]), np.array([0.1, 0.4, 0.35, 0.8, 0.2])
    assert roc_auc(y, -s) == pytest.approx(1 - roc_auc(y, s))


def test_every_detector_takes_the_same_arguments():
    rng = np.random.default_rng(2)
    train, test = rng.uniform(size=(30, 5)), rng.uniform(size=(7, 5))
    for detector in DETECTORS.values():
        assert detector(train, test, 2, 0).shape == (7,)


def test_digits_split_holds_out_the_normal_class_and_keeps_every_other_digit():
    X_train, X_test, is_anomaly, digit = digits_split(ANOMALY, 3)
    assert X_train.min() >= 0 and X_train.max() <= 1
    assert (digit[is_anomaly == 0] == 3).all() and (digit[is_anomaly == 1] != 3).all()
    assert set(digit[is_anomaly == 1]) == set(range(10)) - {3}
    n_normal = len(X_train) + (is_anomaly == 0).sum()
    assert (is_anomaly == 0).sum() == int(np.ceil(0.3 * n_normal))


def test_anomaly_runs_one_per_seed():
    runs = anomaly_runs(ANOMALY, 7)
    assert [r.name for r in runs] == ["anomaly/digit7/seed0", "anomaly/digit7/seed1"]
    assert [r.params["random_state"] for r in runs] == [0, 1]
    assert runs[0].coords == {"experiment": "anomaly", "normal_class": 7, "seed": 0}


def test_auc_table_medians_and_ranges_per_digit():
    records = pd.DataFrame({"normal_class": [0, 0, 0, 1, 1, 1], "seed": [0, 1, 2] * 2, "n_train": [5] * 6,
                            "autoencoder_roc_auc": [0.9, 0.7, 0.8, 1.0, 1.0, 0.5],
                            "pca_roc_auc": [0.6] * 6})
    table = auc_table(records, ["autoencoder", "pca"]).set_index("normal_class")
    assert table.loc[0, "autoencoder_median"] == pytest.approx(0.8)
    assert (table.loc[1, "autoencoder_min"], table.loc[1, "autoencoder_max"]) == (0.5, 1.0)
    assert table.loc[1, "pca_min"] == table.loc[1, "pca_max"] == 0.6
    assert table.loc[0, "seeds"] == 3
