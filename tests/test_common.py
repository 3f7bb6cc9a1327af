"""scikit-learn's estimator checks, with no expected failures, in either dtype.

The float32 estimator is checked by ``check_transformer_preserve_dtypes``
on float32 data: its tag ``preserves_dtype`` is its ``dtype`` parameter.
"""

from sklearn.utils.estimator_checks import parametrize_with_checks

from ae import AutoEncoder


@parametrize_with_checks(
    [
        AutoEncoder(),
        AutoEncoder((4, 2, 4), activation="tanh", solver="rmsprop"),
        AutoEncoder(dtype="float32"),
        AutoEncoder((4, 2, 4), activation="leaky_relu", solver="sgd", dtype="float32"),
        AutoEncoder((4, 2, 4), stop_rule="improvement", record=("unit_spread",), record_every=5, checkpoint_epochs=(0, 10)),
    ]
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
