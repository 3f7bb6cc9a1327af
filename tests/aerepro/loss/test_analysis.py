"""aerepro.loss.analysis: paired differences with censored runs kept, the interval that holds whatever they took."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aerepro.intervals import median_interval
from aerepro.loss.analysis import (VERDICTS, configuration_table, decide, difference_bounds, difference_interval,
                                   metrics, pairs)

COMPARED = ["binary_crossentropy", "mse"]


def test_bounds_are_exact_where_both_reconstructed_and_open_on_the_censored_side():
    low, high = difference_bounds([100, 100, np.nan, np.nan], [300, np.nan, 300, np.nan], 1000)
    assert low.tolist() == [200, 900, -np.inf, -np.inf]
    assert high.tolist() == [200, np.inf, -700, np.inf]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 60), st.integers(1, 60)), min_size=6, max_size=30), st.integers(10, 50))
def test_the_interval_from_censored_pairs_holds_the_interval_of_what_they_would_have_taken(epochs, budget):
    first, second = (np.array(e, dtype=float) for e in zip(*epochs))
    seen = [np.where(e > budget, np.nan, e) for e in (first, second)]  # past the budget: not seen
    low, high = difference_bounds(*seen, budget)
    assert np.all(low <= second - first) and np.all(second - first <= high)
    found = difference_interval(low, high)
    true_median, true_low, true_high = median_interval(second - first)
    assert found["low"] <= true_low and true_high <= found["high"]
    assert found["median_low"] <= true_median <= found["median_high"]
    if not (np.isnan(seen[0]).any() or np.isnan(seen[1]).any()):
        assert (found["low"], found["high"], found["median"]) == (true_low, true_high, true_median)


def test_decide_reads_the_interval_against_zero():
    assert [decide(1, 5, 3), decide(-5, -1, 3), decide(-1, 5, 3), decide(0, 5, 3)] == \
        ["holds", "fails", "borderline", "borderline"]
    assert decide(-np.inf, -1, 3) == "fails"  # an open end does not stop a decision on the other side
    assert decide(np.nan, np.nan, 3) == "n/a" and decide(-np.inf, np.inf, 0) == "n/a"


def _runs(epochs_by_loss, configuration="8-3-8"):
    """A runs table: one row per (loss, start), the epochs given per loss in start order (NaN: not reconstructed)."""
    rows = []
    for loss, epochs in epochs_by_loss.items():
        for k, epoch in enumerate(epochs):
            rows.append({"run": f"{configuration}/{loss}/{k}", "configuration": configuration, "loss": loss,
                         "init_value": 1.0, "seed": k, "reconstruction_epoch": epoch, "max_error": 0.1})
    return pd.DataFrame(rows)


def test_pairs_join_the_two_losses_on_the_same_start_whatever_the_row_order():
    runs = _runs({"mse": [300.0, np.nan], "binary_crossentropy": [100.0, 200.0]}).iloc[::-1]
    table = pairs(runs, COMPARED, {"8-3-8": 1000}).sort_values("seed")
    assert table["first"].tolist() == [100.0, 200.0]
    assert table["low"].tolist() == [200.0, 800.0] and table["high"].tolist() == [200.0, np.inf]


def test_the_configuration_table_counts_censored_runs_and_decides():
    ce = [1000.0, 1200.0, 900.0, np.nan, 1100.0, 1300.0, 1250.0, np.nan, 1000.0, 1100.0, 1200.0]
    mse = [800.0, 700.0, 600.0, 900.0, 650.0, 1000.0, 700.0, np.nan, 600.0, 700.0, 800.0]
    runs = _runs({"binary_crossentropy": ce, "mse": mse})
    table = configuration_table(runs, pairs(runs, COMPARED, {"8-3-8": 1500}), COMPARED, {"8-3-8": 1500})
    row = table.iloc[0]
    assert (row["reconstructed_binary_crossentropy"], row["reconstructed_mse"], row["both_censored"]) == (9, 10, 1)
    assert row["median_epoch_binary_crossentropy"] == 1200.0  # the two censored count as past the budget
    assert row["state"] == "fails" and row["high"] < 0 and row["low"] == -np.inf
    out = metrics(table, COMPARED)["8-3-8"]
    assert out["verdict"] == VERDICTS["fails"] and out["low"] is None and out["high"] == row["high"]  # JSON: no inf
    assert set(out) == {"verdict", "epochs_mse_minus_binary_crossentropy", "low", "high", "pairs",
                        "reconstructed_binary_crossentropy", "reconstructed_mse"}


def test_a_configuration_where_nothing_reconstructs_is_na_not_a_number():
    runs = _runs({"binary_crossentropy": [np.nan] * 8, "mse": [np.nan] * 8})
    table = configuration_table(runs, pairs(runs, COMPARED, {"8-3-8": 500}), COMPARED, {"8-3-8": 500})
    assert table.iloc[0]["state"] == "n/a" and table.iloc[0]["both_censored"] == 8
    assert metrics(table, COMPARED)["8-3-8"]["epochs_mse_minus_binary_crossentropy"] is None


@pytest.mark.parametrize("n, state", [(5, "n/a"), (6, "fails")])
def test_too_few_pairs_for_an_interval_is_na(n, state):
    runs = _runs({"binary_crossentropy": [1000.0] * n, "mse": [500.0 + k for k in range(n)]})
    table = configuration_table(runs, pairs(runs, COMPARED, {"8-3-8": 2000}), COMPARED, {"8-3-8": 2000})
    assert table.iloc[0]["state"] == state
