"""Initializers: shapes, ranges, and the constant init's exactness."""

import numpy as np
import pytest

from ae.initializers import INITIALIZERS


@pytest.mark.parametrize("name", sorted(INITIALIZERS))
def test_shape_dtype_and_reproducibility(name):
    a = INITIALIZERS[name](16, 5, np.random.RandomState(3), 0.5, 0.01)
    b = INITIALIZERS[name](16, 5, np.random.RandomState(3), 0.5, 0.01)
    assert a.shape == (16, 5) and a.dtype == np.float64
    np.testing.assert_array_equal(a, b)


def test_constant_without_jitter_is_exact_and_draws_nothing():
    rng = np.random.RandomState(0)
    state = rng.get_state()[1].copy()
    W = INITIALIZERS["constant"](4, 3, rng, 0.8, 0.0)
    np.testing.assert_array_equal(W, np.full((4, 3), 0.8))
    np.testing.assert_array_equal(rng.get_state()[1], state)


def test_constant_jitter_is_scaled_standard_normal():
    W = INITIALIZERS["constant"](200, 50, np.random.RandomState(0), 1.0, 0.01)
    noise = W - 1.0
    assert abs(noise.mean()) < 1e-3
    assert noise.std() == pytest.approx(0.01, rel=0.05)


@pytest.mark.parametrize("name, limit", [("glorot_uniform", np.sqrt(6 / 21)), ("he_uniform", np.sqrt(6 / 16))])
def test_uniform_limits(name, limit):
    W = INITIALIZERS[name](16, 5, np.random.RandomState(0))
    assert np.abs(W).max() <= limit
    assert np.abs(W).max() > 0.8 * limit


def test_uniform_is_bounded_by_init_value_and_fills_the_range():
    W = INITIALIZERS["uniform"](200, 50, np.random.RandomState(0), 0.1)
    assert np.abs(W).max() <= 0.1
    assert W.min() < -0.099 and W.max() > 0.099
    assert abs(W.mean()) < 2e-3
    np.testing.assert_array_equal(INITIALIZERS["uniform"](4, 3, np.random.RandomState(1), -0.1),
                                  INITIALIZERS["uniform"](4, 3, np.random.RandomState(1), 0.1))
