"""Each loss against its gradient, and the fused output delta against the chain rule."""

import numpy as np
import pytest

from ae.losses import (
    CONSTANTS,
    EPSILON,
    LOSS_DERIVATIVES,
    LOSSES,
    OUTPUT_DELTAS,
    binary_crossentropy,
    per_model_sum,
)


def _data(shared=True):
    rng = np.random.RandomState(1)
    P = rng.uniform(0.05, 0.95, size=(3, 4, 6))
    Y = rng.uniform(0, 1, size=(4, 6) if shared else (3, 4, 6))
    return P, Y


@pytest.mark.parametrize("shared", [True, False])
@pytest.mark.parametrize("name", sorted(LOSSES))
def test_loss_derivative_matches_finite_differences(name, shared):
    P, Y = _data(shared)
    grad = LOSS_DERIVATIVES[name](P, Y)
    h = 1e-6
    numeric = np.empty_like(P)
    for idx in np.ndindex(P.shape):
        up, down = P.copy(), P.copy()
        up[idx] += h
        down[idx] -= h
        r = idx[0]
        numeric[idx] = (LOSSES[name](up, Y)[r] - LOSSES[name](down, Y)[r]) / (2 * h)
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-12)


def test_cross_entropy_is_keras_mean_with_clipping():
    P = np.array([[[0.0, 0.5], [1.0, 0.25]]])
    Y = np.array([[1.0, 1.0], [1.0, 0.0]])
    Pc = np.clip(P, EPSILON, 1 - EPSILON)
    expected = -np.mean(Y * np.log(Pc) + (1 - Y) * np.log(1 - Pc))
    assert binary_crossentropy(P, Y)[0] == pytest.approx(expected, rel=1e-15)


def test_cross_entropy_gradient_is_zero_where_clipped():
    P = np.array([[[1e-9, 1 - 1e-9, 0.3]]])
    Y = np.array([[1.0, 0.0, 1.0]])
    grad = LOSS_DERIVATIVES["binary_crossentropy"](P, Y)
    assert grad[0, 0, 0] == 0.0 and grad[0, 0, 1] == 0.0 and grad[0, 0, 2] != 0.0


@pytest.mark.parametrize("shared", [True, False])
@pytest.mark.parametrize("pair", sorted(OUTPUT_DELTAS))
def test_fused_delta_equals_loss_derivative_times_activation_slope(pair, shared):
    loss_name, activation = pair
    assert activation == "sigmoid"
    P, Y = _data(shared)
    P[0, 0, :2] = [1e-9, 1 - 1e-12]  # clipped entries
    prepare, fused, _ = OUTPUT_DELTAS[pair]
    loss, delta = fused(P, Y, prepare(Y))
    np.testing.assert_allclose(loss, LOSSES[loss_name](P, Y), rtol=1e-13)
    chain = LOSS_DERIVATIVES[loss_name](P, Y) * P * (1 - P)
    np.testing.assert_allclose(delta, chain, rtol=1e-9, atol=1e-15)
    assert delta[0, 0, 0] == 0.0 and delta[0, 0, 1] == 0.0


@pytest.mark.parametrize("n_models", [1, 3])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("pair", sorted(OUTPUT_DELTAS))
def test_fused_delta_in_reused_work_arrays_equals_a_fresh_pass(pair, dtype, n_models):
    # The stack hands the same work arrays to every epoch: what a pass left in them must not leak.
    prepare, fused, work_for = OUTPUT_DELTAS[pair]
    P, Y = (a.astype(dtype) for a in _data())
    P = P[:n_models].copy()
    P[0, 0, :2] = [1e-9, 1 - 1e-9]  # clipped entries, then not clipped in the second pass
    work = work_for(P.shape, P.dtype)
    fused(P, Y, prepare(Y), work)
    Q = P.copy()
    Q[0, 0, :2] = 0.5
    loss, delta = fused(Q, Y, prepare(Y), work)
    fresh_loss, fresh_delta = fused(Q, Y, prepare(Y))
    assert delta is work[1]
    np.testing.assert_array_equal(loss, fresh_loss)
    np.testing.assert_array_equal(delta, fresh_delta)
    assert delta[0, 0, 0] != 0.0


def test_per_model_sum_shared_and_stacked():
    A = np.arange(24.0).reshape(2, 3, 4)
    B = np.ones((3, 4))
    np.testing.assert_array_equal(per_model_sum(A, B), A.reshape(2, -1).sum(axis=1))
    np.testing.assert_array_equal(per_model_sum(A, A), (A**2).reshape(2, -1).sum(axis=1))


@pytest.mark.parametrize("shared", [True, False])
@pytest.mark.parametrize("name", sorted(LOSSES))
def test_losses_and_gradients_of_float32_arrays_are_float32(name, shared):
    P, Y = _data(shared)
    P32, Y32 = P.astype(np.float32), Y.astype(np.float32)
    loss32, grad32 = LOSSES[name](P32, Y32), LOSS_DERIVATIVES[name](P32, Y32)
    assert loss32.dtype == grad32.dtype == np.float32
    np.testing.assert_allclose(loss32, LOSSES[name](P32.astype(float), Y32.astype(float)), rtol=1e-5)
    # The cross-entropy gradient is a difference of two terms: absolute error on the gradient's scale.
    np.testing.assert_allclose(grad32, LOSS_DERIVATIVES[name](P32.astype(float), Y32.astype(float)), rtol=1e-5,
                               atol=1e-6 * np.abs(grad32).max())


@pytest.mark.parametrize("pair", sorted(OUTPUT_DELTAS))
def test_fused_delta_of_float32_arrays_is_float32(pair):
    P, Y = _data()
    P32, Y32 = P.astype(np.float32), Y.astype(np.float32)
    P32[0, 0, :2] = [1e-9, 1 - 1e-9]  # clipped in float32 too
    prepare, fused, _ = OUTPUT_DELTAS[pair]
    prepared = prepare(Y32)
    assert all(a.dtype == np.float32 for a in prepared[:2] + prepared[2])
    loss, delta = fused(P32, Y32, prepared)
    assert loss.dtype == delta.dtype == np.float32
    np.testing.assert_allclose(loss, LOSSES[pair[0]](P32, Y32), rtol=1e-5)
    assert delta[0, 0, 0] == 0.0 and delta[0, 0, 1] == 0.0


def test_constants_are_the_clip_bounds_rounded_to_each_dtype():
    for dtype, (low, high, one, zero) in CONSTANTS.items():
        assert low.dtype == high.dtype == one.dtype == zero.dtype == dtype
        assert (low, high, one, zero) == (dtype.type(EPSILON), dtype.type(1 - EPSILON), 1, 0)
    assert CONSTANTS[np.dtype(np.float32)][1] < 1  # 1 - 1e-7 does not round to 1 in float32
