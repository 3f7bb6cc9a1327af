"""The training loop's options: denoising, dropout, sparsity, and their stacking; the stop
rules; records and checkpoints, and the symmetric-init question they answer (a perturbed
symmetric network separates)."""

import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split

from ae import AutoEncoder, fit_many
from ae.network import Architecture, Stack, pack
from ae.training import (
    NOISES,
    RECORDS,
    STOP_RULES,
    ImprovementStopRule,
    StopRule,
    _corrupted,
    _dropout_masks,
    unit_spread,
    weight_spread,
)


def _fit(**kw):
    X = kw.pop("X", np.eye(8))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return AutoEncoder(**{"hidden_layer_sizes": (3,), "max_iter": 40, "random_state": 0, "tol": 0.0, **kw}).fit(X)


def _same(a, b):
    return all(np.array_equal(p, q) for p, q in zip(a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_)) and np.array_equal(
        a.loss_curve_, b.loss_curve_
    )


@pytest.mark.parametrize("noise_type", ["gaussian", "masking"])
def test_zero_noise_is_bit_identical_to_no_option(noise_type):
    assert _same(_fit(noise=0.0, noise_type=noise_type), _fit())
    assert not _same(_fit(noise=0.2, noise_type=noise_type), _fit())


def test_masking_zeroes_about_the_fraction_and_never_the_ones_column():
    rng = np.random.RandomState(0)
    Xa = np.ones((1000, 11))
    out = _corrupted(Xa, [(0.3, "masking"), (0.0, "masking")], [rng, np.random.RandomState(1)])
    assert out.shape == (2, 1000, 11)
    assert abs((out[0, :, :-1] == 0).mean() - 0.3) < 0.01
    np.testing.assert_array_equal(out[0, :, -1], 1.0)
    np.testing.assert_array_equal(out[1], Xa)  # level 0: clean


def test_every_noise_kind_is_a_valid_noise_type_and_back():
    assert set(NOISES) == set(AutoEncoder._parameter_constraints["noise_type"][0].options)
    for kind in NOISES:
        inputs = np.ones((3, 4))
        NOISES[kind](inputs[:, :-1], 0.5, np.random.RandomState(0))
        np.testing.assert_array_equal(inputs[:, -1], 1.0)  # only the view given is corrupted
        assert not np.array_equal(inputs[:, :-1], 1.0)


def test_gaussian_noise_has_the_given_scale():
    out = _corrupted(np.zeros((2000, 6)), [(0.5, "gaussian")], [np.random.RandomState(0)])
    assert out[0, :, :-1].std() == pytest.approx(0.5, rel=0.03)


def test_dropout_masks_are_inverted_and_per_model():
    masks = _dropout_masks(4000, [5, 3], [0.25, 0.0], [np.random.RandomState(0), np.random.RandomState(1)])
    assert [m.shape for m in masks] == [(2, 4000, 5), (2, 4000, 3)]
    assert set(np.unique(masks[0][0])) == {0.0, 1 / 0.75}
    assert masks[0][0].mean() == pytest.approx(1.0, rel=0.02)
    np.testing.assert_array_equal(masks[1][1], 1.0)


def test_dropout_changes_training_but_predict_is_deterministic():
    model = _fit(dropout=0.3)
    assert not _same(model, _fit())
    X = np.eye(8)
    np.testing.assert_array_equal(model.predict(X), model.predict(X))
    # predict uses no mask: it equals the plain forward pass of the weights
    np.testing.assert_array_equal(model.predict(X), model._forward(X))


def test_sparsity_moves_mean_code_activation_toward_target():
    X = np.eye(16)
    kw = dict(hidden_layer_sizes=(8,), solver="adam", learning_rate_init=0.01, max_iter=1500, random_state=0)
    plain = _fit(X=X, **kw)
    sparse = _fit(X=X, sparsity_weight=0.5, sparsity_target=0.05, **kw)
    mean_plain = plain.transform(X).mean()
    mean_sparse = sparse.transform(X).mean()
    assert abs(mean_sparse - 0.05) < abs(mean_plain - 0.05)
    assert mean_sparse < 0.5 * mean_plain


