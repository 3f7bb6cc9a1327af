"""Our consensus codes beside the blog's code tables, with the chance level of their agreement.

Computed by the report stage from the analyse stage's consensus codes, for
the page to print (:mod:`aerepro.blog.page` only formats what it is given).
"""

import numpy as np
import pandas as pd

from ..chance import chance_agreement, summarize_null
from ..codes import agreement, align_columns, apply_alignment
from ..runs import code_grid

__all__ = ["AGREEMENT_COLUMNS", "code_comparison", "blog_code_agreement", "consensus_binary_fraction"]



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
