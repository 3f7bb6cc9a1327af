"""The stacked network: gradients against finite differences, packing, stacking."""

import numpy as np
import pytest

from ae.activations import ACTIVATIONS
from ae.losses import LOSSES
from ae.network import Architecture, Stack, check_hidden_layer_sizes, forward, layer_shapes, pack, unpack

SIZES = {1: [4, 3, 4], 3: [4, 5, 2, 5, 4]}


def _stack(sizes, hidden, output, loss, alpha=(0.0, 0.0), seed=0, sparsity=None):
    rng = np.random.RandomState(seed)
    n_params = sum(a * b for a, b in layer_shapes(sizes))
    params = rng.uniform(-1.2, 1.2, size=(2, n_params))
    acts = [hidden] * (len(sizes) - 2) + [output]
    weight, target = sparsity if sparsity else (None, None)
    architecture = Architecture(sizes, acts, leaky_relu_slope=0.1)
    return Stack(architecture, loss, params, list(alpha), sparsity_weight=weight, sparsity_target=target)


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
        expected = forward(X, coefs, intercepts, stack.architecture)
        np.testing.assert_allclose(P[r], expected, rtol=1e-12)


def test_a_model_gives_the_same_bits_alone_and_in_a_stack():
    sizes = SIZES[3]
    big = _stack(sizes, "sigmoid", "sigmoid", "binary_crossentropy", alpha=(0.1, 0.0))
    X = np.random.RandomState(2).uniform(size=(16, 4))
    loss_big = _loss(big, X, X)
    for r in range(2):
        alone = Stack(big.architecture, "binary_crossentropy", big.params[r : r + 1].copy(), [big.alpha[r, 0]])
        loss_alone = _loss(alone, X, X)
        assert loss_alone[0] == loss_big[r]
        np.testing.assert_array_equal(alone.grads[0], big.grads[r])


@pytest.mark.parametrize(("sizes", "n_samples", "product"), [
    (SIZES[3], 16, np.dot),  # one model: np.dot of its 2-D blocks, the same BLAS calls as the stack's
    (SIZES[3], 1, np.matmul),  # a dimension of 1 (batch_size=1): the stack's np.matmul
    ((4, 1, 4), 16, np.matmul),  # a layer of one unit
])
@pytest.mark.parametrize("per_model_input", [False, True])
def test_one_model_computes_with_np_dot_where_it_can_and_keeps_the_stacks_bits(sizes, n_samples, product,
                                                                               per_model_input):
    big = _stack(sizes, "sigmoid", "sigmoid", "binary_crossentropy")
    X = np.random.RandomState(2).uniform(size=(n_samples, sizes[0]))
    Xa = np.stack([big.augment(X)] * 2) if per_model_input else big.augment(X)  # noisy or shuffled inputs
    loss_big = big.loss_and_gradient(Xa, X, big.prepare(X)).copy()
    alone = Stack(big.architecture, "binary_crossentropy", big.params[1:].copy(), [0.0])
    loss_alone = alone.loss_and_gradient(Xa[1:] if per_model_input else Xa, X, alone.prepare(X))
    assert alone._buffers[n_samples].product is product and big._buffers[n_samples].product is np.matmul
    assert loss_alone[0] == loss_big[1]
    np.testing.assert_array_equal(alone.grads[0], big.grads[1])


def test_take_keeps_rows():
    stack = _stack(SIZES[1], "relu", "sigmoid", "mse")
    row = stack.params[1].copy()
    stack.take(np.array([1]))
    assert stack.n_models == 1
    np.testing.assert_array_equal(stack.params[0], row)
    np.testing.assert_array_equal(stack.W[0][0], row[: 5 * 3].reshape(5, 3))


def test_architecture_from_params_resolves_layers_activations_and_code():
    arch = Architecture.from_params(6, [4, 2, 2, 4], "tanh", "sigmoid", 0.2)
    assert arch.layer_sizes == (6, 4, 2, 2, 4, 6)
    assert arch.hidden_layer_sizes == (4, 2, 2, 4) and arch.n_features == 6
    assert arch.activations == ("tanh",) * 4 + ("sigmoid",)
    assert (arch.code_layer, arch.n_code) == (1, 2)  # the first of the narrowest
    assert arch.n_params == sum(a * b for a, b in layer_shapes([6, 4, 2, 2, 4, 6]))
    assert arch.leaky_relu_slope == 0.2 and type(arch.leaky_relu_slope) is float


def test_architecture_is_a_hashable_value():
    a = Architecture.from_params(16, (8, 4, 8))
    b = Architecture((16, 8, 4, 8, 16), ["sigmoid"] * 4)
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a != Architecture.from_params(16, (8, 4, 8), leaky_relu_slope=0.02)
    assert a != Architecture.from_params(16, (8, 4, 8), output_activation="identity")
    with pytest.raises(AttributeError):
        a.layer_sizes = (3, 1, 3)


def test_architecture_binds_the_slope_into_its_layer_functions():
    arch = Architecture((2, 2, 2), ("leaky_relu", "leaky_relu"), leaky_relu_slope=0.5)
    Z = np.array([[-2.0, 4.0]])
    for f in arch.activation_functions():
        np.testing.assert_array_equal(f(Z, np.empty_like(Z)), [[-1.0, 4.0]])
    coefs, intercepts = [np.eye(2), np.eye(2)], [np.zeros(2), np.zeros(2)]
    np.testing.assert_array_equal(forward(Z, coefs, intercepts, arch), [[-0.5, 4.0]])
    np.testing.assert_array_equal(forward(Z, coefs, intercepts, arch, start=1), [[-1.0, 4.0]])


