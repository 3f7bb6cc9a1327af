"""aerepro.loss.measures: each measure on constructed data, and the factor against the estimator's own gradients."""

import numpy as np
import pytest

from ae.activations import DERIVATIVES
from ae.losses import (binary_crossentropy_derivative, binary_crossentropy_sigmoid_delta, cross_entropy_weights,
                       mse_derivative)
from ae.network import Architecture, Stack, forward
from aerepro.codes import distinct_codes, snap
from aerepro.grid import make_estimator
from aerepro.loss.measures import (common_error, distinct_rows, gradient_factor, reading_facts, readings,
                                   reconstruction_epoch, reconstructs)

X2 = np.eye(2)


# -- the gradient factor ------------------------------------------------------


def test_the_factor_is_2p_1_minus_p_largest_at_one_half_and_zero_at_saturation():
    P = np.linspace(0.0, 1.0, 101)
    factor = gradient_factor(P)
    assert factor == pytest.approx(2 * P * (1 - P))
    assert factor.max() == pytest.approx(0.5) and P[factor.argmax()] == pytest.approx(0.5)
    assert factor[0] == factor[-1] == 0.0


def _one_sample_stacks(seed=0):
    """The same weights in a stack under each loss, and one input: a 5-3-5 sigmoid network."""
    rng = np.random.default_rng(seed)
    arch = Architecture((5, 3, 5), ("sigmoid", "sigmoid"))
    params = rng.normal(0.0, 1.0, (1, arch.n_params))
    x = rng.integers(0, 2, (1, 5)).astype(float)
    return arch, params, x


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_mse_output_delta_is_2p_1_minus_p_times_the_cross_entropy_delta(seed):
    # One sample: the output layer's bias gradient is its delta, as the training loop computes it (the fused
    # cross-entropy path, the MSE derivative times the sigmoid's slope).
    arch, params, x = _one_sample_stacks(seed)
    deltas = {}
    for loss in ("mse", "binary_crossentropy"):
        stack = Stack(arch, loss, params.copy(), [0.0])
        Xa = Stack.augment(x)
        stack.loss_and_gradient(Xa, x, stack.prepare(x))
        deltas[loss] = stack.G[-1][0, -1, :].copy()  # the bias row of the output layer
        P = stack.forward(Xa)[-1][0, 0].copy()
    assert np.abs(deltas["binary_crossentropy"]).min() > 1e-6  # nothing clipped: the ratio is defined everywhere
    assert deltas["mse"] == pytest.approx(gradient_factor(P) * deltas["binary_crossentropy"], rel=1e-12)
    assert not deltas["mse"] == pytest.approx(0.5 * gradient_factor(P) * deltas["binary_crossentropy"], rel=1e-3)


def test_the_loss_table_functions_give_the_same_ratio():
    P = np.array([[[0.2, 0.7, 0.95, 0.5]]])
    Y = np.array([[0.0, 1.0, 1.0, 0.0]])
    slope = P.copy()
    mse_delta = mse_derivative(P, Y)
    DERIVATIVES["sigmoid"](slope, mse_delta)  # times P (1 - P), in place
    _, ce_delta = binary_crossentropy_sigmoid_delta(P, Y, cross_entropy_weights(Y))
    ce_chain = binary_crossentropy_derivative(P, Y) * P * (1 - P)
    assert ce_delta == pytest.approx(ce_chain)
    assert mse_delta == pytest.approx(gradient_factor(P) * ce_delta)


# -- reconstruction -------------------------------------------------------------


def test_a_model_reconstructs_when_every_output_is_on_its_side_and_every_code_its_own():
    good = np.array([[0.9, 0.1], [0.2, 0.6]])
    codes = np.array([[1.0], [0.0]])
    P = np.stack([good, np.where(X2 > 0.5, 0.5, 0.1), good, good, np.full_like(good, np.nan)])
    H = np.stack([codes, codes, np.array([[0.9], [0.8]]), np.array([[0.7], [0.3]]), codes])
    # right / an output at exactly 0.5 / one snapped code for both inputs / 0.7 and 0.3 snap to 0.5 and 0.5 / NaN
    assert reconstructs(P, H, X2).tolist() == [True, False, False, False, False]


def test_the_reconstruction_epoch_is_the_first_reading_at_which_it_holds_and_nan_when_never():
    assert reconstruction_epoch([0, 50, 100, 150], [False, True, False, True]) == 50.0
    assert reconstruction_epoch([0, 50], [True, True]) == 0.0
    assert np.isnan(reconstruction_epoch([0, 50, 100], [False, False, False]))


def test_the_common_error_is_the_largest_absolute_difference_per_model():
    P = np.array([[[0.9, 0.3], [0.0, 1.0]], [[1.0, 0.0], [0.0, 0.4]]])
    assert common_error(P, X2).tolist() == pytest.approx([0.3, 0.6])


# -- readings of a fitted model ------------------------------------------------


@pytest.fixture(scope="module")
def fitted():
    X = np.eye(6)
    est = make_estimator({"hidden_layer_sizes": [3], "solver": "rmsprop", "learning_rate_init": 0.02,
                          "init": "constant", "init_value": 0.5, "init_jitter": 0.01, "tol": 0.0, "max_iter": 600,
                          "checkpoint_epochs": [0, 100, 200, 300, 400, 500, 600], "random_state": 0})
    with pytest.warns(Warning):  # max_iter reached, by design
        est.fit(X)
    return est, X


def test_readings_are_the_measures_of_the_kept_weights_computed_apart(fitted):
    est, X = fitted
    kept = readings(est, X)
    assert kept["epoch"].tolist() == [0, 100, 200, 300, 400, 500, 600]
    arch = est.architecture_
    for row in kept.itertuples():
        coefs, intercepts = est.checkpoints_[row.epoch]
        P = forward(X, coefs, intercepts, arch)
        H = forward(X, coefs, intercepts, arch, stop=arch.code_layer + 1)
        assert row.factor == pytest.approx(np.median(2 * P * (1 - P)))
        assert row.max_error == pytest.approx(np.abs(X - P).max())
        assert row.reconstructs == reconstructs(P[None], H[None], X)[0]
    assert not kept["reconstructs"].iloc[0] and kept["reconstructs"].iloc[-1]  # learns within the budget


def test_a_runs_facts_come_from_its_readings_and_its_final_weights(fitted):
    est, X = fitted
    kept = readings(est, X)
    facts = reading_facts(kept, est, X)
    assert facts["reconstruction_epoch"] == kept.loc[kept["reconstructs"], "epoch"].iloc[0]
    assert facts["reconstructs_at_end"] is True
    assert facts["max_error"] == pytest.approx(kept["max_error"].iloc[-1])  # the last reading is the budget
    assert facts["final_factor"] == pytest.approx(kept["factor"].iloc[-1])


def test_distinct_rows_agrees_with_the_codes_count_on_random_snapped_codes():
    rng = np.random.default_rng(0)
    S = snap(rng.random((300, 6, 2)))  # 9 codes for 6 inputs: repeats are common, and so are none
    expected = [distinct_codes(s) == 6 for s in S]
    assert 0 < sum(expected) < len(expected)
    assert distinct_rows(S).tolist() == expected
