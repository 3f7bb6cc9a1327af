"""Standard detectors fitted on the same training images as the autoencoder (higher score = more abnormal).

Each entry of :data:`DETECTORS` maps ``(X_train, X_test, n_code, seed)`` to
one anomaly score per test sample: PCA by the squared reconstruction error
of :mod:`.scoring` (the autoencoder's measure), IsolationForest by its own
score (it reconstructs nothing).
"""

from sklearn.decomposition import PCA
from sklearn.ensemble import IsolationForest

from .scoring import squared_error

__all__ = ["pca_error", "isolation_forest", "AUTOENCODER", "AUTOENCODER_BY_LOSS", "DETECTORS", "RECONSTRUCTING"]

#: The autoencoder's name among the methods (its column of the runs table is ``<name>_roc_auc``).
AUTOENCODER = "autoencoder"
#: The same autoencoder scored by its own training loss (minus ``score_samples``), for comparison only.
AUTOENCODER_BY_LOSS = "autoencoder_by_loss"


def pca_error(X_train, X_test, n_code, seed):
    """Squared reconstruction error of each test sample through a PCA with ``n_code`` components (``seed`` unused:
    the fit is deterministic)."""
    pca = PCA(n_components=n_code, svd_solver="full").fit(X_train)
    return squared_error(X_test, pca.inverse_transform(pca.transform(X_test)))


def isolation_forest(X_train, X_test, n_code, seed):
    """Minus ``IsolationForest(random_state=seed).score_samples`` (``n_code`` unused)."""
    return -IsolationForest(random_state=seed).fit(X_train).score_samples(X_test)


#: Baseline name (a column of the runs table: ``<name>_roc_auc``) -> detector.
DETECTORS = {"pca": pca_error, "isolation_forest": isolation_forest}
#: The methods scored by the squared reconstruction error (the others keep their own score).
RECONSTRUCTING = (AUTOENCODER, "pca")