def test_option_values_are_validated():
    with pytest.raises(ValueError, match="noise must be in"):
        AutoEncoder(noise=1.5, noise_type="masking").fit(np.eye(3))
    with pytest.raises(ValueError, match="sparsity_weight > 0 needs sigmoid"):
        AutoEncoder(sparsity_weight=1.0, activation="relu").fit(np.eye(3))


def test_fit_many_stacks_models_that_differ_only_in_option_values():
    X = np.random.RandomState(0).uniform(size=(12, 6))
    kw = dict(hidden_layer_sizes=(4, 2, 4), max_iter=30, tol=0.0, batch_size=4)
    variants = [
        {},
        {"noise": 0.1},
        {"noise": 0.3, "noise_type": "masking", "random_state": 3},
        {"dropout": 0.2, "random_state": 4},
        {"sparsity_weight": 0.1, "sparsity_target": 0.2},
        {"alpha": 0.01, "dropout": 0.1, "noise": 0.05},
    ]
    alone = [_fit(X=X, **kw, **v) for v in variants]
    stacked = [AutoEncoder(**{"random_state": 0, **kw, **v}) for v in variants]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        fit_many(stacked, X)
    for a, b in zip(alone, stacked):
        assert b.stack_size_ == len(variants)
        assert _same(a, b)


def test_denoising_reconstructs_corrupted_digits_better():
    """Measured here: loss on masked test digits 0.2997 (denoising) vs 0.3723 (plain),
    0.073 apart; the test asks for 0.03."""
    X = load_digits().data / 16.0
    X_train, X_test = train_test_split(X, test_size=0.3, random_state=0)
    kw = dict(hidden_layer_sizes=(32,), solver="adam", learning_rate_init=0.01, batch_size=64,
              max_iter=60, tol=0.0, random_state=0)
    denoising = _fit(X=X_train, noise=0.3, noise_type="masking", **kw)
    plain = _fit(X=X_train, **kw)
    rng = np.random.RandomState(42)
    corrupted = X_test * (rng.uniform(size=X_test.shape) >= 0.3)

    def loss(model):
        P = np.clip(model.predict(corrupted), 1e-7, 1 - 1e-7)
        return -np.mean(X_test * np.log(P) + (1 - X_test) * np.log(1 - P))

    assert loss(denoising) < loss(plain) - 0.03


def _reasons(rule, losses):
    return [rule.update(loss, epoch) for epoch, loss in enumerate(losses, start=1)]


def test_stop_rule_needs_patience_calm_epochs_in_a_row():
    rule = StopRule(tol=0.1, patience=3, max_iter=100)
    # calm, calm, a jump (the count restarts), then three calm epochs in a row
    assert _reasons(rule, [5.0, 4.95, 4.9, 3.0, 2.99, 2.98, 2.97]) == [None] * 6 + ["converged"]
    assert rule.calm == 3 and rule.previous == 2.97


def test_stop_rule_first_epoch_is_never_calm():
    rule = StopRule(tol=1e9, patience=1, max_iter=100)
    assert _reasons(rule, [1.0, 1.0]) == [None, "converged"]


def test_stop_rule_budget_and_divergence():
    assert _reasons(StopRule(tol=0.0, patience=1, max_iter=3), [3.0, 2.0, 1.0]) == [None, None, "max_iter"]
    # calm == tol is not calm: the change must be smaller
    assert _reasons(StopRule(tol=0.5, patience=1, max_iter=9), [2.0, 1.5, 1.2]) == [None, None, "converged"]
    for bad in (np.nan, np.inf, -np.inf):
        assert _reasons(StopRule(tol=1e9, patience=5, max_iter=9), [1.0, bad]) == [None, "diverged"]


def test_stop_rule_for_partial_fit_runs_exactly_its_epochs():
    rule = StopRule.epochs(4)
    assert _reasons(rule, [1.0] * 4) == [None, None, None, "epochs"]
    assert _reasons(StopRule.epochs(3), [1.0, np.nan]) == [None, "diverged"]


def test_stop_rule_of_an_estimator_reads_its_parameters():
    rule = StopRule.of(AutoEncoder(tol=0.25, n_iter_no_change=7, max_iter=40))
    assert (rule.tol, rule.patience, rule.max_iter, rule.budget) == (0.25, 7, 40, "max_iter")
    assert type(rule) is StopRule
    rule = StopRule.of(AutoEncoder(tol=0.25, n_iter_no_change=7, max_iter=40, stop_rule="improvement"))
    assert type(rule) is ImprovementStopRule and (rule.tol, rule.patience, rule.max_iter) == (0.25, 7, 40)


