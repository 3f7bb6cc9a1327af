"""The training loop (ae/training.py): its options (denoising, dropout, sparsity) and their stacking;
records and checkpoints as a fit takes them, and the symmetric-init question they answer (a perturbed
symmetric network separates); models that differ only in when they stop, trained as one row. The pieces it calls have their own tests: test_corruption.py,
test_stopping.py, test_records.py."""

import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split

from ae import AutoEncoder, TrainingDivergedError, fit_many
from ae.network import Stack, pack
from ae.records import RECORDS, unit_spread
from ae.training import trajectory_key


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


# -- records and checkpoints --------------------------------------------------

X16 = np.eye(16)
# Short fits below stop at max_iter on purpose.
quiet = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def test_checkpoint_epochs_are_validated():
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


# -- models that differ only in when they stop share one row ----------------

#: One start (16-5-16, RMSProp lr 0.01, jittered constant, seed 5), watched: measured here, the stop
#: rules below stop it at epochs 157, 161, 157, 192, 150 and 400.
_ONE_START = dict(solver="rmsprop", learning_rate_init=0.01, init="constant", init_jitter=0.01, random_state=5,
                  record=("unit_spread",), record_every=10, checkpoint_epochs=(0, 30, 120, 400))
_STOP_RULES = [dict(tol=1e-3, n_iter_no_change=1, max_iter=400),
               dict(tol=1e-3, n_iter_no_change=5, max_iter=400),
               dict(stop_rule="improvement", tol=1e-3, n_iter_no_change=1, max_iter=400),
               dict(stop_rule="improvement", tol=1e-4, n_iter_no_change=10, max_iter=400),
               dict(tol=0.0, max_iter=150),
               dict(tol=0.0, max_iter=400)]


def _one_start_many_stops():
    """The start under every rule of :data:`_STOP_RULES`, then two models that do not share its way (another seed,
    another learning rate)."""
    return ([AutoEncoder((5,), **_ONE_START, **rule) for rule in _STOP_RULES]
            + [AutoEncoder((5,), **{**_ONE_START, "random_state": 6}, tol=1e-3, max_iter=400),
               AutoEncoder((5,), **{**_ONE_START, "learning_rate_init": 0.005}, tol=1e-3, max_iter=400)])


def _assert_as_alone(model, alone):
    assert (model.n_iter_, model.stop_reason_) == (alone.n_iter_, alone.stop_reason_)
    assert _same(model, alone)
    np.testing.assert_array_equal(model.record_epochs_, alone.record_epochs_)
    np.testing.assert_array_equal(model.records_["unit_spread"], alone.records_["unit_spread"])
    assert model.checkpoints_.keys() == alone.checkpoints_.keys()
    for epoch, (coefs, intercepts) in model.checkpoints_.items():
        assert all(np.array_equal(p, q) for p, q in zip(coefs + intercepts, [*alone.checkpoints_[epoch][0],
                                                                             *alone.checkpoints_[epoch][1]]))


@quiet
@pytest.mark.parametrize("n_jobs", [None, 2])
def test_models_that_differ_only_in_when_they_stop_train_as_one_row_and_each_ends_as_alone(monkeypatch, n_jobs):
    import ae.training

    rows = []

    class CountingStack(Stack):
        def __init__(self, architecture, loss, params, *args, **kw):
            rows.append(len(params))
            super().__init__(architecture, loss, params, *args, **kw)

    monkeypatch.setattr(ae.training, "Stack", CountingStack)
    models = _one_start_many_stops()
    _, stacks = fit_many(models, X16, n_jobs=n_jobs, return_stacks=True)
    rows_of_fit_many = list(rows)
    for model, alone in zip(models, [clone(m).fit(X16) for m in _one_start_many_stops()]):
        _assert_as_alone(model, alone)
    shared = models[:len(_STOP_RULES)]
    assert len({m.n_iter_ for m in shared}) == 5  # they really stop apart: 150, 157 (twice), 161, 192, 400
    assert any(set(range(len(_STOP_RULES))) <= set(stack) for stack in stacks)  # dealt together, even to 2 workers
    if n_jobs is None:  # one stack of 8 models in 3 rows
        assert rows_of_fit_many == [3] and {m.stack_size_ for m in models} == {8}
    # Each keeps arrays of its own.
    assert not np.shares_memory(shared[0].coefs_[0], shared[2].coefs_[0])
    assert not np.shares_memory(shared[0].checkpoints_[30][0][0], shared[1].checkpoints_[30][0][0])


@quiet
def test_a_shared_row_that_diverges_stops_each_model_still_on_it_as_diverged():
    kw = dict(output_activation="identity", loss="mse", solver="sgd", learning_rate_init=1e3, tol=0.0,
              random_state=1)
    alone = AutoEncoder((5,), max_iter=300, **kw)
    with pytest.raises(TrainingDivergedError):
        alone.fit(X16)
    early = AutoEncoder((5,), max_iter=alone.n_iter_ - 1, **kw)
    models = [early, AutoEncoder((5,), max_iter=300, **kw), AutoEncoder((5,), max_iter=200, **kw)]
    fit_many(models, X16)
    assert early.stop_reason_ == "max_iter" and _same(early, clone(early).fit(X16))
    for model in models[1:]:
        assert model.stop_reason_ == "diverged" and _same(model, alone)


def test_the_trajectory_key_is_shared_by_stop_rules_alone_and_by_no_model_that_draws_while_training():
    base = dict(solver="rmsprop", random_state=3, batch_size=4, shuffle=False)
    ref = trajectory_key(AutoEncoder((5,), **base), 16)
    assert ref is not None
    for stops in (dict(tol=0.5), dict(n_iter_no_change=3), dict(stop_rule="improvement"), dict(max_iter=7),
                  dict(verbose=1)):
        assert trajectory_key(AutoEncoder((5,), **base, **stops), 16) == ref, stops
    for other in (dict(learning_rate_init=0.01), dict(random_state=4), dict(init_jitter=0.01), dict(alpha=1e-4)):
        assert trajectory_key(AutoEncoder((5,), **{**base, **other}), 16) not in (None, ref), other
    for draws in (dict(random_state=None), dict(random_state=np.random.RandomState(3)), dict(shuffle=True),
                  dict(noise=0.1), dict(dropout=0.2)):
        assert trajectory_key(AutoEncoder((5,), **{**base, **draws}), 16) is None, draws
    # a shuffled batch as large as the data is the full batch: nothing drawn
    assert trajectory_key(AutoEncoder((5,), **{**base, "shuffle": True, "batch_size": 16}), 16) is not None
    fitted = AutoEncoder((5,), **base, warm_start=True, max_iter=2).fit(X16)
    assert trajectory_key(fitted, 16) is None  # it would go on from its own weights
    # Values that print alike but train apart: a long array's elided middle, a float32 beside the double.
    epochs = np.arange(2000)
    moved = epochs.copy()
    moved[4] = 5
    assert repr(epochs) == repr(moved)
    assert (trajectory_key(AutoEncoder((5,), **base, checkpoint_epochs=epochs), 16)
            != trajectory_key(AutoEncoder((5,), **base, checkpoint_epochs=moved), 16))
    assert (trajectory_key(AutoEncoder((5,), **base, learning_rate_init=0.1), 16)
            != trajectory_key(AutoEncoder((5,), **base, learning_rate_init=np.float32(0.1)), 16))