@pytest.mark.parametrize(
    "layer_sizes, activations, message",
    [
        ((4, 4), ("sigmoid",), "input, hidden and output"),
        ((4, 0, 4), ("sigmoid", "sigmoid"), "input, hidden and output"),
        ((4, 2, 4), ("sigmoid",), "one activation per non-input layer"),
        ((4, 2, 4), ("sigmoid", "softmax"), "unknown activation"),
    ],
)
def test_architecture_refuses_an_impossible_network(layer_sizes, activations, message):
    with pytest.raises(ValueError, match=message):
        Architecture(layer_sizes, activations)


@pytest.mark.parametrize("value", [(0,), (2, -1), (), ((2, 3),), [(2,), 3], (2.5,), (True,), "5", None])
def test_check_hidden_layer_sizes_refuses_all_but_positive_integers(value):
    with pytest.raises(ValueError, match="hidden_layer_sizes must be a non-empty sequence"):
        check_hidden_layer_sizes(value)


def test_check_hidden_layer_sizes_gives_python_ints():
    sizes = check_hidden_layer_sizes(np.array([8, 4], dtype=np.int32))
    assert sizes == (8, 4) and all(type(s) is int for s in sizes)


@pytest.mark.parametrize("loss", sorted(LOSSES))
@pytest.mark.parametrize("hidden", sorted(ACTIVATIONS))
def test_a_float32_stack_holds_and_computes_float32(hidden, loss):
    sizes = SIZES[3]
    output = "sigmoid" if loss == "binary_crossentropy" else "tanh"
    sparsity = ([0.5, 0.0], [0.1, 0.3]) if hidden == "sigmoid" else None
    s64 = _stack(sizes, hidden, output, loss, alpha=(0.3, 0.05), sparsity=sparsity)
    params32 = s64.params.astype(np.float32)
    s64.params[...] = params32  # the same weights in both dtypes
    weight, target = sparsity if sparsity else (None, None)
    s32 = Stack(s64.architecture, loss, params32, [0.3, 0.05], sparsity_weight=weight, sparsity_target=target)
    X = np.random.RandomState(5).uniform(size=(6, sizes[0]))
    X32 = X.astype(np.float32)
    loss32, loss64 = _loss(s32, X32, X32), _loss(s64, X32.astype(float), X32.astype(float))
    # The loss is a fresh array: a float64 operand anywhere on its path (penalties too) would make it float64.
    assert loss32.dtype == np.float32
    held = [s32.params, s32.grads, s32.alpha, s32.sparsity_weight, s32.sparsity_target, s32._weight_mask]
    for bufs in s32._buffers.values():
        held += bufs.outs + bufs.augmented + bufs.inner + bufs.transposed
    for deltas, work, _ in s32._work.values():
        held += deltas + [w for w in work or () if w.dtype != bool]
    assert all(a.dtype == np.float32 for a in held)
    np.testing.assert_allclose(loss32, loss64, rtol=1e-5)
    scale = np.abs(s64.grads).max(axis=1, keepdims=True)
    np.testing.assert_allclose(s32.grads / scale, s64.grads / scale, atol=1e-5)


def test_forward_computes_in_the_inputs_dtype():
    arch = Architecture((3, 2, 3), ("leaky_relu", "sigmoid"), leaky_relu_slope=0.1)
    rng = np.random.RandomState(0)
    coefs, intercepts = [rng.randn(3, 2), rng.randn(2, 3)], [rng.randn(2), rng.randn(3)]  # float64 weights
    X = rng.uniform(size=(4, 3))
    out32 = forward(X.astype(np.float32), coefs, intercepts, arch)
    assert out32.dtype == np.float32
    np.testing.assert_allclose(out32, forward(X, coefs, intercepts, arch), rtol=1e-5)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("depth", sorted(SIZES))
@pytest.mark.parametrize("loss", sorted(LOSSES))
@pytest.mark.parametrize("hidden", sorted(ACTIVATIONS))
def test_identical_units_get_identical_gradients_to_within_rounding(hidden, loss, depth, dtype):
    """Every weight (and bias) at one constant: each hidden unit's incoming and outgoing gradients
    agree across the units, to within rounding whatever the matrix-product kernel."""
    sizes = SIZES[depth]
    architecture = Architecture(sizes, [hidden] * (len(sizes) - 2) + ["sigmoid"])
    params = np.full((1, architecture.n_params), 0.3, dtype=dtype)
    stack = Stack(architecture, loss, params, [0.0])
    X = np.random.RandomState(7).uniform(size=(9, sizes[0])).astype(dtype)
    _loss(stack, X, X)
    tolerance = 1e-12 if dtype == np.float64 else 1e-5
    for l, width in enumerate(architecture.hidden_layer_sizes):
        incoming, outgoing = stack.G[l][0], stack.G[l + 1][0][:-1]  # (n_in + 1, units), (units, n_out)
        for grads, units_axis in ((incoming, 1), (outgoing, 0)):
            scale = np.abs(grads).max()
            assert scale > 0
            assert np.ptp(grads, axis=units_axis).max() <= tolerance * scale, (l, width)