def test_every_stop_rule_is_a_valid_reading_and_back():
    assert set(STOP_RULES) == set(AutoEncoder._parameter_constraints["stop_rule"][0].options)
    assert all(issubclass(cls, StopRule) for cls in STOP_RULES.values())


# Losses and tol are binary fractions, so every difference and sum below is exact.
LOSSES_BY_HAND = [4.0, 3.0, 2.9375, 3.5, 3.0, 2.96875, 2.9375, 2.0, 1.9375, 1.875, 1.8125]


def test_stop_readings_on_a_hand_computed_sequence():
    # change (|previous - loss| < 0.125 is calm): calm at epochs 3 | 6, 7 | 9, 10, 11: the third in a row is 11.
    change = _reasons(StopRule(tol=0.125, patience=3, max_iter=100), LOSSES_BY_HAND)
    assert change == [None] * 10 + ["converged"]
    # improvement (calm unless loss + 0.125 < best): best 4, 3, then epochs 3, 4, 5 (2.9375, 3.5, 3.0)
    # beat 3 by at most 0.0625: the third non-improving epoch in a row stops at 5.
    rule = ImprovementStopRule(tol=0.125, patience=3, max_iter=100)
    assert _reasons(rule, LOSSES_BY_HAND[:5]) == [None] * 4 + ["converged"]
    assert (rule.best, rule.calm) == (3.0, 3)


def test_improvement_counts_against_the_best_not_the_last_epoch():
    # Down 0.0625 an epoch, tol 0.125: every epoch is calm for the change reading, while
    # every third epoch beats the best by more than tol and restarts the improvement count.
    losses = [4.0 - 0.0625 * k for k in range(12)]
    assert _reasons(StopRule(tol=0.125, patience=3, max_iter=100), losses)[:4] == [None] * 3 + ["converged"]
    rule = ImprovementStopRule(tol=0.125, patience=3, max_iter=100)
    # best 4.0; 3.9375 and 3.875 are within tol of it (calm 1, 2); 3.8125 + 0.125 < 4 improves; and so on.
    assert _reasons(rule, losses) == [None] * 12
    assert rule.best == losses[-3] and rule.calm == 2


def test_improvement_by_exactly_tol_is_not_an_improvement():
    rule = ImprovementStopRule(tol=0.125, patience=1, max_iter=100)
    assert _reasons(rule, [1.0, 0.875]) == [None, "converged"]  # 0.875 + 0.125 < 1.0 is false, as in Keras
    assert _reasons(ImprovementStopRule(tol=0.125, patience=1, max_iter=100), [1.0, 0.75]) == [None, None]


def test_improvement_first_epoch_always_improves():
    # Keras starts with no best: even with tol = inf the first epoch sets it, and the count starts after.
    rule = ImprovementStopRule(tol=np.inf, patience=2, max_iter=9)
    assert rule.best is None
    assert _reasons(rule, [1.0, 0.5, 0.25]) == [None, None, "converged"]
    assert rule.best == 1.0


def test_improvement_budget_and_divergence():
    assert _reasons(ImprovementStopRule(tol=0.0, patience=5, max_iter=3), [3.0, 2.0, 1.0]) == [None, None, "max_iter"]
    for bad in (np.nan, np.inf, -np.inf):
        assert _reasons(ImprovementStopRule(tol=0.0, patience=5, max_iter=9), [1.0, bad]) == [None, "diverged"]


def test_a_fit_stops_where_its_reading_says():
    X = np.eye(8)
    kw = dict(hidden_layer_sizes=(3,), solver="sgd", learning_rate_init=0.5, random_state=0, max_iter=500, tol=1e-3,
              n_iter_no_change=4)
    for reading, cls in STOP_RULES.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model = AutoEncoder(stop_rule=reading, **kw).fit(X)
        # Replaying the curve through the rule stops at the same epoch.
        assert _reasons(cls(1e-3, 4, 500), model.loss_curve_)[-1] == model.stop_reason_
        assert _reasons(cls(1e-3, 4, 500), model.loss_curve_[:-1]).count(None) == model.n_iter_ - 1


