"""Our consensus codes beside the blog's code tables, with the chance level of their agreement.

Computed by the report stage from the analyse stage's consensus codes, for
the page to print (:mod:`aerepro.blog.page` only formats what it is given).
"""

import numpy as np
import pandas as pd

from ..chance import chance_agreement, summarize_null
from ..codes import agreement, align_columns, apply_alignment
from ..runs import code_grid
from .readings import STOP_READINGS

__all__ = ["AGREEMENT_COLUMNS", "code_comparison", "blog_code_agreement", "consensus_binary_fraction",
           "stop_rule_search", "chosen_reading"]



def code_comparison(blog_table, ours):
    """Our consensus code with its columns aligned to the blog's, side by side.

    Parameters
    ----------
    blog_table : ndarray of shape (n_inputs, n_units)
        One of the blog's snapped code tables.
    ours : ndarray of shape (n_inputs, n_units)
        Our consensus code of one group.

    Returns
    -------
    table : DataFrame
        ``input``, ``blog P1..Pk``, ``ours P1..Pk``.
    facts : dict
        ``agreement`` (share of equal cells after aligning columns, no
        flips), ``agreement_flips`` (columns may also be flipped) and
        ``chance``, ``chance_q95``, ``p_value`` of ``agreement`` (rows of
        ours shuffled, :func:`aerepro.chance.chance_agreement`).
    """
    aligned = apply_alignment(ours, align_columns(blog_table, ours))
    perm, flip = align_columns(blog_table, ours, allow_flip=True)
    flipped = apply_alignment(ours, perm, flip)
    k = blog_table.shape[1]
    table = pd.DataFrame({"input": np.arange(blog_table.shape[0])})
    for j in range(k):
        table[f"blog P{j + 1}"] = blog_table[:, j]
    for j in range(k):
        table[f"ours P{j + 1}"] = aligned[:, j]
    observed = agreement(blog_table, aligned)
    null = summarize_null(chance_agreement(blog_table, ours), observed)
    return table, {"agreement": observed, "agreement_flips": agreement(blog_table, flipped),
                   "chance": null.mean, "chance_q95": null.q95, "p_value": null.p_value}


#: The columns of :func:`blog_code_agreement`.
AGREEMENT_COLUMNS = ["configuration", "protocol", "seed", "agreement", "agreement_flips", "chance", "chance_q95",
                     "p_value"]


def blog_code_agreement(code_tables, consensus, protocols, activation):
    """Every seed's consensus code beside the blog's code table of its configuration (:func:`code_comparison`).

    Parameters
    ----------
    code_tables : dict of str to ndarray
        Configuration -> the blog's code table (``load_blog(...)["code_tables"]``).
    consensus : DataFrame
        The analyse stage's consensus tables (:func:`analyse_codes`), every configuration.
    protocols : list of str
        The protocols to compare, in order.
    activation : str
        The activation setting of the blog's tables.

    Returns
    -------
    DataFrame
        One row per configuration with a blog table, protocol and seed with a
        consensus code: :data:`AGREEMENT_COLUMNS`, the facts of
        :func:`code_comparison`.
    """
    rows = []
    for configuration, table in code_tables.items():
        for protocol in protocols:
            sel = consensus[(consensus["configuration"] == configuration) & (consensus["activation"] == activation)
                            & (consensus["protocol"] == protocol)]
            for seed, codes in sel.groupby("seed", sort=True):
                facts = code_comparison(table, code_grid(codes)[2])[1]
                rows.append({"configuration": configuration, "protocol": protocol, "seed": seed, **facts})
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)


def consensus_binary_fraction(consensus):
    """The binary fraction of each group's consensus code: the blog's measure, on one table per group.

    The blog lined its five runs up, snapped them and printed one table per
    configuration; its "binary-like" numbers are the share of that table's
    cells at 0 or 1. Ours per group (configuration x activation x protocol x
    seed, the five inits lined up the same way) is the same share of its
    consensus table.

    Parameters
    ----------
    consensus : DataFrame
        The analyse stage's consensus codes: the group columns, ``input``, ``unit``, ``value``.

    Returns
    -------
    DataFrame
        The group columns and ``consensus_binary_fraction``.

    Examples
    --------
    >>> table = pd.DataFrame({"configuration": "4-2-4", "activation": "a", "protocol": "p", "seed": 0,
    ...                       "input": [0, 0, 1, 1], "unit": [0, 1, 0, 1], "value": [0.0, 0.5, 1.0, 1.0]})
    >>> consensus_binary_fraction(table)["consensus_binary_fraction"].tolist()
    [0.75]
    """
    keys = ["configuration", "activation", "protocol", "seed"]
    if not len(consensus):
        return pd.DataFrame(columns=[*keys, "consensus_binary_fraction"])
    binary = consensus.assign(binary=consensus["value"].isin([0.0, 1.0]).astype(float))
    return binary.groupby(keys, sort=False)["binary"].mean().rename("consensus_binary_fraction").reset_index()


