"""How noisy a descent is update by update, where the loss curve only shows epochs.

A fit records one loss per epoch: the mean over its batches, each taken
before its update, so the ups and downs of single updates average out. The
paper calls stochastic gradient descent "noisy"; that shows, if anywhere, in
the loss on the whole training set after each update. These functions
continue a trained model's own training for a few epochs, one update at a
time, on a copy, and read that loss after every update.
"""

import copy

import numpy as np
import pandas as pd

from .batches import rising_share

__all__ = ["set_loss", "update_losses", "update_rising_share", "noise_summary"]


def set_loss(model, X):
    """The model's loss on every row of ``X``, averaged (``-score_samples``; no penalty)."""
    return float(-np.mean(model.score_samples(X)))


def update_losses(model, X, epochs, rng):
    """:func:`set_loss` on ``X`` before ``epochs`` more epochs of ``model``'s training and after each of their updates.

    Parameters
    ----------
    model : AutoEncoder
        Fitted; left as it is (a copy is trained).
    X : ndarray of shape (n_samples, n_features)
        The training data.
    epochs : int
        Epochs to train on; each is one pass over ``X`` in batches of the
        model's ``batch_size``, in an order drawn from ``rng`` when the
        model shuffles (in the rows' order otherwise), one
        :meth:`~ae.AutoEncoder.partial_fit` per batch, so one update each.
    rng : numpy.random.Generator

    Returns
    -------
    losses : ndarray of shape (1 + epochs * updates per epoch,)
    """
    model, X = copy.deepcopy(model), np.asarray(X, dtype=float)
    n = len(X)
    size = n if model.batch_size is None else min(model.batch_size, n)
    losses = [set_loss(model, X)]
    for _ in range(epochs):
        order = rng.permutation(n) if model.shuffle else np.arange(n)
        for start in range(0, n, size):
            model.partial_fit(X[order[start:start + size]])
            losses.append(set_loss(model, X))
    return np.array(losses)


def update_rising_share(model, X, epochs, seed):
    """The share of :func:`update_losses`' updates after which the loss on all of ``X`` is higher than before it.

    ``seed`` seeds the order of the rows (``numpy.random.default_rng``).
    """
    return rising_share(update_losses(model, X, epochs, np.random.default_rng(seed)))


def noise_summary(records):
    """Per batch size, the runs' :func:`update_rising_share` (column ``update_rising_share``).

    Returns
    -------
    table : DataFrame
        ``batch_size``, ``runs``, ``rising_runs`` (runs with at least one
        update after which the loss rose), ``mean_share`` (the share of all
        their updates, as every run is probed for as many) and ``max_share``.
    """
    shares = records.groupby("batch_size")["update_rising_share"]
    return pd.DataFrame({"runs": shares.size(), "rising_runs": shares.agg(lambda s: int((s > 0).sum())),
                         "mean_share": shares.mean(), "max_share": shares.max()}).reset_index()
