"""Every claim decided on every column, and what those verdicts add up to.

A *column* is the blog's own numbers or one protocol of ours; a *row* is a
claim in its scope, or a claim's ``beyond`` scope (a row of its own). Pure
functions from the claims list and per-protocol tables to tables the page
and the metrics file print.
"""

import re

import pandas as pd

from .claims import STATES, decide

__all__ = ["BLOG_COLUMN", "decide_all", "scoreboard", "verdict_cell", "verdict_table", "state_metrics", "metric_word", "claim_key",
           "sensitivity_table", "shared_draw_table"]

#: The column of verdicts decided on the blog's own numbers.
BLOG_COLUMN = "the blog's numbers"


def _rows(claims):
    """(label, claim, scope, beyond?) of every row: each claim's scope, then its ``beyond`` scope where given."""
    for claim in claims:
        yield str(claim["id"]), claim, claim.get("scope") or {}, False
        if claim.get("beyond"):
            yield f"{claim['id']} beyond", claim, claim["beyond"], True


def decide_all(claims, columns, roles, twins=None):
    """Every row's verdict on every column, and whether each survives the free choices behind it.

    Parameters
    ----------
    claims : list of dict
        ``sources/blog.yaml`` claims (``id``, ``quote``, ``test``, ``scope``, ``beyond``).
    columns : dict
        Column name -> ``(runs, groups)``.
    roles : dict
        ``report.roles``.
    twins : dict, default=None
        Column -> {choice -> column}: the same protocol rerun under another
        free choice (the shared draw, another reading of the stop rule,
        another BLAS kernel). A verdict of the column is robust to a choice
        when that twin has the same state.

    Returns
    -------
    DataFrame
        One row per (row label, column): ``row``, ``claim``, ``test``, ``beyond``,
        ``column``, ``state``, ``margin``, ``low``, ``high`` (the interval
        over seeds of the signed margin), ``evidence``, ``tolerance_robust``,
        ``sensitivity`` (choice -> the state under it; empty where the
        column has no twins), ``depends_on`` (the choices that change the
        state, with the tolerance when halving or doubling it does) and
        ``robust`` (holds or fails, and depends on nothing).
    """
    twins = twins or {}
    out = []
    for label, claim, scope, beyond in _rows(claims):
        for column, (runs, groups) in columns.items():
            verdict = decide(claim["test"], runs, groups, roles, scope)
            out.append({"row": label, "claim": claim["id"], "test": claim["test"], "beyond": beyond, "column": column,
                        "state": verdict.state, "margin": verdict.margin, "low": verdict.low, "high": verdict.high,
                        "evidence": verdict.evidence, "tolerance_robust": verdict.tolerance_robust})
    table = pd.DataFrame(out)
    state = table.set_index(["row", "column"])["state"]
    table["sensitivity"] = [{choice: state[(r, twin)] for choice, twin in twins.get(c, {}).items()}
                            for r, c in zip(table["row"], table["column"])]
    table["depends_on"] = [(["tolerance"] if t is False else []) + [k for k, v in sens.items() if v != s]
                           for s, t, sens in zip(table["state"], table["tolerance_robust"], table["sensitivity"])]
    table["robust"] = table["state"].isin(["holds", "fails"]) & (table["depends_on"].map(len) == 0)
    return table


def verdict_cell(state, margin, robust=True):
    """``holds (+0.12)``: the state and its signed margin (``n/a`` alone), ``*`` after a verdict that is not robust."""
    cell = state if margin is None or pd.isna(margin) else f"{state} ({margin:+.3g})"
    return cell + ("*" if state in ("holds", "fails") and not robust else "")


def scoreboard(verdicts, columns):
    """Per column, how many claims (in their scope) hold, fail, are borderline or n/a."""
    own = verdicts[~verdicts["beyond"]]
    rows = []
    for column in columns:
        states = own[own["column"] == column]["state"]
        robust = own[(own["column"] == column) & own["robust"]]
        rows.append({"decided on": column, **{state: int((states == state).sum()) for state in STATES},
                     "robust holds or fails": len(robust)})
    return pd.DataFrame(rows)


def _scope_words(scope, roles):
    configurations = ", ".join(scope.get("configurations") or ["all"])
    settings = ", ".join(str(roles.get(role)) for role in scope.get("activations", []))
    inits = ", ".join(f"{c:g}" for c in scope["inits"]) if scope.get("inits") else "all inits"
    return f"{configurations} · {settings or 'all settings'} · {inits}"


