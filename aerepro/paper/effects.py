"""A variant's effect on a measure: its value minus the reference variant's on the same seed, over seeds.

Runs of one seed start from the same initial weights whatever the variant,
so the difference on one seed is the variant's effect from that start; its
median over seeds comes with a distribution-free interval
(:func:`aerepro.intervals.median_interval`).
"""

import pandas as pd

from ..intervals import median_interval

__all__ = ["paired_differences", "effect_table"]


def paired_differences(records, column, variant, reference):
    """``column`` of ``variant``'s run minus ``reference``'s run, seed by seed.

    Parameters
    ----------
    records : DataFrame
        One row per run: ``variant``, ``seed`` and ``column``.
    column, variant, reference : str

    Returns
    -------
    differences : Series
        Indexed by seed, sorted.

    Raises
    ------
    ValueError
        When the two variants were not run on the same seeds, or a variant
        has two runs of one seed: a difference needs its pair.
    """
    sides = []
    for name in (variant, reference):
        rows = records[records["variant"] == name]
        if rows["seed"].duplicated().any():
            raise ValueError(f"variant {name!r} has more than one run of seed(s) "
                             f"{sorted(rows.loc[rows['seed'].duplicated(), 'seed'].unique())}")
        sides.append(rows.set_index("seed")[column])
    mine, theirs = sides
    unmatched = sorted(set(mine.index) ^ set(theirs.index))
    if unmatched:
        raise ValueError(f"{variant!r} and {reference!r} are not run on the same seeds: "
                         f"seed(s) {unmatched} lack a pair")
    return (mine - theirs).sort_index()


def effect_table(records, columns, reference):
    """Every other variant's paired effect on each of ``columns``, against ``reference``.

    Returns
    -------
    table : DataFrame
        One row per (variant, column), variants in order of appearance:
        ``variant``, ``column``, ``pairs``, ``median``, ``low``, ``high``
        (:func:`~aerepro.intervals.median_interval` of the
        :func:`paired_differences`) and ``excludes_zero`` (the interval
        lies wholly above or below 0; False when it is undefined).
    """
    rows = []
    for variant in records["variant"].unique():
        if variant == reference:
            continue
        for column in columns:
            differences = paired_differences(records, column, variant, reference)
            median, low, high = median_interval(differences)
            rows.append({"variant": variant, "column": column, "pairs": len(differences), "median": median,
                         "low": low, "high": high, "excludes_zero": bool(low > 0 or high < 0)})
    return pd.DataFrame(rows, columns=["variant", "column", "pairs", "median", "low", "high", "excludes_zero"])
