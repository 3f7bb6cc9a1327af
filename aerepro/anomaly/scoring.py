"""The one anomaly score of every reconstruction method, and the ROC AUC every method is judged by.

A reconstruction method (the autoencoder, PCA) scores an image by its squared
reconstruction error, the sum over its pixels of ``(x - x_hat) ** 2``: higher
is more abnormal. Methods that reconstruct nothing (IsolationForest) keep a
score of their own, oriented the same way.
"""

import numpy as np
from sklearn.metrics import roc_auc_score

__all__ = ["squared_error", "reconstruction_error", "roc_auc"]


def squared_error(X, X_hat):
    """Each row's sum over columns of ``(X - X_hat) ** 2``.

    >>> squared_error(np.array([[1.0, 0.0], [0.5, 0.5]]), np.array([[0.0, 0.0], [0.5, 1.0]]))
    array([1.  , 0.25])
    """
    return np.square(np.asarray(X, dtype=float) - np.asarray(X_hat, dtype=float)).sum(axis=1)


def reconstruction_error(model, X):
    """:func:`squared_error` of ``X`` and a fitted autoencoder's reconstruction ``model.predict(X)``."""
    return squared_error(X, model.predict(X))


def roc_auc(is_anomaly, score):
    """``sklearn.metrics.roc_auc_score`` of an anomaly ``score`` (higher = more abnormal) against ``is_anomaly``."""
    return float(roc_auc_score(is_anomaly, score))
