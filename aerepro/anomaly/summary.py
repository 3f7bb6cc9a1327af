"""What the anomaly runs say per digit: medians over splits with intervals, the paired difference
autoencoder - PCA, the digits at the ceiling, and the count of digits each method wins.

Every interval is :func:`aerepro.intervals.median_interval` (sign test, ``nan``
with too few splits). The difference is paired: the autoencoder and PCA of a
row were trained and tested on the same split.
"""

import pandas as pd

from ..intervals import median_interval
from .baselines import AUTOENCODER

__all__ = ["CEILING", "COMPARED", "digit_table", "win_count"]

#: A digit is at the ceiling when the median ROC AUC of every compared method is at least this.
CEILING = 0.995
#: The pair compared, first minus second: the autoencoder against PCA, both scored by squared error.
COMPARED = (AUTOENCODER, "pca")


def _interval(prefix, values):
    median, low, high = median_interval(values)
    return {f"{prefix}_median": median, f"{prefix}_low": low, f"{prefix}_high": high}


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
        ``_low``, ``_high``; ``at_ceiling``.
    """
    first, second = compared
    rows = []
    for normal_class, group in records.groupby("normal_class"):
        row = {"normal_class": normal_class, "splits": len(group), "n_train": float(group["n_train"].median())}
        for m in methods:
            row |= _interval(m, group[f"{m}_roc_auc"])
        row |= _interval("difference", group[f"{first}_roc_auc"] - group[f"{second}_roc_auc"])
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
    digit, the ceiling's included.
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
    }
