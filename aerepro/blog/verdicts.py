"""Every claim decided on every column, and what those verdicts add up to.

A *column* is the blog's own numbers or one protocol of ours; a *row* is a
claim in its scope, or a claim's ``beyond`` scope (a row of its own). Pure
functions from the claims list and per-protocol tables to tables the page
and the metrics file print.
"""

import pandas as pd

from .claims import STATES, decide

__all__ = ["BLOG_COLUMN", "decide_all", "scoreboard", "verdict_cell", "verdict_table", "state_metrics",
           "shared_draw_table"]

#: The column of verdicts decided on the blog's own numbers.
BLOG_COLUMN = "the blog's numbers"


def _rows(claims):
    """(label, claim, scope, beyond?) of every row: each claim's scope, then its ``beyond`` scope where given."""
    for claim in claims:
        yield str(claim["id"]), claim, claim.get("scope") or {}, False
        if claim.get("beyond"):
            yield f"{claim['id']} beyond", claim, claim["beyond"], True


def decide_all(claims, columns, roles):
    """Every row's verdict on every column.

    Parameters
    ----------
    claims : list of dict
        ``sources/blog.yaml`` claims (``id``, ``quote``, ``test``, ``scope``, ``beyond``).
    columns : dict
        Column name -> ``(runs, groups)``.
    roles : dict
        ``report.roles``.

    Returns
    -------
    DataFrame
        One row per (row label, column): ``row``, ``claim``, ``beyond``,
        ``column``, ``state``, ``margin``, ``evidence``.
    """
    out = []
    for label, claim, scope, beyond in _rows(claims):
        for column, (runs, groups) in columns.items():
            verdict = decide(claim["test"], runs, groups, roles, scope)
            out.append({"row": label, "claim": claim["id"], "beyond": beyond, "column": column,
                        "state": verdict.state, "margin": verdict.margin, "evidence": verdict.evidence})
    return pd.DataFrame(out)


def verdict_cell(state, margin):
    """``holds (+0.12)``: the state and its signed margin (``n/a`` alone)."""
    return state if margin is None or pd.isna(margin) else f"{state} ({margin:+.3g})"


def scoreboard(verdicts, columns):
    """Per column, how many claims (in their scope) hold, fail, are borderline or n/a."""
    own = verdicts[~verdicts["beyond"]]
    rows = []
    for column in columns:
        states = own[own["column"] == column]["state"]
        rows.append({"decided on": column, **{state: int((states == state).sum()) for state in STATES}})
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
            row[column] = verdict_cell(v["state"], v["margin"])
        rows.append(row)
    return pd.DataFrame(rows)


def state_metrics(verdicts):
    """``{column: {claim row: state}}`` for the DVC metrics file (states as text)."""
    return {column: dict(zip(sel["row"], sel["state"])) for column, sel in verdicts.groupby("column", sort=False)}


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
