"""The anomaly study's run and data: one digit as the normal class, the others as anomalies."""

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from ..grid import GridRun

__all__ = ["anomaly_run", "digits_split"]


def anomaly_run(anomaly):
    """The run of the ``anomaly`` block of ``params.yaml``, named ``anomaly/digit<normal class>``."""
    normal = anomaly["normal_class"]
    return GridRun(f"anomaly/digit{normal}", {"experiment": "anomaly", "normal_class": normal}, anomaly["estimator"])


def digits_split(anomaly):
    """``(X_train, X_test, is_anomaly, digit)``: scikit-learn's digits scaled to [0, 1].

    The normal class is split into training and held-out images
    (``test_size``, ``split_seed``); the test set is the held-out normal
    images, then every image of the other digits.
    """
    digits = load_digits()
    X, y = digits.data / 16.0, digits.target
    normal = y == anomaly["normal_class"]
    X_train, X_normal = train_test_split(X[normal], test_size=anomaly["test_size"], random_state=anomaly["split_seed"])
    X_test = np.vstack([X_normal, X[~normal]])
    is_anomaly = np.r_[np.zeros(len(X_normal), int), np.ones((~normal).sum(), int)]
    digit = np.r_[np.full(len(X_normal), anomaly["normal_class"]), y[~normal]]
    return X_train, X_test, is_anomaly, digit
