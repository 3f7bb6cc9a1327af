"""Anomaly detection by reconstruction error, on scikit-learn's 8x8 digits.

``grid`` (the one run of ``anomaly`` in params.yaml, and its data split),
``page`` and ``figures``; ``train`` is the body of its stage.
"""
