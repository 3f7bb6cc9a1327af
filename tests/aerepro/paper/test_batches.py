"""The batch-size comparison: its grid and its table, on constructed curves."""

import numpy as np
import pandas as pd
import pytest

from aerepro.paper.batches import batch_table, epochs_for_updates, epochs_to_reach, rising_share, updates_per_epoch
from aerepro.paper.grid import BATCH_SIZES, EQUAL_UPDATES, VARIANTS, expand_batches, expand_equal_updates, expand_paper

PAPER = {"estimator": {"hidden_layer_sizes": [4], "batch_size": 1, "max_iter": 10},
         "variants": {"plain": {}, "l2": {"alpha": 0.1}}, "seeds": [0, 3], "batch_sizes": [1, 8],
         "equal_updates": [2, 3, 8]}


@pytest.mark.parametrize("n, size, updates", [(8, 1, 8), (8, 3, 3), (8, 8, 1), (8, 20, 1), (7, 2, 4)])
def test_updates_per_epoch_counts_the_short_last_batch(n, size, updates):
    assert updates_per_epoch(n, size) == updates


@pytest.mark.parametrize("n, size", [(8, 1), (8, 2), (8, 3), (8, 8), (7, 4), (5, 2)])
def test_epochs_for_updates_are_the_fewest_that_make_as_many(n, size):
    target = 80
    epochs = epochs_for_updates(target, n, size)
    assert epochs * updates_per_epoch(n, size) >= target
    assert (epochs - 1) * updates_per_epoch(n, size) < target


def test_expand_equal_updates_scales_the_epochs_so_the_updates_match():
    n = 8
    runs = expand_equal_updates(PAPER, n)
    assert [r.name for r in runs][:2] == ["paper/batch2-equal-updates/seed0", "paper/batch2-equal-updates/seed3"]
    assert {r.coords["comparison"] for r in runs} == {EQUAL_UPDATES}
    paper_updates = PAPER["estimator"]["max_iter"] * updates_per_epoch(n, PAPER["estimator"]["batch_size"])
    for run in runs:
        size, epochs = run.params["batch_size"], run.params["max_iter"]
        assert run.coords["batch_size"] == size and run.params["random_state"] == run.coords["seed"]
        assert epochs * updates_per_epoch(n, size) >= paper_updates  # never fewer updates than the paper's
        assert (epochs - 1) * updates_per_epoch(n, size) < paper_updates  # and no epoch more than needed
    by_size = {r.params["batch_size"]: r.params["max_iter"] for r in runs}
    assert by_size == {2: 20, 3: 27, 8: 80}  # 80 updates: 4, 3 (the last short) and 1 per epoch


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
                            "final_loss": [0.1, 0.3, 0.5, 0.7]})
    curves = {"a": [0.9, 0.4, 0.2, 0.1], "b": [0.9, 0.8, 0.2, 0.3], "c": [0.9, 0.8, 0.7, 0.5],
              "d": [0.9, 0.8, 0.75, 0.7]}
    table = batch_table(records, curves, 0.2, n_samples=8).set_index("batch_size")
    assert table.loc[1, "seeds"] == 2 and table.loc[1, "reached"] == 2 and table.loc[8, "reached"] == 0
    assert (table.loc[1, "updates"], table.loc[8, "updates"]) == (4 * 8, 4 * 1)
    assert table.loc[1, "updates_to_level"] == 3 * 8 and np.isnan(table.loc[8, "updates_to_level"])
    assert table.loc[1, "epochs_to_level"] == 3
    assert not table.columns.str.contains("seconds").any()  # no clock: the same table on every run
    assert np.isnan(table.loc[8, "epochs_to_level"])
    assert table.loc[1, "rising_share"] == pytest.approx((0.0 + 1 / 3) / 2)  # b rises once in 3 steps
    assert (table.loc[8, "min_final_loss"], table.loc[8, "max_final_loss"]) == (0.5, 0.7)
