"""The anomaly study's runs and data: each digit in turn as the normal class, the others as anomalies."""

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from ..grid import GridRun

__all__ = ["anomaly_runs", "digits_split"]


def anomaly_runs(anomaly, normal_class):
    """The runs of one normal class, one per seed of ``anomaly.seeds``: named ``anomaly/digit<class>/seed<seed>``."""
    return [GridRun(f"anomaly/digit{normal_class}/seed{seed}",
                    {"experiment": "anomaly", "normal_class": normal_class, "seed": seed},
                    {**anomaly["estimator"], "random_state": seed})
            for seed in anomaly["seeds"]]


def digits_split(anomaly, normal_class):
    """``(X_train, X_test, is_anomaly, digit)``: scikit-learn's digits scaled to [0, 1].

    The ``normal_class`` is split into training and held-out images
    (``test_size``, ``split_seed``); the test set is the held-out normal
    images, then every image of the other digits.
    """
    digits = load_digits()
    X, y = digits.data / 16.0, digits.target
    normal = y == normal_class
    X_train, X_normal = train_test_split(X[normal], test_size=anomaly["test_size"], random_state=anomaly["split_seed"])
    X_test = np.vstack([X_normal, X[~normal]])
    is_anomaly = np.r_[np.zeros(len(X_normal), int), np.ones((~normal).sum(), int)]
    digit = np.r_[np.full(len(X_normal), normal_class), y[~normal]]
    return X_train, X_test, is_anomaly, digit
