"""The paper's comparison of batch sizes, from runs: time per epoch, epochs, updates and time to a loss level,
final spread; and the arithmetic of updates that puts batch sizes at an equal number of them."""

import math

import numpy as np
import pandas as pd

__all__ = ["updates_per_epoch", "epochs_for_updates", "epochs_to_reach", "rising_share", "batch_table"]


def updates_per_epoch(n_samples, batch_size):
    """Updates an epoch makes: one per batch, the last one possibly short (``ceil(n_samples / batch_size)``)."""
    return -(-n_samples // batch_size)


def epochs_for_updates(updates, n_samples, batch_size):
    """The fewest epochs at ``batch_size`` that make at least ``updates`` updates (exactly as many when they divide).

    >>> epochs_for_updates(16000, 8, 4), epochs_for_updates(16000, 8, 8)
    (8000, 16000)
    """
    return math.ceil(updates / updates_per_epoch(n_samples, batch_size))


def epochs_to_reach(loss_curve, level):
    """The first epoch (1-based) whose loss is at or below ``level``; NaN if none is."""
    hits = np.flatnonzero(np.asarray(loss_curve, dtype=float) <= level)
    return float(hits[0] + 1) if hits.size else np.nan


def rising_share(loss_curve):
    """The share of epochs whose loss is above the epoch before's: how noisy the descent is (0 for a smooth one)."""
    curve = np.asarray(loss_curve, dtype=float)
    return float((np.diff(curve) > 0).mean()) if curve.size > 1 else np.nan


def batch_table(records, curves_of, level, n_samples):
    """One row per batch size, over seeds.

    Parameters
    ----------
    records : DataFrame
        The batch runs' rows of ``runs.csv``: ``run``, ``batch_size``,
        ``epochs``, ``final_loss``.
    curves_of : dict
        Run name -> its full loss curve.
    level : float
        The loss level whose first epoch is counted.
    n_samples : int
        The patterns trained on (for :func:`updates_per_epoch`).

    Returns
    -------
    table : DataFrame
        ``batch_size``, ``seeds``, ``epochs`` and ``updates`` (most over
        seeds: every run of a grid makes as many), ``reached``
        (seeds that reach ``level``), ``epochs_to_level`` and
        ``updates_to_level`` (medians over the seeds that reach it),
        ``rising_share`` (median over seeds of :func:`rising_share`),
        ``median_final_loss``, ``min_final_loss``, ``max_final_loss``.
    """
    frame = records.assign(
        epochs_to_level=[epochs_to_reach(curves_of[name], level) for name in records["run"]],
        rising_share=[rising_share(curves_of[name]) for name in records["run"]])
    per_epoch = frame["batch_size"].map(lambda size: updates_per_epoch(n_samples, size))
    frame["updates"], frame["updates_to_level"] = frame["epochs"] * per_epoch, frame["epochs_to_level"] * per_epoch
    table = frame.groupby("batch_size").agg(
        seeds=("run", "size"), epochs=("epochs", "max"), updates=("updates", "max"),
        reached=("epochs_to_level", "count"), epochs_to_level=("epochs_to_level", "median"),
        updates_to_level=("updates_to_level", "median"),
        rising_share=("rising_share", "median"),
        median_final_loss=("final_loss", "median"),
        min_final_loss=("final_loss", "min"), max_final_loss=("final_loss", "max"))
    return pd.DataFrame(table).reset_index()
