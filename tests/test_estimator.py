"""AutoEncoder: the sources' networks, the estimator API, and its errors."""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler
from sklearn.utils._param_validation import InvalidParameterError

from ae import AutoEncoder, SymmetricInitWarning, TrainingDivergedError
from ae.losses import LOSSES
from aerepro.paper.analysis import load_paper

# The paper's trained 3-4-3 network and worked example, typed in once.
PAPER = load_paper(Path(__file__).resolve().parents[1] / "sources" / "paper.yaml")
PAPER_W1, PAPER_W2 = PAPER["weights"]["W1"], PAPER["weights"]["W2"]
PAPER_B1, PAPER_B2 = PAPER["weights"]["b1"], PAPER["weights"]["b2"]
PAPER_OUTPUT = PAPER["forward_pass"]["output"]

BLOG = dict(solver="rmsprop", learning_rate_init=0.001, rho=0.9, epsilon=1e-8, tol=1e-7, n_iter_no_change=1)


def _sig6(x):
    return float(f"{x:.6g}")


def _paper_model():
    model = AutoEncoder((4,), activation="leaky_relu", output_activation="sigmoid", leaky_relu_slope=0.01, max_iter=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(np.array([[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]]))
    model.coefs_ = [np.array(PAPER_W1), np.array(PAPER_W2)]
    model.intercepts_ = [np.array(PAPER_B1), np.array(PAPER_B2)]
    return model


def test_paper_forward_pass_to_six_significant_digits():
    out = _paper_model().predict([[1, 0, 1]])[0]
    assert [_sig6(v) for v in out] == [_sig6(v) for v in PAPER_OUTPUT]


def test_blog_16_5_16_with_jitter_learns_16_distinct_codes():
    X = np.eye(16)
    model = AutoEncoder((5,), init="constant", init_value=1.0, init_jitter=0.01, max_iter=100_000, random_state=0, **BLOG)
    model.fit(X)
    assert model.stop_reason_ == "converged"
    snapped = np.round(model.transform(X) * 2) / 2
    assert len({tuple(row) for row in snapped}) == 16
    assert np.array_equal(model.predict(X).argmax(axis=1), np.arange(16))


def test_blog_exact_constant_init_warns_and_stops_on_the_symmetric_plateau():
    X = np.eye(16)
    model = AutoEncoder((5,), init="constant", init_value=1.0, init_jitter=0.0, max_iter=100_000, **BLOG)
    with pytest.warns(SymmetricInitWarning, match="symmetry is unstable"):
        model.fit(X)
    H = model.transform(X)
    # Identical in exact arithmetic; in floating point a BLAS kernel may seed a
    # difference of ~1e-16 that training amplifies. When the stop rule fires
    # on the plateau the units still agree far below the code's scale.
    assert np.ptp(H, axis=1).max() < 1e-6
    assert model.stop_reason_ == "converged"
    # Only the mean can be learnt: every output near 1/16, loss near H(1/16).
    entropy = -(np.log(1 / 16) / 16 + 15 / 16 * np.log(15 / 16))
    assert model.loss_curve_[-1] == pytest.approx(entropy, rel=1e-3)


def test_symmetric_warning_not_given_when_symmetry_is_broken_or_absent():
    X = np.eye(4)
    with warnings.catch_warnings():
        warnings.simplefilter("error", SymmetricInitWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        AutoEncoder((3,), init="constant", init_jitter=0.01, max_iter=2).fit(X)
        AutoEncoder((1,), init="constant", max_iter=2).fit(X)
        AutoEncoder((3,), max_iter=2).fit(X)


def test_same_random_state_gives_bit_identical_weights():
    X = np.random.RandomState(0).uniform(size=(20, 6))
    kw = dict(hidden_layer_sizes=(4, 2, 4), batch_size=3, max_iter=30, tol=0.0, random_state=7)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        a, b = AutoEncoder(**kw).fit(X), AutoEncoder(**kw).fit(X)
        c = AutoEncoder(**{**kw, "random_state": 8}).fit(X)
    for Wa, Wb in zip(a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_):
        assert np.array_equal(Wa, Wb)
    assert np.array_equal(a.loss_curve_, b.loss_curve_)
    assert not np.array_equal(a.coefs_[0], c.coefs_[0])


def test_stop_rule_counts_consecutive_calm_epochs():
    X = np.eye(4)
    model = AutoEncoder((2,), tol=1e9, n_iter_no_change=3, max_iter=100).fit(X)
    # epoch 1 has no predecessor; epochs 2, 3, 4 are calm.
    assert model.n_iter_ == 4 and model.stop_reason_ == "converged"
    assert len(model.loss_curve_) == 4


def test_max_iter_warns_convergence_warning():
    with pytest.warns(ConvergenceWarning, match="max_iter=5"):
        model = AutoEncoder((2,), tol=0.0, max_iter=5).fit(np.eye(4))
    assert model.n_iter_ == 5 and model.stop_reason_ == "max_iter"


def test_loss_curve_is_loss_before_each_full_batch_update():
    X = np.eye(6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        one = AutoEncoder((3,), solver="sgd", learning_rate_init=0.5, max_iter=1, random_state=0).fit(X)
        three = AutoEncoder((3,), solver="sgd", learning_rate_init=0.5, max_iter=3, random_state=0).fit(X)
        init = AutoEncoder((3,), solver="sgd", learning_rate_init=1e-300, max_iter=1, random_state=0).fit(X)
    assert three.loss_curve_[0] == one.loss_curve_[0]
    assert one.loss_curve_[0] == pytest.approx(-init.score(X), rel=1e-12)
    assert three.loss_curve_[1] == pytest.approx(-one.score(X), rel=1e-12)


def test_minibatch_epoch_loss_is_mean_of_batch_losses():
    X = np.eye(4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = AutoEncoder((2,), solver="sgd", learning_rate_init=1e-300, batch_size=1, max_iter=1, random_state=0).fit(X)
    # A step of 1e-300 changes nothing: every batch loss is one sample's loss.
    assert model.loss_curve_[0] == pytest.approx(-model.score(X), rel=1e-12)


def test_warm_start_starts_from_hand_set_weights():
    X = np.eye(3)
    model = _paper_model()
    model.set_params(warm_start=True, max_iter=1, solver="sgd", learning_rate_init=1e-300)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X)
    np.testing.assert_allclose(model.coefs_[0], PAPER_W1, rtol=1e-12)
    assert model.n_iter_ == 2  # one epoch before the weights were set, one now


def test_warm_start_on_a_new_estimator_with_weights_set_by_hand():
    model = AutoEncoder((4,), activation="leaky_relu", warm_start=True, max_iter=1, solver="sgd",
                        learning_rate_init=1e-300)
    model.coefs_ = [np.array(PAPER_W1), np.array(PAPER_W2)]
    model.intercepts_ = [np.array(PAPER_B1), np.array(PAPER_B2)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(np.eye(3))
    assert model.n_iter_ == 1
    np.testing.assert_allclose(model.coefs_[1], PAPER_W2, rtol=1e-12)


def test_partial_fit_trains_one_epoch_at_a_time_like_fit():
    X = np.eye(5)
    kw = dict(hidden_layer_sizes=(3,), solver="rmsprop", random_state=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        full = AutoEncoder(**kw, max_iter=4, tol=0.0).fit(X)
    step = AutoEncoder(**kw)
    for _ in range(4):
        step.partial_fit(X)
    assert step.n_iter_ == 4
    np.testing.assert_array_equal(step.loss_curve_, full.loss_curve_)
    np.testing.assert_array_equal(step.coefs_[0], full.coefs_[0])


def test_transform_inverse_transform_predict_agree():
    X = np.random.RandomState(0).uniform(size=(10, 6))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = AutoEncoder((5, 3, 5), max_iter=20, random_state=0).fit(X)
    codes = model.transform(X)
    assert codes.shape == (10, 3)
    np.testing.assert_allclose(model.inverse_transform(codes), model.predict(X), rtol=1e-14)
    with pytest.raises(ValueError, match="code layer"):
        model.inverse_transform(np.zeros((2, 4)))


def test_code_layer_is_first_narrowest():
    X = np.eye(6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = AutoEncoder((4, 2, 2, 4), max_iter=2, random_state=0).fit(X)
    H1 = model._forward(X, stop=2)
    np.testing.assert_array_equal(model.transform(X), H1)
    assert (model.architecture_.code_layer, model.architecture_.n_code) == (1, 2)
    np.testing.assert_array_equal(model.inverse_transform(H1), model._forward(H1, start=2))


def test_architecture_is_resolved_once_and_the_parameter_left_as_given():
    sizes = [4, 2, 4]
    model = AutoEncoder(sizes, activation="tanh", max_iter=2, tol=0.0, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(np.eye(6))
    assert model.hidden_layer_sizes is sizes and sizes == [4, 2, 4]
    assert model.architecture_ == model.resolve_architecture(6)
    assert model.architecture_.layer_sizes == (6, 4, 2, 4, 6)
    assert model.architecture_.activations == ("tanh", "tanh", "tanh", "sigmoid")
    assert [W.shape for W in model.coefs_] == [(6, 4), (4, 2), (2, 4), (4, 6)]
    # Encoding follows the network fitted, not parameters changed since.
    model.set_params(hidden_layer_sizes=(5,), activation="relu")
    assert model.transform(np.eye(6)).shape == (6, 2)
    assert model.get_feature_names_out().tolist() == ["autoencoder0", "autoencoder1"]


def test_weights_set_by_hand_without_fit_use_the_parameters_architecture():
    model = AutoEncoder((4,), activation="leaky_relu", leaky_relu_slope=0.01)
    model.coefs_ = [np.array(PAPER_W1), np.array(PAPER_W2)]
    model.intercepts_ = [np.array(PAPER_B1), np.array(PAPER_B2)]
    np.testing.assert_array_equal(model.predict([[1, 0, 1]]), _paper_model().predict([[1, 0, 1]]))
    assert model.transform([[1, 0, 1]]).shape == (1, 4)


def test_scores_are_minus_losses():
    X = np.eye(8)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = AutoEncoder((3,), max_iter=50, random_state=0).fit(X)
    per_sample = model.score_samples(X)
    assert per_sample.shape == (8,)
    P = model.predict(X)
    assert model.score(X) == pytest.approx(-LOSSES["binary_crossentropy"](P[None], X)[0], rel=1e-12)
    assert per_sample[0] == pytest.approx(-LOSSES["binary_crossentropy"](P[None, :1], X[:1])[0], rel=1e-12)


def test_feature_names_and_pandas_output():
    X = pd.DataFrame(np.eye(4), columns=list("abcd"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = AutoEncoder((2,), max_iter=2).fit(X)
    assert list(model.feature_names_in_) == list("abcd")
    assert list(model.get_feature_names_out()) == ["autoencoder0", "autoencoder1"]
    out = model.set_output(transform="pandas").transform(X)
    assert isinstance(out, pd.DataFrame) and list(out.columns) == ["autoencoder0", "autoencoder1"]


@pytest.mark.parametrize(
    "params",
    [
        {"activation": "softmax"},
        {"solver": "lbfgs"},
        {"init": "zeros"},
        {"learning_rate_init": 0.0},
        {"max_iter": 0},
        {"leaky_relu_slope": 2.0},
        {"batch_size": 0},
        {"loss": "hinge"},
        {"dtype": "float16"},
        {"stop_rule": "patience"},
    ],
)
def test_invalid_parameters_raise_invalid_parameter_error(params):
    with pytest.raises(InvalidParameterError, match=next(iter(params))):
        AutoEncoder(**params).fit(np.eye(3))


@pytest.mark.parametrize("sizes", [(0,), (2, -1), (), ((2, 3),)])
def test_invalid_hidden_layer_sizes(sizes):
    with pytest.raises(ValueError, match="hidden_layer_sizes"):
        AutoEncoder(sizes).fit(np.eye(3))


@pytest.mark.parametrize(
    "X, message",
    [
        (np.array([[0.0, np.nan], [1.0, 0.0]]), "NaN"),
        (np.array([[0.0, np.inf], [1.0, 0.0]]), "infinity"),
        (np.array([["a", "b"], ["c", "d"]]), "could not convert|string"),
    ],
)
def test_bad_X_raises_clear_value_error(X, message):
    with pytest.raises(ValueError, match=message):
        AutoEncoder().fit(X)


def test_wrong_width_at_transform_names_both_widths():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = AutoEncoder((2,), max_iter=2).fit(np.eye(4))
    with pytest.raises(ValueError, match="3 features.*expecting 4"):
        model.transform(np.eye(3))


def test_diverging_fit_raises_naming_the_epoch():
    X = np.random.RandomState(0).uniform(size=(8, 4))
    model = AutoEncoder((3,), activation="identity", output_activation="identity", loss="mse", solver="sgd",
                        learning_rate_init=1e3, max_iter=10_000, random_state=0)
    with pytest.raises(TrainingDivergedError, match=r"at epoch \d+"):
        model.fit(X)


def test_in_a_grid_searched_pipeline():
    X = np.random.RandomState(0).uniform(0, 10, size=(40, 6))
    pipe = make_pipeline(MinMaxScaler(), AutoEncoder(max_iter=30, random_state=0))
    grid = GridSearchCV(pipe, {"autoencoder__hidden_layer_sizes": [(2,), (4,)]}, cv=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        grid.fit(X)
    assert grid.best_params_["autoencoder__hidden_layer_sizes"] in [(2,), (4,)]
    assert grid.best_estimator_.transform(X).shape[1] == grid.best_params_["autoencoder__hidden_layer_sizes"][0]


# One case per path of the math: fused and plain losses, each penalty, dropout, noise, minibatches.
FLOAT32_CASES = [
    dict(solver="rmsprop", init="constant", init_jitter=0.01),
    dict(solver="adam", batch_size=3, dropout=0.2, noise=0.1, alpha=0.01),
    dict(activation="leaky_relu", output_activation="tanh", loss="mse", solver="sgd", momentum=0.5,
         noise=0.2, noise_type="masking"),
    dict(sparsity_weight=0.2, sparsity_target=0.1, learning_rate_init=0.01),
]


@pytest.mark.parametrize("params", FLOAT32_CASES)
def test_float32_fit_keeps_float32_everywhere(params):
    X = np.random.RandomState(0).uniform(size=(12, 6))
    kw = dict(hidden_layer_sizes=(4, 3, 4), max_iter=60, tol=0.0, random_state=0, **params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = AutoEncoder(dtype="float32", **kw).fit(X)
        wide = AutoEncoder(**kw).fit(X)
    assert all(a.dtype == np.float32 for a in model.coefs_ + model.intercepts_)
    codes = model.transform(X)
    outputs = [codes, model.predict(X), model.inverse_transform(codes), model.score_samples(X)]
    assert all(out.dtype == np.float32 for out in outputs)
    # The epoch losses are float32 numbers: a float64 operand on their path would show in the low bits.
    assert model.loss_curve_.dtype == np.float64
    np.testing.assert_array_equal(model.loss_curve_.astype(np.float32).astype(np.float64), model.loss_curve_)
    assert not np.array_equal(wide.loss_curve_.astype(np.float32).astype(np.float64), wide.loss_curve_)
    # ... and the same training, to float32's precision.
    np.testing.assert_allclose(model.loss_curve_, wide.loss_curve_, rtol=1e-4)


def test_outputs_are_of_the_dtype_parameter_whatever_the_inputs():
    X = np.eye(6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        narrow = AutoEncoder((3,), max_iter=5, dtype="float32").fit(X)
        wide = AutoEncoder((3,), max_iter=5).fit(X.astype(np.float32))
    assert narrow.transform(X).dtype == np.float32 and narrow.predict(X.astype(np.float32)).dtype == np.float32
    assert wide.transform(X.astype(np.float32)).dtype == np.float64 and wide.coefs_[0].dtype == np.float64
    assert narrow.__sklearn_tags__().transformer_tags.preserves_dtype == ["float32"]
    assert wide.__sklearn_tags__().transformer_tags.preserves_dtype == ["float64"]
    # Weights set by hand in another dtype are used in the estimator's.
    narrow.coefs_ = [W.astype(np.float64) for W in narrow.coefs_]
    assert narrow.predict(X).dtype == np.float32


def test_float32_warm_start_continues_in_float32_from_float64_weights():
    X = np.eye(6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = AutoEncoder((3,), max_iter=5, random_state=0).fit(X)
        model.set_params(dtype="float32", warm_start=True).fit(X)
    assert model.coefs_[0].dtype == np.float32 and model.n_iter_ == 10


def test_partial_fit_in_another_dtype_starts_a_solver_of_that_dtype():
    X = np.eye(6)
    model = AutoEncoder((3,), solver="adam", random_state=0)
    model.partial_fit(X)
    model.set_params(dtype="float32").partial_fit(X)
    assert model._optimizer.m.dtype == np.float32 and model.coefs_[0].dtype == np.float32
    assert np.float32(model.loss_curve_[-1]) == model.loss_curve_[-1]


def test_check_params_checks_constraints_and_rules_and_sets_nothing():
    model = AutoEncoder([8, 4, 8], noise=0.5, noise_type="masking")
    assert model.check_params() is model
    assert vars(model) == vars(AutoEncoder([8, 4, 8], noise=0.5, noise_type="masking"))
    with pytest.raises(InvalidParameterError, match="learning_rate_init"):
        AutoEncoder(learning_rate_init=-1.0).check_params()
    with pytest.raises(ValueError, match="hidden_layer_sizes must be"):
        AutoEncoder((4, 0)).check_params()
    with pytest.raises(ValueError, match="noise must be in"):
        AutoEncoder(noise=1.5, noise_type="masking").check_params()
    with pytest.raises(ValueError, match="sparsity_weight > 0 needs sigmoid"):
        AutoEncoder(sparsity_weight=0.1, activation="tanh").check_params()


def test_check_params_without_constraints_checks_only_the_rules():
    assert AutoEncoder(learning_rate_init=-1.0).check_params(constraints=False).learning_rate_init == -1.0
    with pytest.raises(ValueError, match="noise must be in"):
        AutoEncoder(noise=1.5, noise_type="masking").check_params(constraints=False)
    with pytest.raises(ValueError, match="hidden_layer_sizes must be"):
        AutoEncoder(()).check_params(constraints=False)


def test_prepare_fit_readies_the_model_as_fit_does():
    X = pd.DataFrame(np.eye(5, dtype=np.float32), columns=list("abcde"))
    model = AutoEncoder((3, 2, 3))
    data = model.prepare_fit(X)
    assert isinstance(data, np.ndarray) and data.dtype == np.float64 and data.shape == (5, 5)
    assert model.n_features_in_ == 5 and list(model.feature_names_in_) == list("abcde")
    assert model.architecture_ == model.resolve_architecture(5)
    assert not hasattr(model, "coefs_")
    # The parameters are checked before the data.
    with pytest.raises(InvalidParameterError, match="solver"):
        AutoEncoder(solver="lbfgs").prepare_fit(np.array([[np.nan]]))
    with pytest.raises(ValueError, match="noise must be in"):
        AutoEncoder(noise=2.0, noise_type="masking").prepare_fit(np.array([[np.nan]]))
    with pytest.raises(ValueError, match="NaN"):
        AutoEncoder().prepare_fit(np.array([[np.nan]]))


@pytest.mark.parametrize("record", [("nope",), ([],), (1,)])
def test_record_names_only_known_quantities(record):
    with pytest.raises(ValueError, match="record names quantities of"):
        AutoEncoder(record=record).fit(np.eye(4))
