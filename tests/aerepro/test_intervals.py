import math

import numpy as np
import pytest

from aerepro.intervals import median_interval


def test_interval_is_a_pair_of_order_statistics_around_the_median():
    values = np.random.default_rng(0).normal(size=21)
    median, low, high = median_interval(values)
    ordered = np.sort(values)
    assert median == np.median(values)
    assert low in ordered and high in ordered
    assert low < median < high


def test_interval_covers_the_true_median_at_its_level():
    rng = np.random.default_rng(1)
    covered = [low <= 0.0 <= high for low, high in
               (median_interval(rng.standard_cauchy(10))[1:] for _ in range(2000))]
    assert np.mean(covered) >= 0.95


def test_more_values_give_a_narrower_interval():
    rng = np.random.default_rng(2)
    _, low10, high10 = median_interval(rng.normal(size=10))
    _, low200, high200 = median_interval(rng.normal(size=200))
    assert high200 - low200 < high10 - low10


@pytest.mark.parametrize("values", [[1.0, 2.0, 3.0], [1.0, 2.0, 3.0, 4.0, 5.0]])
def test_too_few_values_leave_the_interval_undefined(values):
    median, low, high = median_interval(values)
    assert median == np.median(values) and math.isnan(low) and math.isnan(high)


def test_nan_values_are_dropped_and_none_left_is_all_nan():
    assert median_interval([np.nan, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, np.nan])[0] == 3.5
    assert all(math.isnan(v) for v in median_interval([np.nan, np.nan]))
