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


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_float32_layers_bind_float32_constants_and_compute_in_float32(name):
    rng = np.random.RandomState(3)
    Z64 = rng.uniform(-3, 3, size=(2, 7, 5))
    Z32 = Z64.astype(np.float32)
    for make in (activation, derivative):
        f = make(name, 0.1, np.float32)
        constants = [v for v in f.__defaults__ or () if isinstance(v, np.ndarray)]
        assert all(v.dtype == np.float32 for v in constants)
    A32 = activation(name, 0.1, np.float32)(Z32, np.empty_like(Z32))
    A64 = activation(name, 0.1)(Z32.astype(np.float64), np.empty_like(Z64))
    assert A32.dtype == np.float32
    np.testing.assert_allclose(A32, A64, rtol=1e-6, atol=1e-7)
    delta32 = derivative(name, 0.1, np.float32)(A32, np.ones_like(Z32))
    delta64 = derivative(name, 0.1)(A32.astype(np.float64), np.ones_like(Z64))
    assert delta32.dtype == np.float32
    np.testing.assert_allclose(delta32, delta64, rtol=1e-6, atol=1e-7)


def test_a_bound_float32_constant_is_the_functions_own_cast():
    # sigmoid's 1 and leaky_relu's slope: float32 copies of the values asked for.
    f = activation("sigmoid", dtype=np.float32)
    assert f is not ACTIVATIONS["sigmoid"] and f.__code__ is ACTIVATIONS["sigmoid"].__code__
    assert f.__defaults__[0] == ACTIVATIONS["sigmoid"].__defaults__[0] == 1.0
    slope = derivative("leaky_relu", 0.3, np.float32).__defaults__[0]
    assert slope.dtype == np.float32 and slope == np.float32(0.3)
