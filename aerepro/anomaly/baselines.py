"""Standard detectors fitted on the same split as the autoencoder, scored the same way (higher = more abnormal).

Each entry of :data:`DETECTORS` maps ``(X_train, X_test, n_code, seed)`` to
one anomaly score per test sample; the ROC AUC of every method is then taken
with :func:`roc_auc`.
"""

import numpy as np
from sklearn.decomposition import PCA
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score

__all__ = ["pca_error", "isolation_forest", "roc_auc", "AUTOENCODER", "DETECTORS", "SEED_FREE"]

#: The autoencoder's name among the methods (its column of the runs table is ``<name>_roc_auc``).
AUTOENCODER = "autoencoder"


def pca_error(X_train, X_test, n_code, seed):
    """Squared reconstruction error of each test sample through a PCA with ``n_code`` components (``seed`` unused:
    the fit is deterministic)."""
    pca = PCA(n_components=n_code, svd_solver="full").fit(X_train)
    return np.square(X_test - pca.inverse_transform(pca.transform(X_test))).sum(axis=1)


def isolation_forest(X_train, X_test, n_code, seed):
    """Minus ``IsolationForest(random_state=seed).score_samples`` (``n_code`` unused)."""
    return -IsolationForest(random_state=seed).fit(X_train).score_samples(X_test)


def roc_auc(is_anomaly, score):
    """``sklearn.metrics.roc_auc_score`` of an anomaly ``score`` (higher = more abnormal) against ``is_anomaly``."""
    return float(roc_auc_score(is_anomaly, score))


#: Baseline name (a column of the runs table: ``<name>_roc_auc``) -> detector.
DETECTORS = {"pca": pca_error, "isolation_forest": isolation_forest}
#: Detectors whose fit does not depend on the seed: fitted once per normal class.
SEED_FREE = {"pca"}
