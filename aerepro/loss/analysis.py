"""The claim "cross-entropy trains faster than MSE here", decided per configuration on the paired starts.

For each configuration, init and seed the two losses train from the same
start; their difference in reconstruction epochs (the second loss's minus the
first's: > 0 where the first is faster) is one paired value. A run that
never reconstructs within the budget is censored: its epoch is only known to
be past the budget, so its pair's difference is only known to lie in an
interval (:func:`difference_bounds`). The median's interval
(:func:`aerepro.intervals.median_interval`, the sign test's order statistics)
is taken of the pairs' lower bounds for its low end and of their upper
bounds for its high end: an order statistic can only grow when a value
grows, so whatever the censored runs would have taken, the true interval lies
inside this one (:func:`difference_interval`). Nothing is dropped; where
too much is censored, the interval is unbounded and decides nothing.

The state (:func:`decide`) uses the words of the blog page's claim table
(:data:`STATES`): **holds** where the interval lies above 0, **fails** where
it lies below (the other loss is faster), **borderline** where it straddles
0 (not decided: the claim stays a hypothesis; no equivalence margin was set,
so nothing here says "no difference"), **n/a** where the interval is
undefined (fewer pairs than the level needs) or no run of either loss
reconstructed.
"""

import numpy as np
import pandas as pd

from ..intervals import LEVEL, median_interval
from .grid import PAIRED_BY

__all__ = ["STATES", "VERDICTS", "difference_bounds", "difference_interval", "decide", "pairs",
           "configuration_table", "metrics"]

#: The verdict states, as the blog page's claim table words them.
STATES = ("holds", "fails", "borderline", "n/a")

#: A state as this study's page words it.
VERDICTS = {"holds": "reproduced", "fails": "not reproduced", "borderline": "not decided", "n/a": "n/a"}


def difference_bounds(first, second, budget):
    """Bounds of ``second - first`` per pair, where NaN marks a run that did not reconstruct within ``budget``.

    A censored epoch lies in ``(budget, inf)``; interval arithmetic gives
    the difference's ``(low, high)``: exact where both reconstructed.

    Examples
    --------
    >>> low, high = difference_bounds([100.0, 100.0, np.nan, np.nan], [300.0, np.nan, 300.0, np.nan], 1000)
    >>> low.tolist(), high.tolist()
    ([200.0, 900.0, -inf, -inf], [200.0, inf, -700.0, inf])
    """
    first, second = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
    first_low, first_high = np.where(np.isnan(first), budget, first), np.where(np.isnan(first), np.inf, first)
    second_low, second_high = np.where(np.isnan(second), budget, second), np.where(np.isnan(second), np.inf, second)
    return second_low - first_high, second_high - first_low


def difference_interval(low, high, level=LEVEL):
    """The median of the paired differences and its interval, from each pair's bounds.

    Returns
    -------
    dict
        ``median`` (NaN where censoring leaves it open), ``median_low`` and
        ``median_high`` (the median lies between them), ``low`` and ``high``
        (the interval; ``-inf``/``inf`` where censoring leaves an end open,
        NaN with too few pairs for ``level``).

    Examples
    --------
    >>> values = np.arange(1.0, 11.0)
    >>> difference_interval(values, values)
    {'median': 5.5, 'median_low': 5.5, 'median_high': 5.5, 'low': 2.0, 'high': 9.0}
    >>> difference_interval(values, np.r_[values[:-1], np.inf])["high"]  # the largest is censored: same interval
    9.0
    """
    median_low, low, _ = median_interval(low, level)
    median_high, _, high = median_interval(high, level)
    median = median_low if median_low == median_high else float("nan")
    return {"median": median, "median_low": median_low, "median_high": median_high, "low": low, "high": high}


