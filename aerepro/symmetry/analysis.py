"""When symmetric units separate, and which reading of the blog's stop rule lands nearest its numbers."""

import numpy as np
import pandas as pd

from ae.stopping import STOP_RULES

from ..codes import distinct_units, snap
from ..plateau import on_plateau

__all__ = ["separation_epoch", "separation_facts", "start_table", "kernel_table", "perturbation_table",
           "stop_rule_table", "stop_rule_kernel_table", "identical_pair_table", "stop_epoch", "stop_column", "literal_column", "stop_before_separation", "stop_orders", "TIE"]


#: Log distances within this of a configuration's smallest are a tie: all are "nearest" (0.05 is a factor of
#: about 1.12 on epochs or loss).
TIE = 0.05


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


def separation_facts(estimator, level, X):
    """What separated in one trained run.

    ``separated_at`` (first recorded epoch with unit spread above ``level``,
    NaN if none) and ``max_spread``; at the end, on the inputs ``X``:
    ``distinct_units`` (code units that differ by more than ``level`` on
    some input) and ``distinct_snapped_units`` (distinct columns of the
    snapped code, the blog's measure: its 16-5-16 table has 4 of 5). NaN
    for a code that is not finite.
    """
    spread = estimator.records_.get("unit_spread", np.empty(0))
    H = np.asarray(estimator.transform(X), dtype=np.float64)
    finite = bool(np.isfinite(H).all())
    return {"separated_at": separation_epoch(estimator.record_epochs_, spread, level),
            "max_spread": float(np.max(spread)) if spread.size else np.nan,
            "distinct_units": distinct_units(H, level) if finite else np.nan,
            "distinct_snapped_units": distinct_units(snap(H)) if finite else np.nan}


def start_table(runs):
    """One row per configuration x dtype of the ``start`` arm: how many constants separated, and when.

    Columns ``configuration``, ``dtype``, ``runs``, ``separated``,
    ``first_separation`` and ``last_separation`` (epochs; NaN when none),
    ``distinct_units`` (of the code's units, median at the end), ``distinct_codes`` (of 16, median at the end),
    ``median_final_loss``.
    """
    return _separation(runs[runs["arm"] == "start"], ["configuration", "dtype"])


def _separation(frame, keys):
    return frame.groupby(keys, sort=False).agg(
        runs=("run", "size"), separated=("separated_at", lambda s: int(s.notna().sum())),
        first_separation=("separated_at", "min"), last_separation=("separated_at", "max"),
        distinct_units=("distinct_units", "median"), distinct_codes=("distinct_codes", "median"),
        median_final_loss=("final_loss", "median")).reset_index()


