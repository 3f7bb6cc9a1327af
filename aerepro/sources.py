"""The sources' reported numbers, typed in once as data (``sources/*.yaml``).

:func:`load_blog` reads ``sources/blog.yaml`` into the same table shapes the
pipeline's own outputs have, so a report can put the blog's numbers and ours
side by side with one code path.
"""


import numpy as np
import pandas as pd

from .codes import binary_fraction, distinct_codes
from .yamldata import load_yaml

__all__ = ["load_blog", "blog_groups"]


def load_blog(path):
    """Read the blog study's numbers.

    Parameters
    ----------
    path : str or Path
        ``sources/blog.yaml``.

    Returns
    -------
    blog : dict
        ``"runs"``: DataFrame with ``configuration``, ``activation``,
        ``init_value``, ``final_loss``, ``epochs`` and ``minutes`` (NaN where
        the post gives no number); ``"code_tables"``: configuration ->
        ndarray of shape (16, k); ``"claims"``: list of dicts (``id``,
        ``quote``, ``about``, ``test``); ``"title"``, ``"author"``.
    """
    data = load_yaml(path)
    rows = [
        {"configuration": configuration, "activation": activation, "init_value": float(run["init"]),
         "final_loss": run["final_loss"], "epochs": run["epochs"], "minutes": run["minutes"]}
        for configuration, settings in data["runs"].items()
        for activation, runs in settings.items()
        for run in runs
    ]
    runs = pd.DataFrame(rows)
    for column in ("final_loss", "epochs", "minutes"):
        runs[column] = pd.to_numeric(runs[column]).astype(float)
    return {
        "title": data["title"],
        "author": data["author"],
        "runs": runs,
        "code_tables": {c: np.asarray(t, dtype=np.float64) for c, t in data["code_tables"].items()},
        "claims": [{"about": "", **claim} for claim in data["claims"]],
    }


def blog_groups(blog, activation):
    """The blog's per-configuration code facts, read off its aligned tables.

    The blog prints one table per configuration (the five runs lined up and
    snapped), not one per run, so these describe that table. ``activation``
    is the setting its tables are of (``report.roles.blog_activation``).

    Returns
    -------
    groups : DataFrame
        ``configuration``, ``activation``, ``distinct_codes_mean``,
        ``binary_fraction_mean`` and ``consensus_binary_fraction`` (the one
        table's share of cells at 0 or 1: both names, so that the blog's
        number meets ours measured the same way) and ``identical_columns``
        (pairs of columns equal in every row).
    """
    rows = []
    for configuration, table in blog["code_tables"].items():
        k = table.shape[1]
        pairs = sum(np.array_equal(table[:, a], table[:, b]) for a in range(k) for b in range(a + 1, k))
        rows.append({"configuration": configuration, "activation": activation,
                     "distinct_codes_mean": float(distinct_codes(table)),
                     "binary_fraction_mean": binary_fraction(table), "consensus_binary_fraction": binary_fraction(table),
                     "identical_columns": int(pairs)})
    return pd.DataFrame(rows)
