"""The batch-size comparison: its grid and its table, on constructed curves."""

import numpy as np
import pandas as pd
import pytest

from aerepro.paper.batches import batch_table, epochs_to_reach, rising_share
from aerepro.paper.grid import BATCH_SIZES, VARIANTS, expand_batches, expand_paper

PAPER = {"estimator": {"hidden_layer_sizes": [4], "batch_size": 1, "max_iter": 10},
         "variants": {"plain": {}, "l2": {"alpha": 0.1}}, "seeds": [0, 3], "batch_sizes": [1, 8]}


def test_epochs_to_reach_is_the_first_epoch_at_or_below_the_level():
    assert epochs_to_reach([1.0, 0.5, 0.2, 0.3, 0.1], 0.2) == 3
    assert epochs_to_reach([0.1], 0.2) == 1
    assert np.isnan(epochs_to_reach([1.0, 0.5], 0.2))


def test_rising_share_counts_epochs_above_the_one_before():
    assert rising_share([1.0, 0.5, 0.6, 0.4, 0.45]) == 0.5
    assert rising_share([3.0, 2.0, 1.0]) == 0.0
    assert np.isnan(rising_share([1.0]))


def test_expand_batches_sets_the_batch_size_and_the_seed():
    runs = expand_batches(PAPER)
    assert [r.name for r in runs] == ["paper/batch1/seed0", "paper/batch1/seed3", "paper/batch8/seed0",
                                      "paper/batch8/seed3"]
    assert [(r.params["batch_size"], r.params["random_state"]) for r in runs] == [(1, 0), (1, 3), (8, 0), (8, 3)]
    assert {r.coords["comparison"] for r in runs} == {BATCH_SIZES}
    assert runs[2].params["max_iter"] == 10 and "alpha" not in runs[2].params


def test_variant_runs_carry_the_estimators_batch_size():
    runs = expand_paper(PAPER)
    assert {(r.coords["comparison"], r.coords["batch_size"]) for r in runs} == {(VARIANTS, 1)}


def test_batch_table_on_constructed_runs():
    records = pd.DataFrame({"run": ["a", "b", "c", "d"], "batch_size": [1, 1, 8, 8], "epochs": [4, 4, 4, 4],
                            "train_seconds": [8.0, 4.0, 1.0, 1.0], "final_loss": [0.1, 0.3, 0.5, 0.7]})
    curves = {"a": [0.9, 0.4, 0.2, 0.1], "b": [0.9, 0.8, 0.2, 0.3], "c": [0.9, 0.8, 0.7, 0.5],
              "d": [0.9, 0.8, 0.75, 0.7]}
    table = batch_table(records, curves, 0.2).set_index("batch_size")
    assert table.loc[1, "seeds"] == 2 and table.loc[1, "reached"] == 2 and table.loc[8, "reached"] == 0
    assert table.loc[1, "seconds_per_epoch"] == pytest.approx(1.5)  # median of 2 and 1
    assert table.loc[1, "epochs_to_level"] == 3
    assert table.loc[1, "seconds_to_level"] == pytest.approx((6.0 + 3.0) / 2)
    assert np.isnan(table.loc[8, "epochs_to_level"])
    assert table.loc[1, "rising_share"] == pytest.approx((0.0 + 1 / 3) / 2)  # b rises once in 3 steps
    assert (table.loc[8, "min_final_loss"], table.loc[8, "max_final_loss"]) == (0.5, 0.7)
