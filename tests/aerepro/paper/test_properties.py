"""The variants' measured properties, on constructed cases."""

import numpy as np
import pandas as pd
import pytest

from aerepro.paper.properties import (
    code_activity,
    corrupted_column,
    corrupted_copies,
    property_summary,
    reconstruction_loss,
    weight_norm,
)

# Two patterns a denoiser can tell apart from any masked copy: all zeros and all ones.
X = np.array([[0.0, 0.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0]])


def identity(Z):
    return Z


def majority_of_survivors(Z):
    """Knows the data: any surviving 1 means the all-ones pattern."""
    return np.repeat(Z.max(axis=1, keepdims=True), Z.shape[1], axis=1)


def loss_from_corrupted(predict, level, seed=0):
    clean, corrupted = corrupted_copies(X, level, "masking", 200, seed)
    return reconstruction_loss(predict(corrupted), clean, "binary_crossentropy")


def test_a_denoiser_beats_the_identity_on_corrupted_inputs():
    for level in (0.2, 0.4):
        assert loss_from_corrupted(majority_of_survivors, level) < loss_from_corrupted(identity, level) / 10


def test_on_clean_inputs_the_two_are_equal():
    assert loss_from_corrupted(majority_of_survivors, 0.0) == loss_from_corrupted(identity, 0.0)
    assert reconstruction_loss(X, X, "binary_crossentropy") < 1e-6


def test_corrupted_copies_mask_about_the_level_and_only_zero_entries():
    clean, corrupted = corrupted_copies(X, 0.3, "masking", 500, seed=1)
    assert clean.shape == corrupted.shape == (1000, 4)
    assert np.array_equal(clean[:2], X) and np.array_equal(clean[2:4], X)
    assert set(np.unique(corrupted)) <= {0.0, 1.0} and (corrupted <= clean).all()
    ones = clean == 1
    assert 1 - corrupted[ones].mean() == pytest.approx(0.3, abs=0.03)


def test_corrupted_copies_are_the_same_for_the_same_seed():
    a, b, c = (corrupted_copies(X, 0.3, "masking", 10, seed)[1] for seed in (5, 5, 6))
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_code_activity():
    H = np.array([[0.0, 0.5], [-0.01, 1.0]])
    mean, silent = code_activity(H, 0.05)
    assert mean == pytest.approx(1.49 / 4)
    assert silent == 0.5  # 0.0 and -0.01 are below 0.05 in magnitude


def test_weight_norm_of_all_matrices_together():
    assert weight_norm([np.array([[3.0]]), np.array([[0.0, 4.0]])]) == pytest.approx(5.0)


def test_corrupted_column_names_the_level_in_percent():
    assert corrupted_column(0.2) == "corrupted_loss_20pct"
    assert corrupted_column(0.05) == "corrupted_loss_5pct"


def test_property_summary_is_the_median_and_range_per_variant():
    records = pd.DataFrame({"variant": ["plain"] * 3 + ["other"] * 3,
                            "clean_loss": [1.0, 2.0, 9.0, 0.5, 0.5, 0.6]})
    out = property_summary(records, ["clean_loss"])
    assert list(out.index) == ["plain", "other"]
    assert list(out.columns) == ["clean_loss", "clean_loss_min", "clean_loss_max"]
    assert out.loc["plain", "clean_loss"] == 2.0
    assert out.loc["other", "clean_loss_min"] == 0.5 and out.loc["other", "clean_loss_max"] == 0.6
