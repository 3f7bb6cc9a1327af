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
    return float(-model.score(X))


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


def noise_summary(records, updates=None):
    """Per batch size, the runs' :func:`update_rising_share` (column ``update_rising_share``).

    Parameters
    ----------
    records : DataFrame
        One row per run: ``batch_size``, ``update_rising_share``; with
        ``updates``, also ``seed`` and ``reconstructs_all``.
    updates : dict, optional
        Batch size -> the updates probed in each of its runs: with it, where
        the rising updates are.

    Returns
    -------
    table : DataFrame
        ``batch_size``, ``runs``, ``rising_runs`` (runs with at least one
        update after which the loss rose), ``median_share`` (the median over
        runs, one per seed), ``mean_share`` (the share of all their updates,
        as every run is probed for as many) and ``max_share``. With
        ``updates``: ``rising_updates`` (their count over all runs),
        ``rising_by_seed`` (``(seed, count)`` of each run with any, most
        first), ``unfit_seeds`` (seeds whose run does not reconstruct all
        the patterns) and ``unfit_rising_updates`` (the count in their runs).
    """
    shares = records.groupby("batch_size")["update_rising_share"]
    table = pd.DataFrame({"runs": shares.size(), "rising_runs": shares.agg(lambda s: int((s > 0).sum())),
                          "median_share": shares.median(), "mean_share": shares.mean(),
                          "max_share": shares.max()}).reset_index()
    if updates is None:
        return table
    counts = (records["update_rising_share"] * records["batch_size"].map(updates)).round().astype(int)
    records = records.assign(rising_updates=counts)
    groups = {b: g for b, g in records.groupby("batch_size")}
    by_seed = lambda g: tuple((int(r["seed"]), int(r["rising_updates"]))  # noqa: E731
                              for r in g[g["rising_updates"] > 0].sort_values(
                                  ["rising_updates", "seed"], ascending=[False, True]).to_dict("records"))
    unfit = lambda g: tuple(int(s) for s in sorted(g.loc[~g["reconstructs_all"].astype(bool), "seed"]))  # noqa: E731
    return table.assign(
        rising_updates=[int(groups[b]["rising_updates"].sum()) for b in table["batch_size"]],
        rising_by_seed=[by_seed(groups[b]) for b in table["batch_size"]],
        unfit_seeds=[unfit(groups[b]) for b in table["batch_size"]],
        unfit_rising_updates=[int(groups[b].loc[~groups[b]["reconstructs_all"].astype(bool), "rising_updates"].sum())
                              for b in table["batch_size"]])