def decide(low, high, reconstructed):
    """The claim's state from the interval of ``second - first`` and how many runs reconstructed (either loss).

    Examples
    --------
    >>> decide(100.0, 900.0, 10), decide(-900.0, -100.0, 10), decide(-100.0, 900.0, 10)
    ('holds', 'fails', 'borderline')
    >>> decide(float("nan"), float("nan"), 10), decide(-np.inf, np.inf, 0)
    ('n/a', 'n/a')
    """
    if reconstructed == 0 or np.isnan(low) or np.isnan(high):
        return "n/a"
    return "holds" if low > 0 else "fails" if high < 0 else "borderline"


def pairs(runs, compared, budgets):
    """One row per configuration, init and seed: each loss's reconstruction epoch and the bounds of the difference.

    Parameters
    ----------
    runs : DataFrame
        The study's runs table (:data:`~aerepro.loss.grid.PAIRED_BY`, ``loss``, ``reconstruction_epoch``).
    compared : list of str
        The two losses, the one claimed faster first.
    budgets : dict
        Configuration -> its epoch budget.

    Returns
    -------
    DataFrame
        :data:`PAIRED_BY`, ``first``, ``second`` (the epochs, NaN: not
        within the budget), ``low``, ``high`` (:func:`difference_bounds`).
    """
    first, second = compared
    keys = list(PAIRED_BY)
    epochs = runs.pivot_table(index=keys, columns="loss", values="reconstruction_epoch", aggfunc="first",
                              dropna=False, sort=False)
    table = epochs.reindex(columns=[first, second]).set_axis(["first", "second"], axis=1).reset_index()
    budget = table["configuration"].map(budgets).to_numpy(dtype=float)
    table["low"], table["high"] = difference_bounds(table["first"], table["second"], budget)
    return table


def configuration_table(runs, paired, compared, budgets):
    """Per configuration: the budget, the runs each loss reconstructed, its median epoch and final error, and the
    claim's median difference, interval and state.

    Median epochs count a run that did not reconstruct as past the budget
    (``inf`` where that is most of them). Columns are named after the losses.
    """
    first, second = compared
    rows = []
    for configuration, budget in budgets.items():
        sel, pair = runs[runs["configuration"] == configuration], paired[paired["configuration"] == configuration]
        row = {"configuration": configuration, "epoch_budget": int(budget), "pairs": len(pair)}
        for name in compared:
            own = sel[sel["loss"] == name]
            epochs = own["reconstruction_epoch"].fillna(np.inf)
            row[f"reconstructed_{name}"] = int(own["reconstruction_epoch"].notna().sum())
            row[f"median_epoch_{name}"] = float(epochs.median()) if len(own) else float("nan")
            row[f"median_max_error_{name}"] = float(own["max_error"].median()) if len(own) else float("nan")
        row.update(difference_interval(pair["low"], pair["high"]))
        row["both_censored"] = int((pair["first"].isna() & pair["second"].isna()).sum())
        row["state"] = decide(row["low"], row["high"], row[f"reconstructed_{first}"] + row[f"reconstructed_{second}"])
        rows.append(row)
    return pd.DataFrame(rows)


def _number(value):
    """A metrics value: a float rounded to 6 digits; null where it is not a finite number (NaN: undefined; an
    infinite end of an interval: left open by censored runs), since JSON has no infinity."""
    return None if value is None or not np.isfinite(value) else round(float(value), 6)


def metrics(table, compared):
    """The DVC metrics: per configuration, the claim's verdict, the median difference and its interval, and the
    runs each loss reconstructed (keys are words, named after the losses; null: open or undefined, the verdict
    says which)."""
    first, second = compared
    difference = f"epochs_{second}_minus_{first}"
    return {row["configuration"]: {"verdict": VERDICTS[row["state"]], difference: _number(row["median"]),
                                   "low": _number(row["low"]), "high": _number(row["high"]),
                                   "pairs": int(row["pairs"]),
                                   f"reconstructed_{first}": int(row[f"reconstructed_{first}"]),
                                   f"reconstructed_{second}": int(row[f"reconstructed_{second}"])}
            for row in table.to_dict("records")}
