"""Paired effects of a variant against the reference, seed by seed, on constructed runs."""

import numpy as np
import pandas as pd
import pytest

from aerepro.intervals import median_interval
from aerepro.paper.effects import effect_table, paired_differences


def runs(variant, seeds, values):
    return pd.DataFrame({"variant": variant, "seed": seeds, "loss": values})


def test_differences_pair_runs_by_seed_not_by_row_order():
    records = pd.concat([runs("plain", [0, 1, 2], [1.0, 2.0, 3.0]), runs("l2", [2, 0, 1], [3.5, 1.25, 2.0])])
    d = paired_differences(records, "loss", "l2", "plain")
    assert d.index.tolist() == [0, 1, 2]
    assert d.tolist() == [0.25, 0.0, 0.5]


def test_differences_refuse_seeds_without_a_pair():
    records = pd.concat([runs("plain", [0, 1, 2], [1.0, 2.0, 3.0]), runs("l2", [0, 1, 5], [1.0, 2.0, 3.0])])
    with pytest.raises(ValueError, match=r"\[2, 5\]"):
        paired_differences(records, "loss", "l2", "plain")


def test_differences_refuse_two_runs_of_one_seed():
    records = pd.concat([runs("plain", [0, 1], [1.0, 2.0]), runs("l2", [0, 0], [1.0, 2.0])])
    with pytest.raises(ValueError, match="more than one run"):
        paired_differences(records, "loss", "l2", "plain")


def test_effect_table_is_the_median_interval_of_the_paired_differences():
    rng = np.random.default_rng(0)
    base = rng.normal(size=10)
    shift = rng.normal(1.0, 0.1, size=10)  # every pair up by about 1: the seed's own level cancels
    records = pd.concat([runs("plain", range(10), base), runs("up", range(10), base + shift),
                         runs("same", range(10), base + np.tile([0.05, -0.05], 5) * np.arange(1, 11))])
    table = effect_table(records, ["loss"], "plain").set_index("variant")
    assert list(table.index) == ["up", "same"]  # the reference has no row
    assert tuple(table.loc["up", ["median", "low", "high"]]) == pytest.approx(median_interval(shift))
    assert table.loc["up", "pairs"] == 10 and table.loc["up", "excludes_zero"]
    assert table.loc["same", "low"] < 0 < table.loc["same", "high"] and not table.loc["same", "excludes_zero"]


def test_an_undefined_interval_excludes_nothing():
    records = pd.concat([runs("plain", [0, 1, 2], [1.0, 2.0, 3.0]), runs("up", [0, 1, 2], [2.0, 3.0, 4.0])])
    row = effect_table(records, ["loss"], "plain").iloc[0]
    assert row["median"] == 1.0 and np.isnan(row["low"]) and not row["excludes_zero"]
