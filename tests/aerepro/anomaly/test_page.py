"""The page's finding: its headline says which method wins where, from the win count."""

import pandas as pd

from aerepro.anomaly.page import chosen_counts, headline, verdict
from aerepro.anomaly.summary import win_count


def table(differences, ceiling=()):
    return pd.DataFrame([{"normal_class": d, "difference_median": m, "difference_low": lo, "difference_high": hi,
                          "at_ceiling": d in ceiling} for d, (m, lo, hi) in enumerate(differences)])


def test_the_headline_gives_the_counts_below_the_ceiling_and_the_ceiling_apart():
    t = table([(-0.02, -0.03, -0.01), (-0.02, -0.03, 0.01), (0.01, -0.01, 0.02), (-0.001, -0.002, 0.0)],
              ceiling={3})
    text = headline(win_count(t), t, splits=6)
    assert text.startswith("**PCA beats the autoencoder on 1 and the autoencoder beats PCA on 0 of the 3 digits")
    assert "PCA's median test ROC AUC is above the autoencoder's on 2 of the 3 digits" in text
    assert "its interval excludes 0 on 1 of PCA's digits and 0 of the autoencoder's" in text
    assert "1 of the 4 digits (3) sit at the ceiling" in text
    assert "PCA's median is above on 3 of the 4 digits, the interval excluding 0 on 1" in text
    assert "undefined" not in text


def test_with_no_interval_excluding_zero_the_headline_says_no_digit_is_won():
    t = table([(-0.02, -0.03, 0.01), (0.01, -0.01, 0.02)])
    wins = win_count(t)
    assert verdict(wins).startswith("On no digit does PCA or the autoencoder win")
    assert "No digit sits at the ceiling" in headline(wins, t, splits=6)


def test_undefined_intervals_are_said_so():
    t = table([(-0.02, float("nan"), float("nan"))])
    assert "With 1 splits some intervals are undefined" in headline(win_count(t), t, splits=1)


def test_chosen_counts_lists_every_candidate_even_when_never_chosen():
    records = pd.DataFrame({"chosen_epochs": [30, 30, 300]})
    assert chosen_counts(records, [15, 30, 300]) == "15 epochs on 0, 30 epochs on 2, 300 epochs on 1"
