"""The report's pages: markdown built from pipeline outputs and the sources' data.

Every number on a page comes from a table passed in (the pipeline's outputs,
or a source's numbers loaded by :mod:`ae.sources`); nothing is typed into
the prose. Pure functions from tables to markdown text; the report stage
writes the result.
"""

import numpy as np
import pandas as pd

from .analysis import agreement, align_columns, apply_alignment
from .claims import BINARY_LIKE, decide

__all__ = ["markdown_table", "fmt", "by_init_table", "code_comparison", "claims_table", "blog_report"]

MISSING = "—"


def fmt(value, spec=".3g"):
    """Format a number for a table cell; NaN and None become a dash."""
    if value is None or (isinstance(value, float | np.floating) and np.isnan(value)):
        return MISSING
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, int | np.integer) and "," not in spec:
        return str(value)  # counts stay whole numbers whatever the float format
    if isinstance(value, float | np.floating | int | np.integer):
        return format(value, spec)
    return str(value)


def markdown_table(frame, spec=".4g"):
    """Render a DataFrame as a GitHub markdown table (index not shown).

    Parameters
    ----------
    frame : DataFrame
    spec : str, default=".4g"
        Format of float cells (see :func:`fmt`).

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
    lines = ["| " + " | ".join(map(str, frame.columns)) + " |", "|" + "---|" * len(frame.columns)]
    for row in frame.itertuples(index=False):
        lines.append("| " + " | ".join(fmt(v, spec) for v in row) + " |")
    return "\n".join(lines)


def by_init_table(rows, column, inits, spec=".3g"):
    """One line per labelled set of runs, one column per init.

    Parameters
    ----------
    rows : list of (str, DataFrame)
        A label and its runs (columns ``init_value`` and ``column``).
    column : str
        The value to tabulate (``final_loss``, ``epochs``, ...).
    inits : list of float
        The columns, in order.

    Returns
    -------
    DataFrame
        Column ``runs`` (the labels), then ``c=<init>`` per init, cells formatted.
    """
    out = []
    for label, runs in rows:
        value_of = dict(zip(runs["init_value"], runs[column]))
        out.append({"runs": label, **{f"c={c:g}": fmt(value_of.get(c), spec) for c in inits}})
    return pd.DataFrame(out)


def code_comparison(blog_table, ours):
    """Our consensus code with its columns aligned to the blog's, side by side.

    Parameters
    ----------
    blog_table, ours : ndarray of shape (n_inputs, k)
        Snapped code tables.

    Returns
    -------
    table : DataFrame
        ``input``, ``blog P1..Pk``, ``ours P1..Pk``.
    facts : dict
        ``agreement`` (share of equal cells after aligning columns, no flips)
        and ``agreement_flips`` (columns may also be flipped, v -> 1 - v).
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
    return table, {"agreement": agreement(blog_table, aligned), "agreement_flips": agreement(blog_table, flipped)}


def claims_table(claims, by_protocol, blog_runs, blog_groups):
    """Each claim's verdict on the blog's own numbers and on each protocol of ours.

    Parameters
    ----------
    claims : list of dict
        ``id``, ``quote``, ``about``, ``test`` (``sources/blog.yaml``).
    by_protocol : dict
        Protocol name -> ``(runs, groups)`` of that protocol.
    blog_runs, blog_groups : DataFrame
        The blog's numbers (:func:`ae.sources.load_blog`, :func:`ae.sources.blog_groups`).

    Returns
    -------
    DataFrame
        ``claim``, ``the blog says``, ``on the blog's numbers``, then one column per protocol.
    """
    rows = []
    for claim in claims:
        about = f" ({claim['about']})" if claim.get("about") else ""
        row = {"claim": claim["id"], "the blog says": f"\"{claim['quote']}\"{about}"}
        verdicts = {"on the blog's numbers": decide(claim["test"], blog_runs, blog_groups)}
        verdicts.update({p: decide(claim["test"], r, g) for p, (r, g) in by_protocol.items()})
        for name, verdict in verdicts.items():
            row[name] = verdict.word if verdict.holds is None else f"**{verdict.word}**: {verdict.evidence}"
        rows.append(row)
    return pd.DataFrame(rows)


