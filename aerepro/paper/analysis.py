"""The paper's worked example: its printed 3-4-3 network and the forward pass, ours beside its numbers."""


import numpy as np
import pandas as pd

from ..grid import make_estimator
from ..yamldata import load_yaml
from .subsets import pattern_names

__all__ = ["load_paper", "paper_model", "forward_pass_table", "same_to_digits", "printed_loss_table"]


def load_paper(path):
    """The paper's data file (``sources/paper.yaml``) as a dict."""
    return load_yaml(path)


def paper_model(source):
    """An :class:`~ae.AutoEncoder` holding the paper's printed weights.

    Parameters
    ----------
    source : dict
        As returned by :func:`load_paper`.
    """
    w = source["weights"]
    model = make_estimator(source["network"])
    model.coefs_ = [np.array(w["W1"], dtype=float), np.array(w["W2"], dtype=float)]
    model.intercepts_ = [np.array(w["b1"], dtype=float), np.array(w["b2"], dtype=float)]
    model.n_features_in_ = model.coefs_[0].shape[0]
    model.architecture_ = model.resolve_architecture(model.n_features_in_)
    return model


def same_to_digits(a, b, digits=6):
    """True when ``a`` and ``b`` agree once both are rounded to ``digits`` significant digits."""
    return float(f"{a:.{digits}g}") == float(f"{b:.{digits}g}")


def forward_pass_table(model, source, digits=6):
    """Every intermediate value of the worked forward pass, ours beside the paper's.

    Returns a DataFrame with columns ``quantity``, ``ours``, ``paper`` and
    ``match`` (equal to ``digits`` significant digits).
    """
    printed = source["forward_pass"]
    x = np.array([printed["input"]], dtype=float)
    W1, W2 = model.coefs_
    b1, b2 = model.intercepts_
    ours = {
        "z1": (x @ W1 + b1)[0],
        "a1": model.transform(x)[0],
        "z2": (model.transform(x) @ W2 + b2)[0],
        "output": model.predict(x)[0],
    }
    rows = []
    for name, values in ours.items():
        for i, (mine, theirs) in enumerate(zip(values, printed[name])):
            rows.append({"quantity": f"{name}[{i}]", "ours": mine, "paper": float(theirs),
                         "match": same_to_digits(mine, theirs, digits)})
    return pd.DataFrame(rows)


def printed_loss_table(model, X):
    """The printed network on each training pattern: its loss and whether every output rounds to its bit.

    Returns a DataFrame with columns ``pattern`` (e.g. ``"101"``), ``loss``
    (the mean over the pattern's outputs of ``model.loss``, as
    ``-model.score_samples``) and ``reconstructed``. The mean of ``loss``
    is the network's training loss on ``X``.
    """
    X = np.asarray(X, dtype=float)
    return pd.DataFrame({"pattern": pattern_names(X),
                         "loss": -model.score_samples(X),
                         "reconstructed": (model.predict(X).round() == X).all(axis=1)})
