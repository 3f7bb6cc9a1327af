"""Which claim on the blog page: the loss claim's row of the blog page's claim table, from this study's outputs.

The blog page decides every claim per column of its table; this one is
decided across two losses, so it comes from here as one row
(:func:`claim_row`), written by the loss study's report stage for the blog's
report to read (a study imports no other, so the row crosses as a file).
Its state combines the configurations' (:func:`combined_state`) and its
cell names each configuration's, so nothing is hidden behind the summary.
"""

import numpy as np

from ..markdown import fmt

__all__ = ["QUOTE", "LABEL", "combined_state", "configuration_cell", "claim_row"]

#: The blog's sentence the claim reads (the post's reason for cross-entropy).
QUOTE = "the training changes in each epoch do not go smaller rapidly as using MSE"

#: The row's label in the claim table.
LABEL = "loss"


def combined_state(states):
    """One state for the configurations' states: theirs where every decided one agrees, else borderline.

    n/a configurations (nothing reconstructed within the budget) are left
    out; with none left the row is n/a.

    Examples
    --------
    >>> combined_state(["fails", "fails", "n/a"]), combined_state(["holds", "borderline"]), combined_state(["n/a"])
    ('fails', 'borderline', 'n/a')
    """
    decided = [s for s in states if s != "n/a"]
    if not decided:
        return "n/a"
    return decided[0] if len(set(decided)) == 1 else "borderline"


def _epochs(value):
    return "open" if value is None or not np.isfinite(value) else fmt(value, "+,.0f")


def configuration_cell(row):
    """``16-5-16 fails (-1,500 [-1,900, -1,100])``: a configuration's state, median difference and interval.

    An end left open by censored runs reads ``open``; a median that censored
    runs leave open reads as its bounds.

    Examples
    --------
    >>> configuration_cell({"configuration": "16-5-16", "state": "fails", "median": -1500.0,
    ...                     "median_low": -1500.0, "median_high": -1500.0, "low": -1900.0, "high": -1100.0})
    '16-5-16 fails (-1,500 [-1,900, -1,100])'
    """
    if row["state"] == "n/a":
        return f"{row['configuration']} n/a"
    median = (_epochs(row["median"]) if not np.isnan(row["median"])
              else f"{_epochs(row['median_low'])}..{_epochs(row['median_high'])}")
    return f"{row['configuration']} {row['state']} ({median} [{_epochs(row['low'])}, {_epochs(row['high'])}])"


def claim_row(table, compared, activation, protocol):
    """The row the blog page's claim table shows for the loss claim.

    Parameters
    ----------
    table : DataFrame
        :func:`aerepro.loss.analysis.configuration_table`.
    compared : list of str
        The two losses, the one claimed faster first.
    activation, protocol : str
        The activation setting and the blog protocol whose starts the runs share.

    Returns
    -------
    dict
        ``claim`` (:data:`LABEL`), ``the blog says`` (:data:`QUOTE`),
        ``scope``, ``column`` (the protocol: the verdict is decided on its
        starts), ``state`` (:func:`combined_state`, one of
        :data:`~aerepro.loss.analysis.STATES`), ``cell`` (each
        configuration's state with the median of the second loss's
        reconstruction epoch minus the first's and its interval) and
        ``configurations`` (configuration -> ``state``, ``median``, ``low``,
        ``high``; null where open or undefined).
    """
    first, second = compared
    rows = table.to_dict("records")
    state = combined_state([r["state"] for r in rows])
    return {
        "claim": LABEL,
        "the blog says": f"\"{QUOTE}\"",
        "scope": f"{', '.join(r['configuration'] for r in rows)} · {activation} · {first} against {second}",
        "column": protocol,
        "state": state,
        "cell": f"{state}: epochs {second} minus {first}, " + "; ".join(configuration_cell(r) for r in rows),
        "configurations": {r["configuration"]: {"state": r["state"], **{k: (None if not np.isfinite(r[k]) else float(r[k]))
                                                                         for k in ("median", "low", "high")}}
                           for r in rows},
    }
