"""The encoder family's analysis: success over seeds, the plateau, and the work per architecture."""

import numpy as np
import pandas as pd

from ..codes import success_rate
from ..plateau import on_plateau

__all__ = [
    "BINARY_LEVELS", "SUMMARY_KEYS", "family_success", "summarize_family", "work_table",
    "power_law", "growth_exponent", "literature_table",
]

#: Levels of a binarised code (threshold 0.5), as the literature reads "distinct binarised codes".
BINARY_LEVELS = (0.0, 1.0)


def family_success(codes):
    """How often the seeds of one setting found a perfect code.

    Parameters
    ----------
    codes : list of (array-like of shape (n_samples, n_units) or None)
        The raw code of each seed; ``None`` for a seed that diverged (it has
        no code, and counts as a failure).

    Returns
    -------
    rates : dict
        ``n_seeds`` and ``n_diverged`` (int); the shares over all seeds of
        :func:`aerepro.codes.success_rate`: ``distinct_share`` (the code
        snapped to 0, 0.5, 1 has ``n_samples`` distinct rows) and
        ``bijection_share`` (it is a bijection onto ``{0, 1}**n_units``);
        and ``binarised_share``, the share whose code binarised at 0.5 has
        ``n_samples`` distinct rows (the literature's "distinct binarised
        codes").

    Raises
    ------
    ValueError
        If ``codes`` is empty.

    Examples
    --------
    >>> rates = family_success([[[0.1], [0.9]], [[0.4], [0.6]], None])  # both 0.4 and 0.6 snap to 0.5
    >>> rates["n_diverged"], rates["distinct_share"], rates["bijection_share"], rates["binarised_share"]
    (1, 0.3333333333333333, 0.3333333333333333, 0.6666666666666666)
    """
    codes = list(codes)
    if not codes:
        raise ValueError("codes must hold at least one seed.")
    fitted = [H for H in codes if H is not None]
    share = len(fitted) / len(codes)
    rates = {"n_seeds": len(codes), "n_diverged": len(codes) - len(fitted),
             "distinct_share": 0.0, "bijection_share": 0.0, "binarised_share": 0.0}
    if fitted:
        snapped = success_rate(fitted)
        binarised = success_rate(fitted, levels=BINARY_LEVELS)
        rates.update(distinct_share=snapped["distinct_share"] * share,
                     bijection_share=snapped["bijection_share"] * share,
                     binarised_share=binarised["distinct_share"] * share)
    return rates



#: Columns of :func:`summarize_family` that say where a row sits.
SUMMARY_KEYS = ["architecture", "n_inputs", "code_units", "extra", "init", "check"]


def summarize_family(records, code_of):
    """One row per (architecture, init): success over seeds and epochs to the stop rule.

    Parameters
    ----------
    records : DataFrame
        Rows of the family's runs table (:func:`aerepro.runs.run_record`).
    code_of : callable
        ``code_of(run_name)`` -> the run's raw code matrix, or ``None`` when
        it diverged.

    Returns
    -------
    summary : DataFrame
        :data:`SUMMARY_KEYS`, the rates of :func:`family_success`,
        ``converged_share`` (stopped by the stop rule, not ``max_iter``:
        what the rule did, not what the code became),
        ``informative_stop_share`` (stopped by the stop rule off the plateau),
        ``reconstruct_share`` (every output rounds to its input),
        ``median_epochs``, ``median_final_loss``, ``plateau_share`` (on the
        symmetric plateau by :func:`aerepro.plateau.on_plateau`, the blog
        page's rule: a code that carries no information) and ``median_binary_fraction``; sorted by N, code
        width, then init in the order first seen.
    """
    rows = []
    records = records.assign(check=records["check"].fillna(""))  # CSV reads an empty check as NaN
    for key, group in records.groupby(SUMMARY_KEYS, sort=False):
        rates = family_success([code_of(name) for name in group["run"]])
        stopped = group["stop_reason"] == "converged"
        plateau = on_plateau(group)
        rows.append({
            **dict(zip(SUMMARY_KEYS, key)),
            **rates,
            "converged_share": float(stopped.mean()),
            "informative_stop_share": float((stopped & ~plateau).mean()),
            "reconstruct_share": float(group["reconstructs_all"].astype(bool).mean()),
            "median_epochs": float(group["epochs"].median()),
            "median_final_loss": float(group["final_loss"].median()),
            "plateau_share": float(plateau.mean()),
            "median_binary_fraction": float(group["binary_fraction"].median()),
        })
    summary = pd.DataFrame(rows)
    return summary.sort_values(["n_inputs", "code_units"], kind="stable").reset_index(drop=True)