def kernel_table(runs):
    """The ``kernel`` arm: per core type (and the kernel OpenBLAS reported), configuration and dtype,
    how many constants' runs separated and when, and what separated (columns as :func:`start_table`)."""
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
        The study's runs table (its stop-rule runs on this machine's kernel
        are read; those under other core types are :func:`stop_rule_kernel_table`'s).
    blog_runs : DataFrame
        The blog's runs (``configuration``, ``activation``, ``init_value``, ``epochs``, ``final_loss``).
    activation : str
        The blog's activation setting whose numbers compare (its sigmoid runs).

    Returns
    -------
    table : DataFrame
        ``configuration``, ``init_jitter``, ``stop_rule``, ``patience``,
        ``runs`` (one per constant), ``median_epochs`` and ``median_final_loss`` of ours, the blog's
        medians, and ``epochs_ratio`` (ours over the blog's) and
        ``log_distance`` (``|log10 ratio of epochs| + |log10 ratio of losses|``:
        0 is the blog's numbers exactly); ``nearest`` marks each
        configuration's smallest distance and every row within :data:`TIE` of it.
    """
    arm = runs[(runs["arm"] == "stop_rule") & (runs["core_type"] == "")]
    ours = arm.groupby(["configuration", "init_jitter", "stop_rule", "patience"], sort=False).agg(
        runs=("run", "size"), median_epochs=("epochs", "median"),
        median_final_loss=("final_loss", "median")).reset_index()
    blog = blog_runs[blog_runs["activation"] == activation].groupby("configuration").agg(
        blog_epochs=("epochs", "median"), blog_final_loss=("final_loss", "median")).reset_index()
    table = ours.merge(blog, on="configuration", how="left")
    table["epochs_ratio"] = table["median_epochs"] / table["blog_epochs"]
    table["log_distance"] = (np.abs(np.log10(table["epochs_ratio"]))
                             + np.abs(np.log10(table["median_final_loss"] / table["blog_final_loss"])))
    best = table.groupby("configuration", sort=False)["log_distance"].transform("min")
    table["nearest"] = table["log_distance"] <= best + TIE
    return table


def stop_column(reading, patience):
    """The runs table's column of the epoch at which one reading of the blog's rule fires (:func:`stop_epoch`)."""
    return f"stop_{reading}_p{patience}"


def stop_epoch(loss_curve, reading, tol, patience):
    """The epoch at which the estimator's own stop rule (:data:`ae.stopping.STOP_RULES`) would stop a loss history.

    A run trained without a stop rule follows, up to that epoch, the path the
    rule's run would have taken (the rule moves no weight), so reading the
    rule off its history asks what the rule would have stopped on.

    Examples
    --------
    >>> stop_epoch([1.0, 0.5, 0.4, 0.39999999, 0.3], "change", 1e-7, 1)
    4.0
    >>> stop_epoch([1.0, 0.5], "change", 1e-7, 1)
    nan
    """
    rule = STOP_RULES[reading](tol, patience, np.inf)
    for epoch, loss in enumerate(loss_curve, start=1):
        if rule.update(loss, epoch) is not None:
            return float(epoch)
    return np.nan


def stop_before_separation(separated_at, stop, record_every):
    """Whether a rule stopped a run before its units separated, read on the grid the spread was recorded on.

    ``separated_at`` is the first recorded epoch with the spread above the
    level, so the crossing lies after ``separated_at - record_every``: a stop
    at or before that epoch came first (``"before"``), one at or after
    ``separated_at`` came after (``"after"``), and one between cannot be told
    (``"undetermined"``). A run that never separated is ``"never"``.

    Examples
    --------
    >>> [stop_before_separation(1600.0, s, 100) for s in (1400.0, 1535.0, 1600.0)]
    ['before', 'undetermined', 'after']
    >>> stop_before_separation(float("nan"), 800.0, 100)
    'never'
    """
    if not np.isfinite(separated_at):
        return "never"
    if stop <= separated_at - record_every:
        return "before"
    return "after" if stop >= separated_at else "undetermined"


def stop_orders(separated_at, stops, record_every):
    """:func:`stop_before_separation` of each run, from its separation epoch and its stop epoch."""
    return [stop_before_separation(a, b, record_every) for a, b in zip(separated_at, stops)]


def literal_column(rules):
    """The runs table's column of the blog's rule read literally (``change``, the smallest patience of ``rules``)."""
    return stop_column("change", min(rules["patience"]))


def stop_rule_kernel_table(runs, rules, record_every):
    """Where each reading of the blog's rule would stop the kernel arm's runs, and whether their units had separated.

    Parameters
    ----------
    runs : DataFrame
        The study's runs table, with a :func:`stop_column` per reading and patience for the kernel arm.
    rules : dict
        ``symmetry.stop_rules`` (``readings``, ``patience``).

    Returns
    -------
    table : DataFrame
        Per ``core_type``, ``configuration``, ``stop_rule`` and ``patience``:
        ``runs`` (constants x dtypes), ``median_stop`` (epoch the rule fires),
        ``separated`` (runs whose units ever separated) and of those, by
        :func:`stop_before_separation` on the ``record_every`` grid,
        ``stopped_before``, ``undetermined`` and ``stopped_after``; and
        ``smallest_gap``, the least separation epoch minus stop epoch over
        the separated runs (a run's own pair, not the columns' extremes).
    """
    arm = runs[runs["arm"] == "kernel"]
    rows = []
    for (core, configuration), group in arm.groupby(["core_type", "configuration"], sort=False):
        for reading in rules["readings"]:
            for patience in rules["patience"]:
                stop = group[stop_column(reading, patience)]
                order = stop_orders(group["separated_at"], stop, record_every)
                rows.append({"core_type": core, "configuration": configuration, "stop_rule": reading,
                             "patience": patience, "runs": len(group), "median_stop": float(stop.median()),
                             "separated": int(group["separated_at"].notna().sum()),
                             "stopped_before": order.count("before"), "undetermined": order.count("undetermined"),
                             "stopped_after": order.count("after"),
                             "smallest_gap": float((group["separated_at"] - stop).min())})
    return pd.DataFrame(rows)


def identical_pair_table(runs, blog_codes):
    """How often a pair of code units ends identical, by how the symmetry was broken, beside the blog's tables.

    A run "keeps a pair" when its snapped code has fewer distinct units
    (columns) than units: the blog's 16-5-16 table, with Perceptron 1 equal
    to Perceptron 2, does.

    Parameters
    ----------
    runs : DataFrame
        The study's runs table (``distinct_snapped_units``, ``n_code``).
    blog_codes : dict of str to array-like
        Configuration -> the blog's snapped code table.

    Returns
    -------
    table : DataFrame
        ``configuration``, ``mechanism`` (``jittered start``: the stop-rule
        arm's runs with ``init_jitter`` > 0 on this machine's kernel, one
        reading of the rule (``change``, the smallest patience) per draw;
        ``rounding alone``: the kernel arm's runs whose units separated;
        ``the blog``: its table), ``runs``, ``keeps_a_pair`` (runs) and
        ``distinct_units`` (median; of ``n_code``). Runs on the symmetric
        plateau (:func:`aerepro.plateau.on_plateau`: a code that ignores the
        input) say nothing about codes and are left out.
    """
    informative = runs[~on_plateau(runs)]
    rule = informative[(informative["arm"] == "stop_rule") & (informative["core_type"] == "")]
    jitter = rule[(rule["init_jitter"] > 0) & (rule["stop_rule"] == "change")
                  & (rule["patience"] == rule["patience"].min())]  # one reading per draw
    rounding = informative[(informative["arm"] == "kernel") & informative["separated_at"].notna()]
    rows = []
    for mechanism, frame in (("jittered start", jitter), ("rounding alone", rounding)):
        for configuration, group in frame.groupby("configuration", sort=False):
            rows.append({"configuration": configuration, "mechanism": mechanism, "runs": len(group),
                         "keeps_a_pair": int((group["distinct_snapped_units"] < group["n_code"]).sum()),
                         "distinct_units": float(group["distinct_snapped_units"].median()),
                         "n_code": int(group["n_code"].iloc[0])})
    for configuration, table in blog_codes.items():
        table = np.asarray(table, dtype=np.float64)
        units = distinct_units(table)
        rows.append({"configuration": configuration, "mechanism": "the blog", "runs": 1,
                     "keeps_a_pair": int(units < table.shape[1]), "distinct_units": float(units),
                     "n_code": table.shape[1]})
    order = {c: i for i, c in enumerate(dict.fromkeys(runs["configuration"]))}
    table = pd.DataFrame(rows, columns=["configuration", "mechanism", "runs", "keeps_a_pair", "distinct_units",
                                        "n_code"])
    return table.sort_values("configuration", key=lambda c: c.map(order), kind="stable").reset_index(drop=True)