def _grid_line(study):
    n = len(study["configurations"]) * len(study["activations"]) * len(study["protocols"]) * len(study["inits"])
    return (f"{len(study['configurations'])} configurations x {len(study['activations'])} activation settings x "
            f"{len(study['inits'])} constant inits x {len(study['protocols'])} protocols = **{n} runs**")


def _protocol_table(study):
    keys = ["init_jitter", "tol", "n_iter_no_change", "max_iter"]
    rows = []
    for name, protocol in study["protocols"].items():
        row = {"protocol": name, **{k: fmt(protocol.get(k), "g") for k in keys}}
        row["max_iter by configuration"] = ", ".join(
            f"{c}: {fmt(a.get('protocols', {}).get(name, {}).get('max_iter', protocol.get('max_iter')), ',')}"
            for c, a in study["configurations"].items())
        rows.append(row)
    return pd.DataFrame(rows)


def _span(values, spec=".3g"):
    """``a to b`` for the range of ``values`` (one number when they are all equal)."""
    low, high = fmt(values.min(), spec), fmt(values.max(), spec)
    return low if low == high else f"{low} to {high}"


def _findings(runs, groups, blog, blog_groups, compare_protocol):
    """The findings, as markdown bullets, each from the tables given."""
    lines = []
    blog_sigmoid = blog["runs"][blog["runs"]["activation"] == "sigmoid"]
    written = runs[(runs["protocol"] == "as_written") & (runs["activation"] == "sigmoid")]
    if len(written):
        collapsed = written[written["symmetric_collapse"] == 1.0]
        lines.append(
            f"- **Exact constant init collapses.** Under the protocol as written, {len(collapsed)} of "
            f"{len(written)} sigmoid runs end with every hidden unit identical (one repeated value, the same "
            f"for every input). Their final loss is {_span(collapsed['final_loss'])}, and the stop rule fires "
            f"after {_span(written['epochs'], ',')} epochs, where the blog reports "
            f"{_span(blog_sigmoid['epochs'], ',.0f')} for its sigmoid runs. "
            "Identical weights get identical gradients, so no amount of training separates the units: "
            "the distinct codes the blog reports cannot come from the protocol as it is written.")
    for row in blog_groups.itertuples():
        if row.identical_columns:
            lines.append(
                f"- In the blog's own {row.configuration} table, {row.identical_columns} pair(s) of columns are "
                f"equal in all {len(blog['code_tables'][row.configuration])} rows, as two units that never "
                "separated would be.")
    all_written = groups[groups["protocol"] == "as_written"]
    if len(all_written):
        lines.append(
            f"- Over every activation setting, {int(all_written['collapsed'].sum())} of "
            f"{int(all_written['n_valid'].sum())} as-written runs collapse "
            f"({int(all_written['dead'].sum())} of them with every unit dead, exactly 0).")
    jitter = runs[(runs["protocol"] == "jitter") & (runs["activation"] == "sigmoid")]
    merged = jitter.merge(blog_sigmoid, on=["configuration", "activation", "init_value"], suffixes=("", "_blog"))
    merged = merged[merged["epochs_blog"].notna()]
    if len(merged):
        ratios = (merged["epochs_blog"] / merged["epochs"]).groupby(merged["configuration"], sort=False).median()
        stops = merged.groupby("configuration", sort=False)["final_loss"].median()
        lines.append(
            "- **Where the stop rule fires.** With the symmetry broken (protocol `jitter`), the blog's rule "
            "stops our sigmoid runs at these multiples of the blog's pace: the blog's epoch count over ours, median by "
            "configuration, is " + ", ".join(f"{c} {r:.2f}x (our median loss at the stop {stops[c]:.3g})"
                                               for c, r in ratios.items()) + ".")
    chosen = runs[runs["protocol"] == compare_protocol]
    if len(chosen):
        sig = chosen[chosen["activation"] == "sigmoid"]
        lines.append(
            f"- **Trained to the blog's epoch counts** (protocol `{compare_protocol}`), "
            f"{int(sig['reconstructs_all'].sum())} of {len(sig)} sigmoid runs reconstruct every input, with "
            f"final losses {_span(sig['final_loss'])}.")
        per = chosen.groupby("activation", sort=False).agg(
            runs=("run", "size"), reconstruct_all=("reconstructs_all", "sum"),
            input_blind=("distinct_codes", lambda d: int((d == 1).sum())),
            dead=("dead_units", lambda d: int((d == chosen.loc[d.index, "n_code"]).sum())),
            diverged=("stop_reason", lambda r: int((r == "diverged").sum())))
        lines += [
            f"- **Activation settings** (protocol `{compare_protocol}`, every configuration): runs that "
            "reconstruct every input, runs whose code is the same for every input (input-blind), runs "
            "with every code unit dead (exactly 0), diverged runs.",
            "",
            markdown_table(per.reset_index()),
        ]
    return lines