def test_max_iter_warning_names_the_reading():
    with pytest.warns(ConvergenceWarning, match="changed by less than tol=0.0"):
        AutoEncoder((2,), tol=0.0, max_iter=3).fit(np.eye(4))
    with pytest.warns(ConvergenceWarning, match="failed to improve on its best by more than tol=0.0"):
        AutoEncoder((2,), tol=0.0, max_iter=3, stop_rule="improvement", solver="sgd").fit(np.eye(4))


# -- records and checkpoints --------------------------------------------------

X16 = np.eye(16)
# Short fits below stop at max_iter on purpose.
quiet = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


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
    for bad in [(-1,), (1.5,), ((1, 2),), (True,)]:
        with pytest.raises(ValueError, match="checkpoint_epochs"):
            AutoEncoder(checkpoint_epochs=bad).check_params()


def _fit_watched(**kw):
    params = dict(hidden_layer_sizes=(5,), solver="rmsprop", learning_rate_init=0.01, max_iter=40, tol=0.0,
                  random_state=0)
    return AutoEncoder(**{**params, **kw}).fit(X16)


def _same_weights(a, b):
    return all(np.array_equal(p, q) for p, q in zip(a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_))


@quiet
def test_records_and_checkpoints_agree_with_each_other_and_change_nothing():
    kw = dict(record=("unit_spread", "weight_spread"), record_every=10, checkpoint_epochs=(0, 10, 25, 40, 99))
    model, plain = _fit_watched(**kw), _fit_watched()
    assert _same_weights(model, plain) and np.array_equal(model.loss_curve_, plain.loss_curve_)
    np.testing.assert_array_equal(model.record_epochs_, [0, 10, 20, 30, 40])
    assert sorted(model.records_) == ["unit_spread", "weight_spread"]
    assert all(v.shape == (5,) and v.dtype == np.float64 for v in model.records_.values())
    assert sorted(model.checkpoints_) == [0, 10, 25, 40]  # 99 is never reached
    coefs, intercepts = model.checkpoints_[40]
    assert all(np.array_equal(p, q) for p, q in zip(coefs + intercepts, model.coefs_ + model.intercepts_))
    # A checkpoint's weights give, bit for bit, what was recorded at that epoch.
    for epoch in (0, 10, 40):
        stack = Stack(model.architecture_, "binary_crossentropy", pack(*model.checkpoints_[epoch])[None], [0.0])
        k = list(model.record_epochs_).index(epoch)
        for name in RECORDS:
            assert RECORDS[name](stack, stack.augment(X16))[0] == model.records_[name][k]


@quiet
def test_nothing_recorded_leaves_empty_attributes_and_computes_nothing(monkeypatch):
    calls = []

    def counting(stack, Xa):
        calls.append(stack.n_models)
        return unit_spread(stack, Xa)

    monkeypatch.setitem(RECORDS, "unit_spread", counting)
    model = _fit_watched()
    assert model.records_ == {} and model.record_epochs_.shape == (0,) and model.checkpoints_ == {}
    assert calls == []
    _fit_watched(record=("unit_spread",), record_every=8)
    assert calls == [1] * 6  # epochs 0, 8, 16, 24, 32, 40: computed only when due


@quiet
def test_records_continue_with_partial_fit_and_warm_start():
    step = AutoEncoder((5,), solver="rmsprop", random_state=0, record=("unit_spread",), record_every=2,
                       checkpoint_epochs=(0, 3))
    for _ in range(5):
        step.partial_fit(X16)
    whole = _fit_watched(learning_rate_init=0.001, max_iter=5, record=("unit_spread",), record_every=2, checkpoint_epochs=(0, 3))
    np.testing.assert_array_equal(step.record_epochs_, [0, 2, 4])
    np.testing.assert_array_equal(step.records_["unit_spread"], whole.records_["unit_spread"])
    assert sorted(step.checkpoints_) == [0, 3]
    # warm start: epochs go on from n_iter_, the starting state is not recorded twice
    whole.set_params(warm_start=True, max_iter=4).fit(X16)
    np.testing.assert_array_equal(whole.record_epochs_, [0, 2, 4, 6, 8])
    assert len(whole.records_["unit_spread"]) == 5
    # naming other quantities restarts the records at the current epoch
    whole.set_params(record=("weight_spread",), max_iter=2).fit(X16)
    np.testing.assert_array_equal(whole.record_epochs_, [10])
    assert list(whole.records_) == ["weight_spread"]
    # a fresh fit forgets them: two epochs reach only the checkpoint at 0 (3 was taken before)
    whole.set_params(warm_start=False, record=()).fit(X16)
    assert whole.records_ == {} and list(whole.checkpoints_) == [0]


