"""The stacked network: gradients against finite differences, packing, stacking."""

import numpy as np
import pytest

from ae.activations import ACTIVATIONS
from ae.losses import LOSSES
from ae.network import Stack, forward, layer_shapes, pack, unpack

SIZES = {1: [4, 3, 4], 3: [4, 5, 2, 5, 4]}


def _stack(sizes, hidden, output, loss, alpha=(0.0, 0.0), seed=0, sparsity=None):
    rng = np.random.RandomState(seed)
    n_params = sum(a * b for a, b in layer_shapes(sizes))
    params = rng.uniform(-1.2, 1.2, size=(2, n_params))
    acts = [hidden] * (len(sizes) - 2) + [output]
    weight, target = sparsity if sparsity else (None, None)
    return Stack(sizes, acts, loss, 0.1, params, list(alpha), sparsity_weight=weight, sparsity_target=target)


def _loss(stack, X, Y):
    return stack.loss_and_gradient(stack.augment(X), Y, stack.prepare(Y)).copy()


@pytest.mark.parametrize("alpha", [(0.0, 0.0), (0.3, 0.05)])
@pytest.mark.parametrize("depth", sorted(SIZES))
@pytest.mark.parametrize("loss", sorted(LOSSES))
@pytest.mark.parametrize("output", sorted(ACTIVATIONS))
@pytest.mark.parametrize("hidden", sorted(ACTIVATIONS))
def test_gradient_matches_central_differences(hidden, output, loss, depth, alpha):
    _check_gradient(_stack(SIZES[depth], hidden, output, loss, alpha), SIZES[depth])


@pytest.mark.parametrize("depth", sorted(SIZES))
@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_sparsity_penalty_gradient_matches_central_differences(loss, depth):
    stack = _stack(SIZES[depth], "sigmoid", "sigmoid", loss, sparsity=([0.7, 0.0], [0.1, 0.3]))
    _check_gradient(stack, SIZES[depth])
    plain = _stack(SIZES[depth], "sigmoid", "sigmoid", loss)
    X = np.random.RandomState(42).uniform(0, 1, size=(6, SIZES[depth][0]))
    sparse_loss, plain_loss = _loss(stack, X, X), _loss(plain, X, X)
    assert sparse_loss[0] > plain_loss[0]  # weight 0.7: the penalty counts
    assert sparse_loss[1] == plain_loss[1]  # weight 0: nothing changes


def _check_gradient(stack, sizes):
    rng = np.random.RandomState(42)
    X = rng.uniform(0, 1, size=(6, sizes[0]))
    with np.errstate(over="ignore"):
        _loss(stack, X, X)
        analytic = stack.grads.copy()
        numeric = np.zeros_like(analytic)
        h = 1e-6
        base = stack.params.copy()
        # Fourth-order central differences: outputs near the clip of the
        # cross-entropy make log(p) curve hard, beyond what O(h**2) resolves.
        for r, j in np.ndindex(base.shape):
            values = []
            for k in (2, 1, -1, -2):
                stack.params[...] = base
                stack.params[r, j] += k * h
                values.append(_loss(stack, X, X)[r])
            numeric[r, j] = (8 * (values[1] - values[2]) - (values[0] - values[3])) / (12 * h)
        stack.params[...] = base
    scale = np.maximum(np.linalg.norm(analytic, axis=1), np.linalg.norm(numeric, axis=1))
    error = np.linalg.norm(analytic - numeric, axis=1) / np.where(scale > 0, scale, 1.0)
    assert np.all(error < 1e-6), error


def test_pack_unpack_round_trip():
    sizes = [3, 4, 3]
    rng = np.random.RandomState(0)
    coefs = [rng.randn(3, 4), rng.randn(4, 3)]
    intercepts = [rng.randn(4), rng.randn(3)]
    c2, i2 = unpack(pack(coefs, intercepts), sizes)
    for a, b in zip(coefs + intercepts, c2 + i2):
        np.testing.assert_array_equal(a, b)


def test_stack_forward_equals_plain_forward_per_model():
    sizes = SIZES[3]
    stack = _stack(sizes, "tanh", "sigmoid", "binary_crossentropy")
    X = np.random.RandomState(1).uniform(size=(5, 4))
    P = stack.forward(stack.augment(X))[-1]
    for r in range(2):
        coefs, intercepts = unpack(stack.params[r], sizes)
        expected = forward(X, coefs, intercepts, ["tanh"] * 3 + ["sigmoid"], 0.1)
        np.testing.assert_allclose(P[r], expected, rtol=1e-12)


def test_a_model_gives_the_same_bits_alone_and_in_a_stack():
    sizes = SIZES[3]
    big = _stack(sizes, "sigmoid", "sigmoid", "binary_crossentropy", alpha=(0.1, 0.0))
    X = np.random.RandomState(2).uniform(size=(16, 4))
    loss_big = _loss(big, X, X)
    for r in range(2):
        alone = Stack(sizes, ["sigmoid"] * 4, "binary_crossentropy", 0.1, big.params[r : r + 1].copy(), [big.alpha[r, 0]])
        loss_alone = _loss(alone, X, X)
        assert loss_alone[0] == loss_big[r]
        np.testing.assert_array_equal(alone.grads[0], big.grads[r])


def test_take_keeps_rows():
    stack = _stack(SIZES[1], "relu", "sigmoid", "mse")
    row = stack.params[1].copy()
    stack.take(np.array([1]))
    assert stack.n_models == 1
    np.testing.assert_array_equal(stack.params[0], row)
    np.testing.assert_array_equal(stack.W[0][0], row[: 5 * 3].reshape(5, 3))
