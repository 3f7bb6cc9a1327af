"""Markdown for the generated pages: table cells and GitHub tables."""

import numpy as np

__all__ = ["MISSING", "fmt", "markdown_table", "span"]

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


def span(values, spec=".3g"):
    """``a to b`` for the range of ``values`` (one number when they are all equal)."""
    low, high = fmt(values.min(), spec), fmt(values.max(), spec)
    return low if low == high else f"{low} to {high}"