def _watching_models():
    """One stack: models that record different things at different epochs, or nothing."""
    kw = dict(solver="rmsprop", learning_rate_init=0.01, tol=1e-4, n_iter_no_change=3)
    return [
        AutoEncoder((5,), max_iter=60, random_state=0, record=("unit_spread",), record_every=7, **kw),
        AutoEncoder((5,), max_iter=45, random_state=1, checkpoint_epochs=(0, 20, 44), **kw),
        AutoEncoder((5,), max_iter=50, random_state=2, **kw),
        AutoEncoder((5,), max_iter=60, random_state=3, record=tuple(RECORDS), record_every=1, checkpoint_epochs=(5,),
                    init="constant", init_jitter=0.01, dtype="float64", **kw),
    ]


@quiet
@pytest.mark.parametrize("n_jobs", [None, 2])
def test_fit_many_records_and_checkpoints_each_model_as_alone(n_jobs):
    models = _watching_models()
    fit_many(models, X16, n_jobs=n_jobs)
    for model, alone in zip(models, [clone(m).fit(X16) for m in _watching_models()]):
        assert model.n_iter_ == alone.n_iter_ and _same_weights(model, alone)
        np.testing.assert_array_equal(model.record_epochs_, alone.record_epochs_)
        assert model.records_.keys() == alone.records_.keys()
        for name in model.records_:
            np.testing.assert_array_equal(model.records_[name], alone.records_[name])
        assert model.checkpoints_.keys() == alone.checkpoints_.keys()
        for epoch, (coefs, intercepts) in model.checkpoints_.items():
            want = alone.checkpoints_[epoch]
            assert all(np.array_equal(p, q) for p, q in zip(coefs + intercepts, want[0] + want[1]))
    if n_jobs is None:
        assert {m.stack_size_ for m in models} == {4}


# -- the symmetric init, watched -------------------------------------------

#: 16-5-16, sigmoid, RMSProp lr 0.01, every weight 1.0: measured here, one weight moved by 1e-12
#: separates the units (unit_spread > 0.1) at epoch 262 (1e-15: 278, 1e-6: 245); the test allows
#: SEPARATION_BUDGET epochs.
SEPARATION_BUDGET = 600


def _symmetric(delta, dtype="float64"):
    model = AutoEncoder((5,), solver="rmsprop", learning_rate_init=0.01, warm_start=True, max_iter=SEPARATION_BUDGET,
                        tol=0.0, record=tuple(RECORDS), dtype=dtype)
    model.coefs_ = [np.full((16, 5), 1.0), np.full((5, 16), 1.0)]
    model.intercepts_ = [np.zeros(5), np.zeros(16)]
    model.coefs_[0][0, 0] += delta
    return model


@quiet
def test_a_perturbed_symmetric_network_separates_within_a_bounded_number_of_epochs():
    model = _symmetric(1e-12)
    model.fit(X16)
    spread = model.records_["unit_spread"]
    # It starts identical but for the moved weight (1 + 1e-12 rounds to 1 + 1.00009e-12) ...
    assert model.record_epochs_[0] == 0 and model.records_["weight_spread"][0] == pytest.approx(1e-12, rel=1e-3)
    assert spread[0] < 1e-11
    # ... and training amplifies the difference until the units compute clearly different codes.
    assert spread.max() > 0.1
    separated = model.record_epochs_[np.argmax(spread > 0.1)]
    assert 0 < separated <= SEPARATION_BUDGET
    codes = model.transform(X16)
    assert np.ptp(codes, axis=1).max() > 0.1


def test_a_float32_network_cannot_hold_a_perturbation_below_its_precision():
    # 1 + 1e-12 is 1 in float32: the weights start exactly symmetric whatever was asked.
    model = _symmetric(1e-12, dtype="float32")
    with pytest.warns(ConvergenceWarning):
        model.set_params(max_iter=1).fit(X16)
    assert model.records_["weight_spread"][0] == 0.0
