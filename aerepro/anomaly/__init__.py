"""Anomaly detection by reconstruction error, on scikit-learn's 8x8 digits.

``grid`` (the runs of ``anomaly`` in params.yaml: every normal class x
seeds, and the data split), ``baselines`` (PCA and IsolationForest on the
same split), ``page`` and ``figures``; ``train`` is the body of its stage.
"""