def work_table(records):
    """The work of each architecture: its models and model-epochs (the sum of its models' epochs).

    Its time per model-epoch is a clock reading, measured apart by
    ``benchmarks/family_cost.py``, and the stacks it trained in depend on
    the processes at hand: neither enters a stage's outputs (they are the
    clocks file's, :func:`aerepro.runs.write_clocks`). Runs of checks are
    left out.

    Parameters
    ----------
    records : DataFrame
        Rows of the family's runs table.

    Returns
    -------
    work : DataFrame
        ``architecture``, ``n_inputs``, ``code_units``, ``extra``,
        ``models``, ``model_epochs``; sorted by N then code width.

    Examples
    --------
    >>> import pandas as pd
    >>> records = pd.DataFrame({"architecture": "4-2-4", "n_inputs": 4, "code_units": 2, "extra": 0,
    ...                         "check": "", "run": ["a", "b", "c"], "epochs": [10, 20, 5]})
    >>> work_table(records)[["models", "model_epochs"]].to_numpy().tolist()
    [[3, 35]]
    """
    main = records[records["check"].fillna("") == ""]
    keys = ["architecture", "n_inputs", "code_units", "extra"]
    work = main.groupby(keys, sort=False).agg(models=("run", "size"), model_epochs=("epochs", "sum")).reset_index()
    return work.sort_values(["n_inputs", "code_units"], kind="stable").reset_index(drop=True)


def power_law(n, seconds):
    """Fit ``seconds = c * n**p`` by least squares of log(seconds) on log(n).

    Parameters
    ----------
    n : array-like of float
        Sizes, at least two distinct, all > 0.
    seconds : array-like of float
        Costs, same length, all > 0.

    Returns
    -------
    p : float
        The growth exponent (the slope).
    log_c : float
        The intercept, ``log(c)``.

    Raises
    ------
    ValueError
        With fewer than two distinct sizes, unequal lengths, or a value <= 0
        or not finite.
    """
    n = np.asarray(n, dtype=np.float64).ravel()
    seconds = np.asarray(seconds, dtype=np.float64).ravel()
    if n.shape != seconds.shape:
        raise ValueError(f"n and seconds must have the same length, got {n.size} and {seconds.size}.")
    if not (np.isfinite(n).all() and np.isfinite(seconds).all() and (n > 0).all() and (seconds > 0).all()):
        raise ValueError("n and seconds must be finite and > 0.")
    if np.unique(n).size < 2:
        raise ValueError("a power law needs at least two distinct sizes.")
    p, log_c = np.polyfit(np.log(n), np.log(seconds), 1)
    return float(p), float(log_c)


def growth_exponent(n, seconds):
    """The exponent ``p`` of ``seconds ~ c * n**p`` (:func:`power_law`).

    Examples
    --------
    >>> round(growth_exponent([4, 8, 16], [3.0, 12.0, 48.0]), 6)
    2.0
    """
    return power_law(n, seconds)[0]


def literature_table(literature, summary):
    """Each literature figure beside our share of the same architecture, one column per init.

    Parameters
    ----------
    literature : dict
        ``sources/encoder_literature.yaml``: ``sources`` (id -> ``citation``)
        and ``figures`` (each ``source``, ``architecture``, ``method``,
        ``measure``, ``ours`` (a column of ``summary`` or None), and either
        ``successes`` and ``runs`` or ``share``).
    summary : DataFrame
        :func:`summarize_family` (columns ``architecture``, ``init`` and the
        shares).

    Returns
    -------
    table : DataFrame
        ``source``, ``architecture``, ``method``, ``measure``,
        ``literature`` (their figure as text), ``literature_share``,
        ``ours_column``, ``comparison`` (how close their setup is to ours), then one column ``ours: <init>`` per init (our
        share, NaN where we did not run the architecture or measure nothing
        comparable).
    """
    inits = list(dict.fromkeys(summary["init"]))
    rows = []
    for fig in literature["figures"]:
        if "successes" in fig:
            text, share = f"{fig['successes']} of {fig['runs']}", fig["successes"] / fig["runs"]
        else:
            text, share = f"{fig['share']:.1%}", float(fig["share"])
        row = {"source": fig["source"], "architecture": fig["architecture"], "method": fig["method"],
               "measure": fig["measure"], "literature": text, "literature_share": share,
               "ours_column": fig.get("ours"), "comparison": fig.get("comparison", "")}
        for init in inits:
            match = summary[(summary["architecture"] == fig["architecture"]) & (summary["init"] == init)]
            ours = fig.get("ours")
            row[f"ours: {init}"] = float(match.iloc[0][ours]) if ours and len(match) else np.nan
        rows.append(row)
    return pd.DataFrame(rows)