def blog_report(study, compare_protocol, blog, blog_groups, runs, groups, consensus, links):
    """The blog study's report page.

    Parameters
    ----------
    study : dict
        The ``study`` block of ``params.yaml``.
    compare_protocol : str
        The protocol whose codes are set beside the blog's tables.
    blog : dict
        :func:`ae.sources.load_blog`.
    blog_groups : DataFrame
        :func:`ae.sources.blog_groups`.
    runs, groups, consensus : DataFrame
        The analyse stage's ``runs.csv``, ``groups.csv`` and ``consensus.csv``
        of every configuration, concatenated.
    links : dict
        Figure paths relative to the page: ``"loss"`` and ``"codes"``, format
        strings with ``{configuration}`` (and ``{protocol}`` for codes);
        ``"pages"``: list of (title, path) of the other pages.

    Returns
    -------
    str
        The page, markdown.
    """
    inits = [float(c) for c in study["inits"]]
    protocols = list(study["protocols"])
    by_protocol = {p: (runs[runs["protocol"] == p], groups[groups["protocol"] == p]) for p in protocols}
    out = [
        "# Autoencoders of different configurations and activations: the blog study, reproduced",
        "",
        "Generated by `dvc repro` (stage `report`) from `params.yaml` and the pipeline's outputs "
        "(`analysis/<configuration>/`); every blog number comes from `sources/blog.yaml`, "
        f"typed in once from the post \"{blog['title']}\" ({blog['author']}).",
        "",
        "Other pages: " + ", ".join(f"[{title}]({path})" for title, path in links["pages"]) + ".",
        "",
        "## What ran",
        "",
        _grid_line(study) + ", each trained with `ae.fit_many` (RMSProp, lr 0.001, rho 0.9, eps 1e-8, "
        "cross-entropy, full batch, as the blog). The protocols (`params.yaml`, `study.protocols`):",
        "",
        markdown_table(_protocol_table(study)),
        "",
        "`as_written` is the blog's protocol to the letter; `jitter` and `budget` are our documented "
        "deviations (seeded N(0, 0.01^2) noise on the constant init; and training on through plateaus "
        "to the blog's epoch counts).",
        "",
        "## Findings",
        "",
        *_findings(runs, groups, blog, blog_groups, compare_protocol),
        "",
        "## The blog's claims",
        "",
        "Each claim is decided by one measurement (`ae/claims.py`), on the blog's own numbers where it "
        "printed them, and on our runs of each protocol. Thresholds for loose words: binary-like means at "
        f"least {BINARY_LIKE:.0%} of snapped values at 0 or 1; other thresholds are printed with each verdict.",
        "",
        markdown_table(claims_table(blog["claims"], by_protocol, blog["runs"], blog_groups)),
        "",
    ]
    for configuration in study["configurations"]:
        ours = runs[runs["configuration"] == configuration]
        theirs = blog["runs"][blog["runs"]["configuration"] == configuration]
        activations = list(dict.fromkeys(theirs["activation"])) or ["sigmoid"]
        rows = {"loss": [], "epochs": [], "time": []}
        for activation in activations:
            blog_act = theirs[theirs["activation"] == activation]
            rows["loss"].append((f"blog · {activation}", blog_act))
            rows["epochs"].append((f"blog · {activation}", blog_act))
            if blog_act["minutes"].notna().any():
                rows["time"].append((f"blog · {activation} (minutes)", blog_act))
            for protocol in protocols:
                sel = ours[(ours["activation"] == activation) & (ours["protocol"] == protocol)]
                label = f"ours · {activation} · {protocol}"
                rows["loss"].append((label, sel))
                rows["epochs"].append((label, sel))
                rows["time"].append((label + " (seconds)", sel))
        group = groups[groups["configuration"] == configuration]
        summary = group[["activation", "protocol", "n_valid", "reconstruct_all", "collapsed", "dead",
                         "bijections", "distinct_codes_mean", "binary_fraction_mean", "agreement_mean"]]
        out += [
            f"## {configuration}",
            "",
            "### Final loss by init",
            "",
            markdown_table(by_init_table(rows["loss"], "final_loss", inits)),
            "",
            "### Epochs by init",
            "",
            markdown_table(by_init_table(rows["epochs"], "epochs", inits, ",.0f")),
            "",
            "### Run time by init",
            "",
            "Ours: wall time from the start of the model's stack in `fit_many` to its stop "
            "(the models of a stack train together).",
            "",
            markdown_table(by_init_table([(label, r.assign(time=r["minutes"] if "minutes" in r else r["train_seconds"]))
                                          for label, r in rows["time"]], "time", inits)),
            "",
            "### Hidden codes",
            "",
            "Per activation setting and protocol: runs with a code (`n_valid`), runs reconstructing all 16 "
            "inputs, runs with all hidden units identical (`collapsed`) or all at 0 (`dead`), codes that are "
            "a bijection onto {0,1}^k, mean distinct snapped codes (of 16), mean binary fraction, and mean "
            "agreement of the aligned runs with the first.",
            "",
            markdown_table(summary, ".3g"),
            "",
        ]
        cons = consensus[(consensus["configuration"] == configuration) & (consensus["activation"] == "sigmoid")
                         & (consensus["protocol"] == compare_protocol)]
        if len(cons):
            ours_table = cons.pivot(index="input", columns="unit", values="value").to_numpy()
            if configuration in blog["code_tables"]:
                table, facts = code_comparison(blog["code_tables"][configuration], ours_table)
                out += [
                    f"Our consensus code (sigmoid, protocol `{compare_protocol}`, the five inits lined up and "
                    "snapped as the blog did) beside the blog's table, our columns aligned to the blog's: "
                    f"{facts['agreement']:.0%} of cells agree ({facts['agreement_flips']:.0%} if columns may "
                    "also be flipped). Which input gets which code is arbitrary, so agreement with another "
                    "training's table is not expected; the shape of the code is what compares.",
                    "",
                    markdown_table(table, "g"),
                    "",
                ]
            else:
                table = pd.DataFrame(ours_table, columns=[f"P{j + 1}" for j in range(ours_table.shape[1])])
                out += [f"Our consensus code (sigmoid, protocol `{compare_protocol}`); the blog prints none "
                        "for this configuration.", "", markdown_table(table.rename_axis("input").reset_index(), "g"),
                        ""]
        out += [
            "### Figures",
            "",
            f"![loss curves of {configuration}]({links['loss'].format(configuration=configuration)})",
            "",
            *[f"![codes of {configuration}, {p}]({links['codes'].format(configuration=configuration, protocol=p)})"
              for p in protocols],
            "",
        ]
    return "\n".join(out).rstrip() + "\n"
