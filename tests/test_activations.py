"""Each activation's derivative, written from its output, against finite differences."""

import numpy as np
import pytest

from ae.activations import ACTIVATIONS, DERIVATIVES


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_derivative_from_output_matches_finite_differences(name):
    rng = np.random.RandomState(0)
    Z = rng.uniform(-3, 3, size=(2, 7, 5))
    Z[np.abs(Z) < 1e-3] = 0.5  # keep away from the kink of the rectifiers
    slope = 0.1
    h = 1e-6
    f = ACTIVATIONS[name]
    numeric = (f(Z + h, np.empty_like(Z), slope) - f(Z - h, np.empty_like(Z), slope)) / (2 * h)
    A = f(Z, np.empty_like(Z), slope)
    delta = np.ones_like(Z)
    DERIVATIVES[name](A, delta, slope)
    np.testing.assert_allclose(delta, numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_in_place_equals_out_of_place(name):
    Z = np.linspace(-5, 5, 11).reshape(1, 1, -1)
    f = ACTIVATIONS[name]
    expected = f(Z, np.empty_like(Z), 0.01)
    inplace = Z.copy()
    f(inplace, inplace, 0.01)
    np.testing.assert_array_equal(inplace, expected)


def test_sigmoid_is_stable_at_extremes():
    Z = np.array([[[-1000.0, -745.0, 0.0, 40.0, 1000.0]]])
    with np.errstate(over="ignore"):
        A = ACTIVATIONS["sigmoid"](Z, np.empty_like(Z))
    assert np.all(np.isfinite(A))
    np.testing.assert_array_equal(A[0, 0, [0, 1]], [0.0, 0.0])
    assert A[0, 0, 2] == 0.5
    np.testing.assert_array_equal(A[0, 0, [3, 4]], [1.0, 1.0])


def test_leaky_relu_uses_its_slope():
    Z = np.array([[[-2.0, 3.0]]])
    A = ACTIVATIONS["leaky_relu"](Z, np.empty_like(Z), 0.25)
    np.testing.assert_array_equal(A, [[[-0.5, 3.0]]])
