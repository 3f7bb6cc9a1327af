"""scikit-learn's estimator checks, with no expected failures of the estimator's own, in either dtype.

The checks fit on arbitrary real data, which the cross-entropy loss refuses
(its targets, the inputs, must lie in [0, 1]): the estimator itself is
checked with ``loss="mse"``, and the default cross-entropy estimator as
users run it on other data, behind a ``MinMaxScaler`` in a pipeline.

The float32 estimator is checked by ``check_transformer_preserve_dtypes``
on float32 data: its tag ``preserves_dtype`` is its ``dtype`` parameter.
"""

import numpy as np
import pytest
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from ae import AutoEncoder


#: scikit-learn's Pipeline fits its steps in place, so it fails these two checks with any estimator in it.
PIPELINE_FAILS = {"check_estimators_overwrite_params": "Pipeline fits its steps in place (scikit-learn's own)",
                  "check_dont_overwrite_parameters": "Pipeline fits its steps in place (scikit-learn's own)"}


@parametrize_with_checks(
    [
        AutoEncoder(loss="mse"),
        AutoEncoder((4, 2, 4), activation="tanh", solver="rmsprop", loss="mse"),
        AutoEncoder(dtype="float32", loss="mse"),
        AutoEncoder((4, 2, 4), activation="leaky_relu", solver="sgd", dtype="float32", loss="mse"),
        AutoEncoder((4, 2, 4), stop_rule="improvement", record=("unit_spread",), record_every=5, checkpoint_epochs=(0, 10),
                    loss="mse"),
        # the checks set no random_state inside a pipeline: set it here, so that two fits agree
        make_pipeline(MinMaxScaler(), AutoEncoder(random_state=0)),
        make_pipeline(MinMaxScaler(), AutoEncoder(dtype="float32", random_state=0)),
    ],
    expected_failed_checks=lambda est: PIPELINE_FAILS if hasattr(est, "steps") else {},
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


@pytest.mark.parametrize("X", [np.array([[0.0, 1.5], [0.2, 0.3]]), np.array([[-0.1, 0.5], [0.2, 0.3]])])
def test_cross_entropy_refuses_inputs_outside_zero_one_naming_the_range_and_the_fix(X):
    for fit in (lambda est: est.fit(X), lambda est: est.partial_fit(X)):
        with pytest.raises(ValueError, match=r"needs inputs in \[0, 1\].*got values in \[.*MinMaxScaler.*loss='mse'"):
            fit(AutoEncoder(max_iter=2))
    AutoEncoder(loss="mse", max_iter=2, tol=0.0).fit(X)  # the squared error takes any finite target


def test_a_scalers_rounding_past_the_range_is_accepted():
    X = np.array([[0.0, 1.0 + 2e-16], [-1e-17, 0.3]])
    assert AutoEncoder(max_iter=2, tol=0.0).fit(X).n_iter_ == 2


def test_a_standard_scaler_before_the_default_estimator_fails_at_fit_not_with_a_negative_loss():
    X = np.random.default_rng(0).uniform(0, 16, size=(30, 4))
    with pytest.raises(ValueError, match="needs inputs in"):
        make_pipeline(StandardScaler(), AutoEncoder(max_iter=2)).fit(X)
    model = make_pipeline(MinMaxScaler(), AutoEncoder(max_iter=20, tol=0.0)).fit(X)
    assert model[-1].loss_curve_[-1] >= 0
