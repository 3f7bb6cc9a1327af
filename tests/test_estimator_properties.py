"""AutoEncoder on random inputs: every accepted input gives outputs of the right shape, float64, no NaN.

Property-based (hypothesis), bounded and derandomized so the suite is fast and the same on every run.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.exceptions import ConvergenceWarning

from ae import AutoEncoder, SymmetricInitWarning
from ae.activations import ACTIVATIONS
from ae.initializers import INITIALIZERS
from ae.losses import LOSSES
from ae.optimizers import SOLVERS

FAST = settings(max_examples=40, deadline=None, derandomize=True)
KINDS = ["float64", "float32", "int", "bool", "dataframe"]


def as_kind(values, kind):
    """The same data as an input of another kind."""
    if kind == "float32":
        return values.astype(np.float32)
    if kind == "int":
        return np.round(values).astype(np.int64)  # 0 and 1: the cross-entropy takes no target outside [0, 1]
    if kind == "bool":
        return values > 0.5
    if kind == "dataframe":
        return pd.DataFrame(values, columns=[f"x{j}" for j in range(values.shape[1])])
    return values


@st.composite
def datasets(draw, n_samples=st.integers(1, 20), n_features=st.integers(1, 12)):
    """An input array of a random kind, shape and content, some columns possibly constant."""
    n, d = draw(n_samples), draw(n_features)
    values = draw(arrays(np.float64, (n, d), elements=st.floats(0, 1, allow_subnormal=False)))
    for j in draw(st.sets(st.integers(0, d - 1), max_size=d)):
        values[:, j] = draw(st.sampled_from([0.0, 1.0, 0.5]))
    return as_kind(values, draw(st.sampled_from(KINDS)))


estimators = st.builds(
    lambda hidden, **params: AutoEncoder(tuple(hidden), max_iter=3, random_state=0, **params),
    hidden=st.lists(st.integers(1, 6), min_size=1, max_size=3),
    activation=st.sampled_from(sorted(ACTIVATIONS)),
    output_activation=st.sampled_from(sorted(ACTIVATIONS)),
    loss=st.sampled_from(sorted(LOSSES)),
    solver=st.sampled_from(sorted(SOLVERS)),
    init=st.sampled_from(sorted(INITIALIZERS)),
    batch_size=st.none() | st.integers(1, 8),
    dropout=st.sampled_from([0.0, 0.5]),
    noise=st.sampled_from([0.0, 0.3]),
    noise_type=st.sampled_from(["gaussian", "masking"]),
)


def fit_quietly(model, X):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # 3 epochs by design
        warnings.simplefilter("ignore", SymmetricInitWarning)  # init="constant" draws
        return model.fit(X)


def assert_float64_finite(array, shape):
    assert isinstance(array, np.ndarray)
    assert array.shape == shape and array.dtype == np.float64
    assert np.all(np.isfinite(array))


def assert_outputs_are_sound(model, X):
    n, d = X.shape
    n_code = min(model.hidden_layer_sizes)
    codes = model.transform(X)
    assert_float64_finite(codes, (n, n_code))
    assert_float64_finite(model.predict(X), (n, d))
    assert_float64_finite(model.inverse_transform(codes), (n, d))
    assert_float64_finite(model.score_samples(X), (n,))
    assert np.isfinite(model.score(X))
    assert len(model.get_feature_names_out()) == n_code
    assert 1 <= model.n_iter_ <= 3 and len(model.loss_curve_) == model.n_iter_
    assert np.all(np.isfinite(model.loss_curve_))
    assert model.n_features_in_ == d


@FAST
@given(X=datasets(), model=estimators)
def test_every_accepted_input_gives_sound_outputs(X, model):
    assert_outputs_are_sound(fit_quietly(model, X), X)


@FAST
@given(X=datasets(n_samples=st.just(1)), model=estimators)
def test_a_single_sample(X, model):
    assert_outputs_are_sound(fit_quietly(model, X), X)


@FAST
@given(X=datasets(n_samples=st.integers(1, 4), n_features=st.integers(5, 12)), model=estimators)
def test_wide_data_more_features_than_samples(X, model):
    assert_outputs_are_sound(fit_quietly(model, X), X)


@FAST
@given(n=st.integers(1, 20), d=st.integers(1, 12), value=st.sampled_from([0.0, 1.0, 0.3]),
       kind=st.sampled_from(KINDS), model=estimators)
def test_constant_data(n, d, value, kind, model):
    X = as_kind(np.full((n, d), value), kind)
    assert_outputs_are_sound(fit_quietly(model, X), X)


@FAST
@given(X=datasets(), scale=st.sampled_from([-1.0, 3.0]), model=estimators)
def test_inputs_outside_zero_one_are_refused_by_cross_entropy_only(X, scale, model):
    X = np.array(X, dtype=np.float64)  # a copy: a DataFrame's values may be read-only
    X[0, 0] = scale
    if model.loss == "binary_crossentropy":
        with pytest.raises(ValueError, match=r"needs inputs in \[0, 1\]"):
            fit_quietly(model, X)
    else:
        assert_outputs_are_sound(fit_quietly(model, X), X)


@settings(max_examples=20, deadline=None, derandomize=True)
@given(X=datasets(), kind=st.sampled_from(["csr", "csc", "coo"]))
def test_sparse_input_is_rejected_clearly(X, kind):
    dense = np.asarray(X, dtype=np.float64)
    sparse = sp.random(*dense.shape, density=0.5, format=kind, random_state=0)
    with pytest.raises((TypeError, ValueError), match="(?i)sparse"):
        AutoEncoder((2,), max_iter=3).fit(sparse)
    model = fit_quietly(AutoEncoder((2,), max_iter=3, random_state=0), dense)
    for method in (model.transform, model.predict, model.score_samples, model.score, model.partial_fit):
        with pytest.raises((TypeError, ValueError), match="(?i)sparse"):
            method(sparse)
    with pytest.raises((TypeError, ValueError), match="(?i)sparse"):
        model.inverse_transform(sp.random(dense.shape[0], 2, density=0.5, format=kind, random_state=0))


@settings(max_examples=20, deadline=None, derandomize=True)
@given(X=datasets(), bad=st.sampled_from([np.nan, np.inf, -np.inf]), where=st.tuples(st.integers(0), st.integers(0)))
def test_nan_and_inf_are_rejected(X, bad, where):
    clean = np.asarray(X, dtype=np.float64)
    dirty = clean.copy()
    dirty[where[0] % dirty.shape[0], where[1] % dirty.shape[1]] = bad
    with pytest.raises(ValueError, match="NaN|infinity"):
        AutoEncoder((2,), max_iter=3).fit(dirty)
    model = fit_quietly(AutoEncoder((2,), max_iter=3, random_state=0), clean)
    for method in (model.transform, model.predict, model.score_samples, model.score, model.partial_fit):
        with pytest.raises(ValueError, match="NaN|infinity"):
            method(dirty)
