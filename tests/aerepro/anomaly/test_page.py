"""The page's finding: its headline gives effect sizes, decides only where an interval excludes 0, marks the
borderline digits and says what the counts depend on (the ceiling, the score, the tie rule)."""

import pandas as pd

from aerepro.anomaly.page import (by_loss_line, chosen_counts, choice_line, difference_spec, headline, shown_table,
                                  stop_line, verdict)
from aerepro.anomaly.summary import validation_counts, win_count


def table(differences, ceiling=(), borderline=(), ahead=None):
    rows = []
    for d, (m, lo, hi) in enumerate(differences):
        first, second = ahead[d] if ahead else (0, 0)
        rows.append({"normal_class": d, "splits": 6, "difference_median": m, "difference_low": lo,
                     "difference_high": hi, "at_ceiling": d in ceiling, "borderline": d in borderline,
                     "first_ahead": first, "second_ahead": second, "equal": 6 - first - second,
                     "autoencoder_median": 0.99, "pca_median": 0.99})
    return pd.DataFrame(rows)


def test_the_headline_gives_effect_sizes_and_the_counts_below_the_ceiling_on_the_median_difference():
    t = table([(-0.02, -0.03, -0.01), (-0.02, -0.03, 0.01), (0.01, -0.01, 0.02), (-0.001, -0.002, 0.0)],
              ceiling={3})
    text = headline(win_count(t), t, splits=6)
    assert text.startswith("**The median paired difference autoencoder − PCA runs from -0.0200 (digit 0) to "
                           "+0.0100 (digit 2); its 95% interval excludes 0 on 1 of the 3 digits")
    assert "the median paired difference is below 0 (PCA ahead) on 2 of the 3 digits and above 0" in text
    assert "its interval excludes 0 on 1 of PCA's digits and 0 of the autoencoder's" in text
    assert "1 of the 4 digits (3) sit at the ceiling" in text
    assert "the median difference is below 0 on 3 of the 4 digits, the interval excluding 0 on 1" in text
    assert "undefined" not in text and "median test ROC AUC is above" not in text


def test_with_no_interval_excluding_zero_the_verdict_is_not_decided_with_its_effect_sizes():
    t = table([(-0.02, -0.03, 0.01), (0.01, -0.01, 0.02)])
    wins = win_count(t)
    assert verdict(wins, t) == ("Not decided: the median paired difference autoencoder − PCA runs from -0.0200 "
                                "(digit 0) to +0.0100 (digit 1), and on no digit does its 95% interval exclude 0")
    text = headline(wins, t, splits=6)
    assert "no winner" not in text and "no equivalence margin was set" in text
    assert "No digit sits at the ceiling" in text


def test_the_headline_names_the_borderline_digits_with_their_split_counts_and_the_shared_images():
    t = table([(0.0036, -0.0002, 0.0079), (-0.001, -0.003, 0.002)], borderline={0}, ahead=[(5, 1), (3, 3)])
    text = headline(win_count(t), t, splits=6)
    assert ("at least 5 of the 6 splits: digit 0 (autoencoder ahead in 5 of 6 splits, "
            "+0.0036 [-0.0002, +0.0079])") in text
    assert "re-divide the same images" in text and "not independent samples" in text
    assert "No digit is borderline" in headline(win_count(table([(0.01, -0.01, 0.02)])), table([(0.01, -0.01, 0.02)]),
                                                splits=6)


def test_the_headline_shows_the_count_at_other_ceilings_and_under_the_other_score():
    t = table([(-0.02, -0.03, 0.01), (0.01, -0.01, 0.02)])
    t["autoencoder_median"], t["pca_median"] = [0.9925, 0.98], [1.0, 1.0]
    ceilings = [{"ceiling": 0.99, "below_ceiling": 1, "second_wins": 0, "first_wins": 1}]
    by_loss = dict(win_count(t), every_second_wins_decided=4)
    text = headline(win_count(t), t, 6, ceilings, by_loss)
    assert "free cut-off" in text
    assert "nearest miss is digit 0, whose autoencoder median 0.9925 is 0.0025 below it" in text
    assert "at 0.99, 1 digits are below it, the median difference below 0 on 0 and above 0 on 1" in text
    assert "the count depends on it" in text and "in PCA's favour on 4 of the 2 digits, against 0" in text


def test_the_difference_gets_enough_decimals_that_no_nonzero_bound_prints_as_zero():
    t = table([(-0.0002, -0.0009, 0.00004), (0.0, -0.001, 0.0)])
    assert difference_spec(t) == "+.5f"
    assert difference_spec(table([(-0.002, -0.009, 0.001)])) == "+.4f"
    shown = shown_table(t.assign(n_train=90.0), [])
    assert shown.iloc[0]["autoencoder − PCA"] == "-0.00020 [-0.00090, +0.00004]"


def test_the_table_gives_the_splits_each_is_ahead_in_and_the_borderline_mark():
    t = table([(0.0036, -0.0002, 0.0079), (0.0, -0.001, 0.001)], borderline={0}, ahead=[(5, 1), (1, 1)])
    shown = shown_table(t.assign(n_train=90.0), []).set_index("normal digit")
    assert shown.loc[0, "splits ahead, autoencoder : PCA"] == "5 : 1"
    assert shown.loc[1, "splits ahead, autoencoder : PCA"] == "1 : 1 (4 equal)"
    assert shown["borderline"].tolist() == ["**yes**", ""]


def test_the_by_loss_line_says_the_count_depends_on_the_score_and_the_tuning_is_for_the_other():
    by_loss = pd.DataFrame({"autoencoder_by_loss_median": [0.99, 0.98]})
    text = by_loss_line(by_loss, {"every_second_wins": 2, "every_second_wins_decided": 1, "digits": 2},
                        {"every_second_wins": 1, "every_second_wins_decided": 0})
    assert "depends on the score" in text and "tuned for the other score" in text
    assert "as this page did before" not in text and "the measure alone" not in text


def test_the_choice_line_counts_the_runs_chosen_at_validation_auc_one():
    runs = pd.DataFrame({"validation_roc_auc": [1.0, 1.0, 0.99, 0.98], "chosen_epochs": [15, 15, 150, 300]})
    text = choice_line(validation_counts(runs, [15, 150, 300]))
    assert "median over the 4 runs is 0.9950, and 2 runs reach 1.000" in text
    assert "(2 of the 2 choosing 15, 0 of the 1 choosing 150, 0 of the 1 choosing 300)" in text
    assert "not counted here" in text


def test_the_stop_line_is_worded_from_the_runs():
    assert "none of the 2 runs stopped early" in stop_line(pd.DataFrame({"epochs": [300, 300]}), 300)
    assert "1 of the 2 runs stopped early" in stop_line(pd.DataFrame({"epochs": [120, 300]}), 300)


def test_undefined_intervals_are_said_so():
    t = table([(-0.02, float("nan"), float("nan"))])
    assert "With 1 splits some intervals are undefined" in headline(win_count(t), t, splits=1)


def test_chosen_counts_lists_every_candidate_even_when_never_chosen():
    records = pd.DataFrame({"chosen_epochs": [30, 30, 300]})
    assert chosen_counts(records, [15, 30, 300]) == "15 epochs on 0, 30 epochs on 2, 300 epochs on 1"
