"""The interval of a median over seeds: distribution-free, from the order statistics.

One function for every study that states an effect over seeds (a paired
difference, a score): the median and its confidence interval by the sign
test (``scipy.stats.quantile_test``), which assumes nothing of the
distribution but independent draws. With too few values for the level (fewer
than 6 at 95 %) the interval is undefined and comes back as ``nan``: n/a with
its reason, never a number that decides.
"""

import math

import numpy as np
from scipy.stats import quantile_test

__all__ = ["median_interval", "LEVEL"]

#: Confidence level of every interval of a median.
LEVEL = 0.95


def median_interval(values, level=LEVEL):
    """``(median, low, high)`` of ``values``: the interval covers the true median with at least ``level``.

    NaN values are dropped; with no value left every entry is ``nan``, and
    with too few for ``level`` the median is given and ``low``/``high`` are ``nan``.

    Examples
    --------
    >>> median_interval([3.0, 1.0, 2.0, 5.0, 4.0, 6.0, 8.0, 7.0, 9.0, 0.0])
    (4.5, 1.0, 8.0)
    >>> median_interval([1.0, 2.0, 3.0])
    (2.0, nan, nan)
    """
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    if values.size == 0:
        return math.nan, math.nan, math.nan
    median = float(np.median(values))
    ci = quantile_test(values, q=median, p=0.5).confidence_interval(level)
    return median, float(ci.low), float(ci.high)