def verdict_table(claims, verdicts, columns, roles, quote_words=12):
    """One line per row: the claim, its scope, and the verdict cell of each column."""
    by_row = verdicts.set_index(["row", "column"])
    rows = []
    for label, claim, scope, beyond in _rows(claims):
        words = claim["quote"].split()
        quote = " ".join(words[:quote_words]) + (" ..." if len(words) > quote_words else "")
        mark = " (said in passing)" if claim.get("said_in_passing") else ""
        said = f"(claim {claim['id']}, beyond the blog's scope)" if beyond else f"\"{quote}\"{mark}"
        row = {"claim": label, "the blog says": said,
               "scope": _scope_words(scope, roles)}
        for column in columns:
            v = by_row.loc[(label, column)]
            row[column] = verdict_cell(v["state"], v["margin"], v["robust"])
        rows.append(row)
    return pd.DataFrame(rows)


def metric_word(text):
    """A metrics key from a label: words joined by ``_`` (``"the blog's numbers"`` -> ``"the_blog_s_numbers"``).

    Examples
    --------
    >>> metric_word("shared draw"), metric_word("jitter+shared")
    ('shared_draw', 'jitter_shared')
    """
    return re.sub(r"\W+", "_", str(text)).strip("_")


def claim_key(row):
    """A claim row's metrics key: its number and its test, in words (``claim3_epochs_vary_with_init_beyond``)."""
    return f"claim{row['claim']}_{row['test']}" + ("_beyond" if row["beyond"] else "")


def state_metrics(verdicts):
    """``{column: {claim key: state}}`` for the metrics file: what ``dvc exp diff`` says an experiment changed.

    Every key is words (:func:`metric_word`, :func:`claim_key`), so that
    ``dvc metrics show`` and ``dvc exp show`` read as names, not numbers. A
    state is ``holds``, ``fails``, ``borderline`` or ``n/a``; its evidence
    (margin, interval over seeds, the state under each free choice and
    what changes it) is on the page, beside the claim.

    Examples
    --------
    >>> import pandas as pd
    >>> verdicts = pd.DataFrame({"column": ["jitter+shared"], "claim": [3], "test": ["epochs_vary_with_init"],
    ...                          "beyond": [False], "state": ["holds"]})
    >>> state_metrics(verdicts)
    {'jitter_shared': {'claim3_epochs_vary_with_init': 'holds'}}
    """
    return {metric_word(column): {claim_key(r): r["state"] for r in sel.to_dict("records")}
            for column, sel in verdicts.groupby("column", sort=False)}


def sensitivity_table(verdicts, columns):
    """Per row, each column's state and what it depends on (``holds; p10: borderline``), for the page.

    Returns
    -------
    table : DataFrame
        ``claim`` and one cell per column of ``columns``: the state, then
        each free choice that changes it with the state under it, or
        ``robust`` / ``(tried: ...)``.
    """
    by_row = verdicts.set_index(["row", "column"])
    rows = []
    for label in dict.fromkeys(verdicts["row"]):
        row = {"claim": label}
        for column in columns:
            v = by_row.loc[(label, column)]
            moved = [f"{k}: {v['sensitivity'][k]}" if k in v["sensitivity"] else "tolerance"
                     for k in v["depends_on"]]
            row[column] = v["state"] + (" — " + ", ".join(moved) if moved else
                                        " — robust" if v["robust"] else "")
        rows.append(row)
    return pd.DataFrame(rows)


def shared_draw_table(verdicts, pairs):
    """Each row's verdict under the shared draw beside the independent seeds', for each ``(shared, own)`` pair.

    Returns
    -------
    table : DataFrame
        ``claim``, then per pair ``<own>: shared draw`` and ``<own>: independent seeds``.
    changed : list of str
        Rows whose state differs between the two in some pair.
    """
    by_row = verdicts.set_index(["row", "column"])
    table, changed = [], []
    for label in dict.fromkeys(verdicts["row"]):
        row = {"claim": label}
        for shared, own in pairs:
            before, after = by_row.loc[(label, shared)], by_row.loc[(label, own)]
            row[f"{own}: shared draw"] = verdict_cell(before["state"], before["margin"])
            row[f"{own}: independent seeds"] = verdict_cell(after["state"], after["margin"])
            if before["state"] != after["state"] and label not in changed:
                changed.append(label)
        table.append(row)
    return pd.DataFrame(table), changed
