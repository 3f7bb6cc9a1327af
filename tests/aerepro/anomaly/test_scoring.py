"""One error measure for every reconstruction method: the squared error, against the formula and both estimators."""

import numpy as np
import pytest
from sklearn.decomposition import PCA

from aerepro.anomaly.baselines import pca_error
from aerepro.anomaly.scoring import reconstruction_error, roc_auc, squared_error
from aerepro.grid import make_estimator

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def test_squared_error_is_the_sum_over_pixels_of_the_squared_differences():
    rng = np.random.default_rng(0)
    X, X_hat = rng.uniform(size=(6, 5)), rng.uniform(size=(6, 5))
    expected = [sum((X[i, j] - X_hat[i, j]) ** 2 for j in range(5)) for i in range(6)]
    assert squared_error(X, X_hat) == pytest.approx(expected)
    assert squared_error(X, X).tolist() == [0.0] * 6


def test_the_autoencoder_is_scored_by_the_squared_error_of_its_reconstruction():
    rng = np.random.default_rng(1)
    X = rng.uniform(size=(40, 6))
    model = make_estimator({"hidden_layer_sizes": [3], "max_iter": 5, "random_state": 0}).fit(X)
    error = reconstruction_error(model, X)
    assert error == pytest.approx(np.square(X - model.inverse_transform(model.transform(X))).sum(axis=1))
    # not its training loss: score_samples is a mean over pixels of another loss
    assert not np.allclose(error, -model.score_samples(X))


def test_pca_is_scored_by_the_same_squared_error():
    rng = np.random.default_rng(2)
    X_train, X_test = rng.uniform(size=(30, 6)), rng.uniform(size=(8, 6))
    pca = PCA(n_components=2).fit(X_train)
    assert pca_error(X_train, X_test, 2, None) == pytest.approx(
        squared_error(X_test, pca.inverse_transform(pca.transform(X_test))))


def test_roc_auc_of_a_reversed_score_is_one_minus():
    y, s = np.array([0, 0, 1, 1, 0]), np.array([0.1, 0.4, 0.35, 0.8, 0.2])
    assert roc_auc(y, -s) == pytest.approx(1 - roc_auc(y, s))
