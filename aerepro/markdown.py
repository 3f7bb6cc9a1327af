"""Markdown for the generated pages: table cells, GitHub tables, settings and links.

The shared floor of every study's page: a study formats its tables with
these functions so that a number, a range, a block of settings or a figure
link reads the same way on every page.
"""

import os
from pathlib import Path

import numpy as np

__all__ = ["MISSING", "fmt", "markdown_table", "median_range", "settings", "link"]

MISSING = "—"


def fmt(value, spec=".3g", exact=False):
    """Format a number for a table cell; NaN and None become a dash.

    Integers stay whole (``str``) unless ``spec`` has a thousands separator
    or ``exact`` asks for ``spec`` whatever the type.
    """
    if value is None or (isinstance(value, float | np.floating) and np.isnan(value)):
        return MISSING
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, int | np.integer) and "," not in spec and not exact:
        return str(value)  # counts stay whole numbers whatever the float format
    if isinstance(value, float | np.floating | int | np.integer):
        return format(value, spec)
    return str(value)


def markdown_table(frame, spec=".4g", formats=None):
    """Render a DataFrame as a GitHub markdown table (index not shown).

    Parameters
    ----------
    frame : DataFrame
    spec : str, default=".4g"
        Format of float cells (see :func:`fmt`).
    formats : dict, default=None
        Column -> format spec of that column's cells (e.g. ``".0%"``).

    Returns
    -------
    str

    Examples
    --------
    >>> import pandas as pd
    >>> print(markdown_table(pd.DataFrame({"a": [1.23456, None], "b": ["x", "y"]})))
    | a | b |
    |---|---|
    | 1.235 | x |
    | — | y |
    """
    formats = formats or {}
    specs = [(formats.get(c, spec), c in formats) for c in frame.columns]
    lines = ["| " + " | ".join(map(str, frame.columns)) + " |", "|" + "---|" * len(frame.columns)]
    for row in frame.itertuples(index=False):
        lines.append("| " + " | ".join(fmt(v, s, exact) for v, (s, exact) in zip(row, specs)) + " |")
    return "\n".join(lines)


def median_range(median, low, high, spec=".3g", *, collapse=False, brackets="[]", sep=", "):
    """A median and its range as a table cell: ``median [low, high]``.

    Parameters
    ----------
    median, low, high : float or None
        The numbers, each formatted by :func:`fmt` (NaN and None as a dash).
    spec : str, default=".3g"
        Format of the three numbers.
    collapse : bool, default=False
        Show the median alone when ``low`` and ``high`` print the same.
    brackets : str, default="[]"
        The opening and closing bracket of the range.
    sep : str, default=", "
        What stands between ``low`` and ``high``.

    Returns
    -------
    str

    Examples
    --------
    >>> median_range(0.5, 0.25, 1.0)
    '0.5 [0.25, 1]'
    >>> median_range(20, 10, 30, ",.0f", brackets="()", sep="..")
    '20 (10..30)'
    >>> median_range(0.9, 0.9, 0.9, ".3f", collapse=True)
    '0.900'
    """
    mid, low, high = (fmt(v, spec) for v in (median, low, high))
    if collapse and low == high:
        return mid
    return f"{mid} {brackets[0]}{low}{sep}{high}{brackets[1]}"


def settings(block):
    """A block of settings for a page: each ``key=value`` as inline code, joined by commas.

    Parameters
    ----------
    block : dict
        Setting -> value, in the order shown.

    Returns
    -------
    str

    Examples
    --------
    >>> settings({"tol": 1e-05, "max_iter": 100})
    '`tol=1e-05`, `max_iter=100`'
    """
    return ", ".join(f"`{k}={v}`" for k, v in block.items())


def link(path, page):
    """The link from ``page`` to ``path``: ``path`` relative to the page's folder, with forward slashes.

    Parameters
    ----------
    path : str or Path
        What the page links to (a figure, a folder of figures, another
        page); relative to the working directory or absolute. It may hold
        format fields such as ``{configuration}``.
    page : str or Path
        The page's file.

    Returns
    -------
    str
        POSIX path, with ``..`` where ``path`` is outside the page's folder.

    Examples
    --------
    >>> link("report/family/success.png", "report/family.md")
    'family/success.png'
    >>> link("plots/loss/{configuration}.png", "report/README.md")
    '../plots/loss/{configuration}.png'
    """
    return Path(os.path.relpath(path, Path(page).parent)).as_posix()