def stop_rule_search(runs, blog_runs, protocol, activation):
    """Where each reading of the blog's stop rule (:data:`aerepro.blog.readings.STOP_READINGS`) stops our runs.

    Parameters
    ----------
    runs : DataFrame
        The study's runs with the training stage's ``stop_<reading>_epochs`` and ``_loss`` columns.
    blog_runs : DataFrame
        The blog's runs (``configuration``, ``activation``, ``final_loss``, ``epochs``).
    protocol, activation : str
        Whose runs are read: a protocol that trains past the blog's rule (riding through it) and the
        setting the blog's tables are of.

    Returns
    -------
    DataFrame
        One row per reading and configuration the blog gives numbers for: ``reading``,
        ``configuration``, ``runs``, ``fired`` (share of runs the reading stopped within their
        training), ``epochs`` and ``final_loss`` (medians over inits and seeds; NaN where the reading
        fired in half the runs or fewer), the blog's range of each (``blog_epochs_low`` ...) and
        ``epochs_hit``, ``final_loss_hit`` (our median inside the blog's range).
    """
    ours = runs[(runs["protocol"] == protocol) & (runs["activation"] == activation)]
    theirs = blog_runs[blog_runs["activation"] == activation]
    rows = []
    for reading in STOP_READINGS:
        for configuration, blog in theirs.groupby("configuration", sort=False):
            mine = ours[ours["configuration"] == configuration]
            epochs, loss = mine[f"stop_{reading.name}_epochs"], mine[f"stop_{reading.name}_loss"]
            fired = np.isfinite(epochs.to_numpy(dtype=float))
            most = len(mine) and fired.sum() * 2 > len(mine)  # a median needs the reading in most runs
            # a run the reading never stopped would have stopped after its last epoch (counted as later than
            # every fired one, an approximation where runs ended at different epochs), at a loss no higher
            # than its last
            row = {"reading": reading.name, "configuration": configuration, "runs": len(mine),
                   "fired": float(fired.mean()) if len(mine) else np.nan,
                   "epochs": float(np.median(np.where(fired, epochs, np.inf))) if most else np.nan,
                   "final_loss": float(np.median(np.where(fired, loss, mine["final_loss"]))) if most else np.nan}
            for column in ("epochs", "final_loss"):
                low, high = blog[column].min(), blog[column].max()
                row[f"blog_{column}_low"], row[f"blog_{column}_high"] = low, high
                row[f"{column}_hit"] = bool(low <= row[column] <= high)
            rows.append(row)
    return pd.DataFrame(rows)


def chosen_reading(search, select_on):
    """The reading chosen on one configuration, and how it does on the others (held out).

    The reading that lands most of ``select_on``'s two numbers inside the
    blog's ranges; ties go to the one whose medians sit closest to the
    middle of those ranges (in decades). Its hits on every other
    configuration are the held-out count.

    Returns
    -------
    dict
        ``reading`` (None where the blog gives no numbers for ``select_on``), ``select_on``,
        ``hits_on_selection`` (of 2), ``held_out_hits`` and ``held_out_numbers``.
    """
    if not (search["configuration"] == select_on).any():
        return {"reading": None, "select_on": select_on, "hits_on_selection": 0, "held_out_hits": 0,
                "held_out_numbers": 0}
    chosen = search[search["configuration"] == select_on].assign(
        hits=lambda t: t["epochs_hit"].astype(int) + t["final_loss_hit"].astype(int),
        distance=lambda t: sum(np.abs(np.log10(t[c] / np.sqrt(t[f"blog_{c}_low"] * t[f"blog_{c}_high"])))
                               .fillna(np.inf) for c in ("epochs", "final_loss")))
    best = chosen.sort_values(["hits", "distance"], ascending=[False, True], kind="stable").iloc[0]
    held = search[(search["reading"] == best["reading"]) & (search["configuration"] != select_on)]
    return {"reading": str(best["reading"]), "select_on": select_on, "hits_on_selection": int(best["hits"]),
            "held_out_hits": int(held["epochs_hit"].sum() + held["final_loss_hit"].sum()),
            "held_out_numbers": 2 * len(held)}
