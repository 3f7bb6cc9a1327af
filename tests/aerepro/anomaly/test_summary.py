"""Per digit: medians with intervals, the paired difference, the ceiling mark and the win count."""

import math

import numpy as np
import pandas as pd
import pytest

from aerepro.anomaly.summary import (CEILING, borderline_ahead, ceiling_counts, digit_table, nearest_miss,
                                     validation_counts, win_count)
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
                    "first_wins": 1, "first_wins_decided": 1, "ties": 1, "borderline": 0}


def test_the_splits_each_method_is_ahead_in_are_counted_with_the_equal_ones():
    ae = [0.90, 0.95, 0.97, 0.99, 1.0, 1.0]
    pca = [0.91, 0.94, 0.96, 0.98, 0.99, 1.0]
    row = digit_table(records({3: {"autoencoder": ae, "pca": pca}}), ["autoencoder", "pca"]).iloc[0]
    assert (row["first_ahead"], row["second_ahead"], row["equal"]) == (4, 1, 1)


def test_borderline_needs_an_interval_through_zero_and_most_splits_agreeing():
    # 6 splits: the sign-test interval is [min, max] of the paired differences
    five_of_six = [0.004, 0.003, 0.005, 0.002, 0.006, -0.0002]   # through 0, the autoencoder ahead in 5: borderline
    four_of_six = [0.004, 0.003, 0.005, 0.002, -0.001, -0.0002]  # through 0, ahead in 4 only: not borderline
    six_of_six = [0.004, 0.003, 0.005, 0.002, 0.006, 0.001]      # interval excludes 0: decided, not borderline
    aucs = {d: {"autoencoder": [0.9 + x for x in diff], "pca": [0.9] * 6}
            for d, diff in enumerate([five_of_six, four_of_six, six_of_six])}
    table = digit_table(records(aucs), ["autoencoder", "pca"]).set_index("normal_class")
    assert table["borderline"].tolist() == [True, False, False]
    assert table.loc[2, "difference_low"] > 0
    assert win_count(table.reset_index())["borderline"] == 1


def test_borderline_is_never_given_on_an_undefined_interval():
    aucs = {0: {"autoencoder": [0.95, 0.96, 0.97], "pca": [0.90, 0.90, 0.90]}}  # 3 splits: no 95% interval
    assert not digit_table(records(aucs), ["autoencoder", "pca"]).iloc[0]["borderline"]


def test_borderline_ahead_scales_with_the_splits():
    assert [borderline_ahead(n) for n in (6, 7, 12)] == [5, 6, 10]


def test_ceiling_counts_recount_below_each_cut_off_on_the_lowest_compared_median():
    table = pd.DataFrame({"normal_class": [0, 1, 2], "autoencoder_median": [0.9995, 0.996, 0.985],
                          "pca_median": [1.0, 0.997, 0.980], "difference_median": [-0.0005, -0.001, 0.005]})
    counts = ceiling_counts(table, (0.99, 0.995, 0.999), compared=("autoencoder", "pca"))
    assert [(c["ceiling"], c["below_ceiling"], c["second_wins"], c["first_wins"]) for c in counts] == [
        (0.99, 1, 0, 1), (0.995, 1, 0, 1), (0.999, 2, 1, 1)]
    assert nearest_miss(table, 0.995, ("autoencoder", "pca")) == (2, "pca", 0.98)  # the lower of the pair
    assert nearest_miss(table, 0.9, ("autoencoder", "pca")) is None


def test_validation_counts_count_the_chosen_budgets_at_validation_auc_one():
    runs = pd.DataFrame({"validation_roc_auc": [1.0, 1.0, 0.99, 1.0, 0.98],
                         "chosen_epochs": [15, 15, 15, 150, 300]})
    counts = validation_counts(runs, [15, 150, 300])
    assert counts["at_one"] == 3 and counts["median"] == 1.0
    assert counts["chosen"] == {15: 3, 150: 1, 300: 1}
    assert counts["chosen_at_one"] == {15: 2, 150: 1, 300: 0}
