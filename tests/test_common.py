"""scikit-learn's estimator checks, with no expected failures."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from ae import AutoEncoder


@parametrize_with_checks([AutoEncoder(), AutoEncoder((4, 2, 4), activation="tanh", solver="rmsprop")])
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
