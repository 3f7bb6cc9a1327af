"""Per digit: medians with intervals, the paired difference, the ceiling mark and the win count."""

import math

import numpy as np
import pandas as pd
import pytest

from aerepro.anomaly.summary import CEILING, digit_table, win_count
from aerepro.intervals import median_interval


def records(aucs):
    """Runs of digit -> {method: ROC AUC per seed}, the seeds in order."""
    rows = []
    for digit, methods in aucs.items():
        n = len(next(iter(methods.values())))
        for seed in range(n):
            rows.append({"normal_class": digit, "seed": seed, "n_train": 90,
                         **{f"{m}_roc_auc": v[seed] for m, v in methods.items()}})
    return pd.DataFrame(rows)


AE = [0.90, 0.91, 0.92, 0.93, 0.94, 0.95, 0.96]
PCA = [0.95, 0.96, 0.97, 0.98, 0.99, 0.90, 0.91]  # paired: PCA above on five splits, below on the last two


def test_medians_and_intervals_are_the_sign_test_s():
    table = digit_table(records({3: {"autoencoder": AE, "pca": PCA}}), ["autoencoder", "pca"]).iloc[0]
    assert (table["autoencoder_median"], table["autoencoder_low"], table["autoencoder_high"]) == median_interval(AE)
    assert table["splits"] == 7 and table["n_train"] == 90


def test_the_difference_is_paired_by_split():
    table = digit_table(records({3: {"autoencoder": AE, "pca": PCA}}), ["autoencoder", "pca"]).iloc[0]
    paired = np.subtract(AE, PCA)
    assert (table["difference_median"], table["difference_low"], table["difference_high"]) == median_interval(paired)
    # not the difference of the medians, nor of shuffled pairs
    assert table["difference_median"] != pytest.approx(np.median(AE) - np.median(PCA))
    assert table["difference_median"] == pytest.approx(-0.05)


def test_a_digit_is_at_the_ceiling_when_every_compared_median_reaches_it():
    high, just_below = [CEILING] * 6, [CEILING - 0.001] * 6
    table = digit_table(records({0: {"autoencoder": high, "pca": [1.0] * 6, "isolation_forest": [0.5] * 6},
                                 1: {"autoencoder": just_below, "pca": [1.0] * 6, "isolation_forest": [1.0] * 6}}),
                        ["autoencoder", "pca", "isolation_forest"]).set_index("normal_class")
    assert table.loc[0, "at_ceiling"] and not table.loc[1, "at_ceiling"]  # IsolationForest is not compared


def table_of(differences, ceiling=()):
    """A digit table with given paired-difference (median, low, high) per digit."""
    return pd.DataFrame([{"normal_class": d, "difference_median": m, "difference_low": lo, "difference_high": hi,
                          "at_ceiling": d in ceiling} for d, (m, lo, hi) in enumerate(differences)])


def test_win_count_counts_below_the_ceiling_and_decides_only_where_the_interval_excludes_zero():
    wins = win_count(table_of([(-0.02, -0.03, -0.01),   # PCA wins, decided
                               (-0.02, -0.03, 0.01),    # PCA wins, not decided
                               (0.01, 0.005, 0.02),     # autoencoder wins, decided
                               (0.0, -0.01, 0.01),      # a tie
                               (-0.001, -0.002, -0.0005),  # at the ceiling: counted apart
                               (-0.01, math.nan, math.nan)],  # no interval: never decided
                              ceiling={4}))
    assert wins == {"digits": 6, "every_second_wins": 4, "every_second_wins_decided": 2,
                    "at_ceiling": 1, "below_ceiling": 5, "second_wins": 3, "second_wins_decided": 1,
                    "first_wins": 1, "first_wins_decided": 1, "ties": 1}
