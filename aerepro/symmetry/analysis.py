"""When symmetric units separate, and which reading of the blog's stop rule lands nearest its numbers."""

import numpy as np

__all__ = ["separation_epoch", "separation_facts", "start_table", "kernel_table", "perturbation_table",
           "stop_rule_table"]


def separation_epoch(epochs, spread, level):
    """The first recorded epoch at which ``spread`` exceeds ``level`` (NaN if it never does).

    Examples
    --------
    >>> separation_epoch([0, 100, 200, 300], [0.0, 1e-9, 0.2, 0.5], 0.01)
    200.0
    >>> separation_epoch([0, 100], [0.0, 0.0], 0.01)
    nan
    """
    spread = np.asarray(spread, dtype=np.float64)
    above = np.flatnonzero(spread > level)
    return float(np.asarray(epochs)[above[0]]) if above.size else np.nan


def separation_facts(estimator, level):
    """``separated_at`` (first epoch with unit spread above ``level``, NaN if none) and ``max_spread``."""
    spread = estimator.records_.get("unit_spread", np.empty(0))
    return {"separated_at": separation_epoch(estimator.record_epochs_, spread, level),
            "max_spread": float(np.max(spread)) if spread.size else np.nan}


def start_table(runs):
    """One row per configuration x dtype of the ``start`` arm: how many constants separated, and when.

    Columns ``configuration``, ``dtype``, ``runs``, ``separated``,
    ``first_separation`` and ``last_separation`` (epochs; NaN when none),
    ``distinct_codes`` (median at the end), ``median_final_loss``.
    """
    start = runs[runs["arm"] == "start"]
    table = start.groupby(["configuration", "dtype"], sort=False).agg(
        runs=("run", "size"), separated=("separated_at", lambda s: int(s.notna().sum())),
        first_separation=("separated_at", "min"), last_separation=("separated_at", "max"),
        distinct_codes=("distinct_codes", "median"), median_final_loss=("final_loss", "median"))
    return table.reset_index()


def _separation(frame, keys):
    return frame.groupby(keys, sort=False).agg(
        runs=("run", "size"), separated=("separated_at", lambda s: int(s.notna().sum())),
        first_separation=("separated_at", "min"), last_separation=("separated_at", "max"),
        median_final_loss=("final_loss", "median")).reset_index()


def kernel_table(runs):
    """The ``kernel`` arm: per core type (and the kernel OpenBLAS reported), configuration and dtype,
    how many constants' runs separated and when (columns as :func:`start_table`, less the codes)."""
    return _separation(runs[runs["arm"] == "kernel"], ["core_type", "blas_kernel", "configuration", "dtype"])


def perturbation_table(runs):
    """The ``perturbed`` arm: the epoch of separation by the size of the moved weight, per dtype."""
    arm = runs[runs["arm"] == "perturbed"]
    return (arm.pivot_table(index="perturbation", columns="dtype", values="separated_at", aggfunc="first", dropna=False)
            .sort_index().reset_index())


def stop_rule_table(runs, blog_runs, activation):
    """The ``stop_rule`` arm beside the blog: per configuration, mechanism, reading and patience.

    Parameters
    ----------
    runs : DataFrame
        The study's runs table.
    blog_runs : DataFrame
        The blog's runs (``configuration``, ``activation``, ``init_value``, ``epochs``, ``final_loss``).
    activation : str
        The blog's activation setting whose numbers compare (its sigmoid runs).

    Returns
    -------
    table : DataFrame
        ``configuration``, ``init_jitter``, ``stop_rule``, ``patience``,
        ``median_epochs`` and ``median_final_loss`` of ours, the blog's
        medians, and ``epochs_ratio`` (ours over the blog's) and
        ``log_distance`` (``|log10 ratio of epochs| + |log10 ratio of losses|``:
        0 is the blog's numbers exactly); ``nearest`` marks each
        configuration's smallest distance.
    """
    arm = runs[runs["arm"] == "stop_rule"]
    ours = arm.groupby(["configuration", "init_jitter", "stop_rule", "patience"], sort=False).agg(
        median_epochs=("epochs", "median"), median_final_loss=("final_loss", "median")).reset_index()
    blog = blog_runs[blog_runs["activation"] == activation].groupby("configuration").agg(
        blog_epochs=("epochs", "median"), blog_final_loss=("final_loss", "median")).reset_index()
    table = ours.merge(blog, on="configuration", how="left")
    table["epochs_ratio"] = table["median_epochs"] / table["blog_epochs"]
    table["log_distance"] = (np.abs(np.log10(table["epochs_ratio"]))
                             + np.abs(np.log10(table["median_final_loss"] / table["blog_final_loss"])))
    best = table.groupby("configuration", sort=False)["log_distance"].transform("min")
    table["nearest"] = table["log_distance"] == best
    return table
