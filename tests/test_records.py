"""The records (ae/records.py): unit_spread and weight_spread by hand, and what every RECORDS entry must do."""

import numpy as np
import pytest

from ae import AutoEncoder
from ae.network import Architecture, Stack
from ae.records import RECORDS, unit_spread, weight_spread


def _records_stack(params, sizes=(3, 4, 2, 4, 3), activation="tanh", dtype=np.float64):
    arch = Architecture(sizes, (activation,) * (len(sizes) - 2) + ("sigmoid",))
    return Stack(arch, "mse", np.asarray(params, dtype=dtype), [0.0] * len(params))


def _random_params(n_models, sizes=(3, 4, 2, 4, 3), seed=0):
    arch = Architecture(sizes, ("tanh",) * (len(sizes) - 1))
    return np.random.RandomState(seed).uniform(-1, 1, size=(n_models, arch.n_params))


def test_unit_spread_by_hand():
    rng = np.random.RandomState(1)
    stack = _records_stack(_random_params(2))
    X = rng.uniform(size=(5, 3))
    got = unit_spread(stack, stack.augment(X))
    arch = stack.architecture
    for r in range(2):
        coefs = [W[r, :-1] for W in stack.W]
        intercepts = [W[r, -1] for W in stack.W]
        A, worst = X, 0.0
        for l, (W, b) in enumerate(zip(coefs[:-1], intercepts[:-1])):
            A = np.tanh(A @ W + b)
            if arch.hidden_layer_sizes[l] > 1:
                worst = max(worst, max(row.max() - row.min() for row in A))
        assert got[r] == pytest.approx(worst, rel=1e-12)


def test_weight_spread_by_hand():
    stack = _records_stack(_random_params(2))
    got = weight_spread(stack)
    for r in range(2):
        worst = 0.0
        for l in range(3):  # hidden layers 4, 2, 4
            incoming = stack.W[l][r]  # (n_in + 1, units): weights and the bias row
            outgoing = stack.W[l + 1][r][:-1]  # (units, n_out)
            worst = max(worst, np.ptp(incoming, axis=1).max(), np.ptp(outgoing, axis=0).max())
        assert got[r] == worst


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_a_record_is_zero_on_identical_units_and_sees_one_moved_weight(name):
    X = np.random.RandomState(2).uniform(size=(6, 3))
    params = np.full((2, _random_params(1).shape[1]), 0.3)
    params[1, 0] += 1e-3  # model 1: input 0 -> unit 0 of the first hidden layer
    stack = _records_stack(params)
    values = RECORDS[name](stack, stack.augment(X))
    assert values.shape == (2,) and values[0] == 0.0 and values[1] > 1e-5


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_a_record_ignores_layers_of_one_unit(name):
    stack = _records_stack(_random_params(2, sizes=(3, 1, 3)), sizes=(3, 1, 3))
    np.testing.assert_array_equal(RECORDS[name](stack, stack.augment(np.eye(3))), 0.0)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", sorted(RECORDS))
def test_a_record_gives_each_model_the_bits_it_has_alone(name, dtype):
    params = _random_params(3, seed=4)
    X = np.random.RandomState(5).uniform(size=(7, 3)).astype(dtype)
    stack = _records_stack(params, dtype=dtype)
    values = RECORDS[name](stack, stack.augment(X))
    assert values.dtype == dtype
    for r in range(3):
        alone = _records_stack(params[r : r + 1], dtype=dtype)
        assert RECORDS[name](alone, alone.augment(X))[0] == values[r]


def test_every_record_name_is_accepted_and_others_refused():
    AutoEncoder(record=tuple(RECORDS)).check_params()
    with pytest.raises(ValueError, match="record names quantities of"):
        AutoEncoder(record=("unit_spred",)).fit(np.eye(3))
    with pytest.raises(ValueError, match="record"):
        AutoEncoder(record="unit_spread").fit(np.eye(3))  # a str, not a tuple of names
