"""Each activation's derivative, written from its output, against finite differences."""

import numpy as np
import pytest

from ae.activations import ACTIVATIONS, DERIVATIVES, activation, derivative


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_derivative_from_output_matches_finite_differences(name):
    rng = np.random.RandomState(0)
    Z = rng.uniform(-3, 3, size=(2, 7, 5))
    Z[np.abs(Z) < 1e-3] = 0.5  # keep away from the kink of the rectifiers
    slope = 0.1
    h = 1e-6
    f = activation(name, slope)
    numeric = (f(Z + h, np.empty_like(Z)) - f(Z - h, np.empty_like(Z))) / (2 * h)
    A = f(Z, np.empty_like(Z))
    delta = np.ones_like(Z)
    derivative(name, slope)(A, delta)
    np.testing.assert_allclose(delta, numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_in_place_equals_out_of_place(name):
    Z = np.linspace(-5, 5, 11).reshape(1, 1, -1)
    f = ACTIVATIONS[name]
    expected = f(Z, np.empty_like(Z))
    inplace = Z.copy()
    f(inplace, inplace)
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


def test_leaky_relu_bound_slope_is_the_slope_passed_at_each_call():
    Z = np.array([[[-2.0, 3.0, -0.5]]])
    bound = activation("leaky_relu", 0.25)
    np.testing.assert_array_equal(bound(Z, np.empty_like(Z)), ACTIVATIONS["leaky_relu"](Z, np.empty_like(Z), 0.25))
    delta = np.full_like(Z, 2.0)
    derivative("leaky_relu", 0.25)(bound(Z, np.empty_like(Z)), delta)
    np.testing.assert_array_equal(delta, [[[0.5, 2.0, 0.5]]])
    # the default slope is leaky_relu's own, not the bound one
    np.testing.assert_array_equal(activation("leaky_relu")(Z, np.empty_like(Z)), [[[-0.02, 3.0, -0.005]]])


@pytest.mark.parametrize("name", sorted(set(ACTIVATIONS) - {"leaky_relu"}))
def test_activations_without_a_parameter_are_returned_unbound(name):
    assert activation(name, 0.3) is ACTIVATIONS[name]
    assert derivative(name, 0.3) is DERIVATIVES[name]
