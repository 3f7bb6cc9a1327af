"""Tests of aerepro.plateau: the input-blind loss and which runs sit on the symmetric plateau."""

import numpy as np
import pandas as pd
import pytest

from ae.losses import binary_crossentropy
from aerepro.plateau import input_blind_loss, on_plateau


def bce(X, p):
    """The library's loss of predicting ``p`` everywhere (one model of a stack)."""
    return float(binary_crossentropy(np.full((1, *X.shape), p), X[None])[0])


@pytest.mark.parametrize("n", [2, 4, 16, 256])
def test_input_blind_loss_is_the_loss_of_predicting_one_over_n_everywhere(n):
    X = np.eye(n)
    assert input_blind_loss(n) == pytest.approx(bce(X, 1 / n), rel=1e-12)
    for p in (0.5 / n, min(2.0 / n, 0.9)):  # and no other constant does better
        assert bce(X, p) > input_blind_loss(n)


def test_input_blind_loss_needs_two_patterns():
    with pytest.raises(ValueError, match="got 1"):
        input_blind_loss(1)


def runs(**columns):
    base = {"symmetric_collapse": [False] * 4, "distinct_codes": [16] * 4, "reconstructs_all": [True] * 4,
            "n_code": [5] * 4, "dead_units": [0] * 4}
    return pd.DataFrame(base | columns)


def test_identical_units_or_one_code_reconstructing_nothing_is_the_plateau():
    frame = runs(symmetric_collapse=[True, False, False, False], distinct_codes=[16, 1, 1, 16],
                 reconstructs_all=[True, False, True, False])
    assert on_plateau(frame).tolist() == [True, True, False, False]


def test_every_unit_dead_is_not_the_plateau_and_no_dead_column_means_none_dead():
    frame = runs(symmetric_collapse=[True] * 4, dead_units=[0, 4, 5, 5], n_code=[5, 5, 5, 6])
    assert on_plateau(frame).tolist() == [True, True, False, True]
    assert on_plateau(frame.drop(columns="dead_units")).tolist() == [True] * 4


def test_a_table_without_the_code_columns_has_no_run_on_the_plateau():
    assert not on_plateau(pd.DataFrame({"final_loss": [input_blind_loss(16)]})).any()
