"""The symmetric plateau: one definition for every study that trains on one-hot patterns.

A network whose code ignores its input can do no better than answer ``1/N``
on every output for N one-hot patterns, which costs :func:`input_blind_loss`
(0.2338 for N = 16). Which runs sit there is read off their codes, not their
losses (:func:`on_plateau`): a run creeping down from the plateau is
0.1 % below it and still code-blind, while a run whose code separates the
patterns can end near the same loss. The blog's page and the encoder family's
count the plateau with this one rule.
"""

import numpy as np
import pandas as pd

__all__ = ["input_blind_loss", "on_plateau"]


def input_blind_loss(n):
    """Mean binary cross-entropy of the best input-blind output (``1/n`` everywhere) on the ``n x n`` identity.

    Examples
    --------
    >>> round(input_blind_loss(16), 4)
    0.2338
    """
    if n < 2:
        raise ValueError(f"n must be >= 2 one-hot patterns, got {n!r}.")
    p = 1.0 / n
    return float(-(p * np.log(p) + (1 - p) * np.log1p(-p)))


def on_plateau(runs):
    """Which runs sit on the symmetric plateau: their code ignores the input, and not because every unit is dead.

    A run is there when its hidden units are all identical
    (``symmetric_collapse``), or when its snapped code is one code for every
    input (``distinct_codes == 1``) and it reconstructs nothing: jitter
    leaves the units a hair apart on the plateau, so identity alone misses
    those. Runs whose every code unit is dead (``dead_units == n_code``) are
    dead ReLUs instead; a table without ``dead_units`` (sigmoid units only)
    has none.

    Examples
    --------
    >>> runs = pd.DataFrame({"symmetric_collapse": [True, False, False], "distinct_codes": [1, 1, 16],
    ...                      "reconstructs_all": [False, False, True], "n_code": [5, 5, 5]})
    >>> on_plateau(runs).tolist()
    [True, True, False]
    """
    if not {"symmetric_collapse", "n_code"} <= set(runs.columns):
        return pd.Series(False, index=runs.index)
    blind = runs["symmetric_collapse"].astype(float).eq(1.0)
    if {"distinct_codes", "reconstructs_all"} <= set(runs.columns):
        blind |= runs["distinct_codes"].eq(1) & ~runs["reconstructs_all"].astype(bool)
    dead = runs["dead_units"] if "dead_units" in runs.columns else pd.Series(0, index=runs.index)
    return blind & dead.lt(runs["n_code"])
