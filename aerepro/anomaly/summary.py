"""What the anomaly runs say per digit: medians over splits with intervals, the paired difference
autoencoder - PCA with the splits each method is ahead in, the digits at the ceiling (and at other cut-offs),
the borderline digits, and the count of digits each method is ahead on.

Every interval is :func:`aerepro.intervals.median_interval` (sign test, ``nan``
with too few splits). The difference is paired: the autoencoder and PCA of a
row were trained and tested on the same split.
"""

import math

import pandas as pd

from ..intervals import median_interval
from .baselines import AUTOENCODER

__all__ = ["CEILING", "CEILING_ALTERNATIVES", "BORDERLINE_SHARE", "COMPARED", "digit_table", "win_count",
           "borderline_ahead", "ceiling_counts", "nearest_miss", "validation_counts"]

#: A digit is at the ceiling when the median ROC AUC of every compared method is at least this. A free cut-off,
#: applied to the test medians themselves: the page shows the counts at :data:`CEILING_ALTERNATIVES` too.
CEILING = 0.995
#: Other cut-offs at which the page counts the digits below the ceiling, to show what the count depends on.
CEILING_ALTERNATIVES = (0.99, 0.999)
#: A digit is borderline when the interval of its paired difference includes 0 (defined, not deciding) but one
#: method is ahead in at least this share of the splits (5 of 6).
BORDERLINE_SHARE = 5 / 6
#: The pair compared, first minus second: the autoencoder against PCA, both scored by squared error.
COMPARED = (AUTOENCODER, "pca")


def _interval(prefix, values):
    median, low, high = median_interval(values)
    return {f"{prefix}_median": median, f"{prefix}_low": low, f"{prefix}_high": high}


def borderline_ahead(splits, share=BORDERLINE_SHARE):
    """The fewest splits one method must be ahead in for a digit to be borderline.

    >>> borderline_ahead(6), borderline_ahead(10)
    (5, 9)
    """
    return math.ceil(share * splits - 1e-9)


def digit_table(records, methods, compared=COMPARED, ceiling=CEILING):
    """One row per normal class: the median ROC AUC of each method with its interval, the paired difference.

    Parameters
    ----------
    records : DataFrame
        One row per run: ``normal_class``, ``seed``, ``n_train`` and ``<method>_roc_auc``.
    methods : list of str
    compared : (str, str)
        The methods whose per-split difference (first minus second) is taken.
    ceiling : float
        ``at_ceiling`` when the median of both compared methods is at least this.

    Returns
    -------
    DataFrame
        ``normal_class``, ``splits``, ``n_train`` (median), per method
        ``<method>_median``, ``_low``, ``_high``; ``difference_median``,
        ``_low``, ``_high``; ``first_ahead`` / ``second_ahead`` / ``equal`` (splits where the
        difference is above / below / at 0); ``borderline`` (the interval includes 0 but one method is ahead
        in at least :data:`BORDERLINE_SHARE` of the splits; never with an undefined interval); ``at_ceiling``.
    """
    first, second = compared
    rows = []
    for normal_class, group in records.groupby("normal_class"):
        row = {"normal_class": normal_class, "splits": len(group), "n_train": float(group["n_train"].median())}
        for m in methods:
            row |= _interval(m, group[f"{m}_roc_auc"])
        difference = group[f"{first}_roc_auc"] - group[f"{second}_roc_auc"]
        row |= _interval("difference", difference)
        row |= {"first_ahead": int((difference > 0).sum()), "second_ahead": int((difference < 0).sum()),
                "equal": int((difference == 0).sum())}
        undecided = row["difference_low"] <= 0 <= row["difference_high"]  # False when undefined (nan)
        agreeing = max(row["first_ahead"], row["second_ahead"])
        row["borderline"] = bool(undecided and agreeing >= borderline_ahead(len(group)))
        row["at_ceiling"] = all(row[f"{m}_median"] >= ceiling for m in compared)
        rows.append(row)
    return pd.DataFrame(rows)


def win_count(table):
    """How the compared pair splits the digits below the ceiling.

    Returns a dict: ``at_ceiling`` and ``below_ceiling`` (digits),
    ``second_wins`` / ``first_wins`` (median difference below / above 0),
    ``second_wins_decided`` / ``first_wins_decided`` (the interval excludes 0
    on that side; never with an undefined interval) and ``ties``; and
    ``every_second_wins`` / ``every_second_wins_decided``, the same over every
    digit, the ceiling's included; ``borderline``, the borderline digits among every digit.
    """
    below = table[~table["at_ceiling"]]
    return {
        "digits": len(table),
        "every_second_wins": int((table["difference_median"] < 0).sum()),
        "every_second_wins_decided": int((table["difference_high"] < 0).sum()),
        "at_ceiling": int(table["at_ceiling"].sum()),
        "below_ceiling": len(below),
        "second_wins": int((below["difference_median"] < 0).sum()),
        "second_wins_decided": int((below["difference_high"] < 0).sum()),
        "first_wins": int((below["difference_median"] > 0).sum()),
        "first_wins_decided": int((below["difference_low"] > 0).sum()),
        "ties": int((below["difference_median"] == 0).sum()),
        "borderline": int(table["borderline"].sum()) if "borderline" in table else 0,
    }


def ceiling_counts(table, ceilings=CEILING_ALTERNATIVES, compared=COMPARED):
    """What the count below the ceiling would be at other cut-offs.

    Returns a list of dicts, one per ceiling: ``ceiling``, ``below_ceiling``
    (digits where some compared median is below it), and among those
    ``second_wins`` / ``first_wins`` (median paired difference below / above 0).
    """
    lowest = table[[f"{m}_median" for m in compared]].min(axis=1)
    out = []
    for ceiling in ceilings:
        below = table[lowest < ceiling]
        out.append({"ceiling": ceiling, "below_ceiling": len(below),
                    "second_wins": int((below["difference_median"] < 0).sum()),
                    "first_wins": int((below["difference_median"] > 0).sum())})
    return out


def nearest_miss(table, ceiling=CEILING, compared=COMPARED):
    """``(digit, method, median)`` of the digit below the ceiling closest to it (by its lowest compared median),
    or None when no digit is below."""
    best = None
    for row in table.to_dict("records"):
        method = min(compared, key=lambda m: row[f"{m}_median"])
        median = row[f"{method}_median"]
        if median < ceiling and (best is None or median > best[2]):
            best = (row["normal_class"], method, median)
    return best


def validation_counts(records, budgets):
    """How the epoch budget was chosen, from the runs: ``median`` validation ROC AUC of the chosen budget,
    ``at_one`` (runs whose chosen budget scores 1.0, the highest possible, so that the fewest epochs reaching
    1.0 are chosen), and per budget ``chosen`` and ``chosen_at_one`` (runs)."""
    auc = records["validation_roc_auc"]
    return {"runs": len(records), "median": float(auc.median()), "at_one": int((auc == 1).sum()),
            "chosen": {b: int((records["chosen_epochs"] == b).sum()) for b in budgets},
            "chosen_at_one": {b: int(((records["chosen_epochs"] == b) & (auc == 1)).sum()) for b in budgets}}
