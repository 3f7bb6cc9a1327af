"""What defines each variant, measured on the clean patterns and on corrupted ones.

A variant's training loss includes its penalty (L2, sparsity) or is taken
on corrupted or dropped-out inputs, so it compares unlike things. These
functions measure every trained model the same way: its reconstruction loss
on the clean patterns, its reconstruction of the clean patterns from
corrupted inputs, how active its code is, and the size of its weights.
"""

import numpy as np
import pandas as pd

from ae.losses import LOSSES
from ae.corruption import NOISES

__all__ = ["reconstruction_loss", "corrupted_copies", "corrupted_column", "code_activity", "weight_norm",
           "property_columns", "run_properties", "property_summary"]


def reconstruction_loss(P, Y, loss):
    """Mean ``loss`` (a name of :data:`ae.losses.LOSSES`) of predictions ``P`` against targets ``Y``."""
    P, Y = np.asarray(P, dtype=float), np.asarray(Y, dtype=float)
    return float(LOSSES[loss](P[None], Y[None])[0])


def corrupted_copies(X, level, noise_type, draws, seed):
    """``(clean, corrupted)``: ``draws`` copies of ``X`` stacked, and the same copies corrupted.

    The corruption is the training's own (``ae.corruption.NOISES[noise_type]``
    at ``level``), drawn from ``numpy.random.default_rng(seed)``, so every
    model is scored on the same corrupted inputs.
    """
    clean = np.tile(np.asarray(X, dtype=float), (draws, 1))
    corrupted = clean.copy()
    NOISES[noise_type](corrupted, level, np.random.default_rng(seed))
    return clean, corrupted


def code_activity(H, silent_below):
    """``(mean activation, silent share)`` of a code matrix ``H`` (samples x units).

    The silent share is the fraction of (sample, unit) entries whose
    activation is below ``silent_below`` in magnitude.
    """
    H = np.asarray(H, dtype=float)
    return float(H.mean()), float((np.abs(H) < silent_below).mean())


def weight_norm(coefs):
    """The Euclidean norm of every weight of the network together (biases left out, as L2 leaves them)."""
    return float(np.sqrt(sum(np.sum(np.square(W)) for W in coefs)))


def corrupted_column(level):
    """The column of the loss on inputs corrupted at ``level``: ``corrupted_loss_<percent>pct``."""
    return f"corrupted_loss_{level * 100:.0f}pct"


def property_columns(levels):
    """The columns :func:`run_properties` returns, in its order, for corruption ``levels``."""
    return ["clean_loss", *map(corrupted_column, levels), "mean_code_activation", "silent_share", "weight_norm"]


def run_properties(model, X, corruptions, silent_below):
    """One model's measured properties.

    Parameters
    ----------
    model : AutoEncoder
        Fitted.
    X : ndarray
        The clean training patterns.
    corruptions : dict
        Level -> ``(clean, corrupted)`` from :func:`corrupted_copies`.
    silent_below : float
        See :func:`code_activity`.

    Returns
    -------
    properties : dict
        ``clean_loss``, :func:`corrupted_column` of each level,
        ``mean_code_activation``, ``silent_share`` and ``weight_norm``.
    """
    facts = {"clean_loss": reconstruction_loss(model.predict(X), X, model.loss)}
    for level, (clean, corrupted) in corruptions.items():
        facts[corrupted_column(level)] = reconstruction_loss(model.predict(corrupted), clean, model.loss)
    mean, silent = code_activity(model.transform(X), silent_below)
    return {**facts, "mean_code_activation": mean, "silent_share": silent, "weight_norm": weight_norm(model.coefs_)}


def property_summary(records, columns):
    """Per variant: the median of each property over seeds, and its range.

    Returns a DataFrame indexed by variant (in order of appearance) with,
    for each column, ``<column>`` (median over seeds), ``<column>_min`` and
    ``<column>_max``. A variant against another is
    :func:`aerepro.paper.effects.effect_table`'s, seed by seed.
    """
    groups = records.groupby("variant", sort=False)[columns]
    median, low, high = groups.median(), groups.min(), groups.max()
    out = pd.DataFrame(index=median.index)
    for c in columns:
        out[c], out[f"{c}_min"], out[f"{c}_max"] = median[c], low[c], high[c]
    return out
