"""One run's scoring: the choice sees only validation images, and every reconstruction method the same measure."""

import numpy as np
import pytest
from sklearn.decomposition import PCA

from aerepro.anomaly.scoring import roc_auc, squared_error
from aerepro.anomaly.selection import at_epochs
from aerepro.anomaly.train import score_run
from aerepro.grid import make_estimator

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
EPOCHS = [2, 5, 30]


def part(rng, n_normal, n_anomalies):
    """Normal images near one pattern, anomalies near another: ``(X, is_anomaly, digit)``."""
    X = np.vstack([np.clip(rng.normal(0.8, 0.1, (n_normal, 6)) * [1, 1, 1, 0, 0, 0], 0, 1),
                   np.clip(rng.normal(0.8, 0.1, (n_anomalies, 6)) * [0, 0, 0, 1, 1, 1], 0, 1)])
    is_anomaly = np.r_[np.zeros(n_normal, int), np.ones(n_anomalies, int)]
    return X, is_anomaly, np.where(is_anomaly == 1, 1, 0)


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.default_rng(0)
    X_train = part(rng, 40, 0)[0]
    model = make_estimator({"hidden_layer_sizes": [2], "max_iter": 30, "checkpoint_epochs": EPOCHS,
                            "batch_size": 8, "random_state": 0}).fit(X_train)
    return model, X_train, part(rng, 10, 10), part(rng, 12, 15)


def test_the_test_images_play_no_part_in_the_choice(fitted):
    model, X_train, validation, test = fitted
    facts, _ = score_run(model, EPOCHS, X_train, validation, test, seed=0)
    X, is_anomaly, digit = test
    flipped, _ = score_run(model, EPOCHS, X_train, validation, (X, 1 - is_anomaly, digit), seed=0)
    assert flipped["chosen_epochs"] == facts["chosen_epochs"]
    assert flipped["validation_roc_auc"] == facts["validation_roc_auc"]
    assert flipped["autoencoder_roc_auc"] == pytest.approx(1 - facts["autoencoder_roc_auc"])


def test_both_reconstruction_methods_are_scored_by_the_squared_error_on_the_test_images(fitted):
    model, X_train, validation, test = fitted
    facts, scores = score_run(model, EPOCHS, X_train, validation, test, seed=0)
    X, is_anomaly, _ = test
    autoencoder = at_epochs(model, facts["chosen_epochs"])
    pca = PCA(n_components=2, svd_solver="full").fit(X_train)
    expected = {"autoencoder": squared_error(X, autoencoder.predict(X)),
                "pca": squared_error(X, pca.inverse_transform(pca.transform(X)))}
    for method, error in expected.items():
        assert scores.loc[scores["method"] == method, "score"].to_numpy() == pytest.approx(error)
        assert facts[f"{method}_roc_auc"] == pytest.approx(roc_auc(is_anomaly, error))
    assert facts["autoencoder_by_loss_roc_auc"] == pytest.approx(roc_auc(is_anomaly, -autoencoder.score_samples(X)))
    assert (facts["n_train"], facts["n_validation"], facts["n_test_normal"], facts["n_test_anomalies"]) == (40, 20, 12, 15)
