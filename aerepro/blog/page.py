"""The blog study's report page: markdown built from pipeline outputs and the blog's data.

Every number on the page comes from a table passed in (the pipeline's
outputs, or the blog's numbers loaded by :mod:`aerepro.blog.sources`) or
from ``params.yaml``; nothing is typed into the prose, and which protocol or
activation setting plays which part is read from ``report.roles``. Pure
functions from tables to markdown text; the report stage writes the result.
"""

import numpy as np
import pandas as pd

from ..codes import agreement, align_columns, apply_alignment
from ..markdown import fmt, markdown_table, span
from .claims import BINARY_LIKE, decide

__all__ = ["by_init_table", "code_comparison", "claims_table", "blog_report"]


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


def claims_table(claims, by_protocol, blog_runs, blog_groups, roles):
    """Each claim's verdict on the blog's own numbers and on each protocol of ours.

    Parameters
    ----------
    claims : list of dict
        ``id``, ``quote``, ``about``, ``test`` (``sources/blog.yaml``).
    by_protocol : dict
        Protocol name -> ``(runs, groups)`` of that protocol.
    blog_runs, blog_groups : DataFrame
        The blog's numbers (:func:`aerepro.blog.sources.load_blog`, :func:`aerepro.blog.sources.blog_groups`).
    roles : dict
        ``report.roles`` of params.yaml (:mod:`aerepro.blog.claims`).

    Returns
    -------
    DataFrame
        ``claim``, ``the blog says``, ``on the blog's numbers``, then one column per protocol.
    """
    rows = []
    for claim in claims:
        about = f" ({claim['about']})" if claim.get("about") else ""
        row = {"claim": claim["id"], "the blog says": f"\"{claim['quote']}\"{about}"}
        verdicts = {"on the blog's numbers": decide(claim["test"], blog_runs, blog_groups, roles)}
        verdicts.update({p: decide(claim["test"], r, g, roles) for p, (r, g) in by_protocol.items()})
        for name, verdict in verdicts.items():
            row[name] = verdict.word if verdict.holds is None else f"**{verdict.word}**: {verdict.evidence}"
        rows.append(row)
    return pd.DataFrame(rows)


def _settings(block):
    """``key=value`` pairs of a params block, as inline code."""
    return ", ".join(f"`{k}={v}`" for k, v in block.items())


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


def _collapse_finding(runs, blog_sigmoid, roles):
    """The literal protocol's runs of the blog's activation: do their units stay identical?"""
    literal, activation = roles["literal_protocol"], roles["blog_activation"]
    written = runs[(runs["protocol"] == literal) & (runs["activation"] == activation)]
    if not len(written):
        return []
    collapsed = written[written["symmetric_collapse"] == 1.0]
    ending = ("in every one of these runs the stop rule fired on the plateau first, so the protocol as written, "
              "read literally, does not give the distinct codes the blog reports."
              if len(collapsed) == len(written) else
              f"in {len(written) - len(collapsed)} of these runs the units separated before the stop rule fired.")
    return [
        f"- **Exact constant init collapses.** Under the protocol as written (`{literal}`), {len(collapsed)} of "
        f"{len(written)} {activation} runs end with every hidden unit identical (one repeated value, the same "
        f"for every input). Their final loss is {span(collapsed['final_loss'])}, and the stop rule fires "
        f"after {span(written['epochs'], ',')} epochs, where the blog reports "
        f"{span(blog_sigmoid['epochs'], ',.0f')} for its {activation} runs. "
        "Identical weights get identical gradients in exact arithmetic; in floating point the symmetric "
        "state is unstable and rounding may separate the units after long training, but " + ending]


def _pace_finding(runs, blog_sigmoid, roles):
    """Where the blog's stop rule fires once the symmetry is broken, against the blog's epochs."""
    jitter = runs[(runs["protocol"] == roles["jitter_protocol"]) & (runs["activation"] == roles["blog_activation"])]
    merged = jitter.merge(blog_sigmoid, on=["configuration", "activation", "init_value"], suffixes=("", "_blog"))
    merged = merged[merged["epochs_blog"].notna()]
    if not len(merged):
        return []
    ratios = (merged["epochs_blog"] / merged["epochs"]).groupby(merged["configuration"], sort=False).median()
    stops = merged.groupby("configuration", sort=False)["final_loss"].median()
    return [
        f"- **Where the stop rule fires.** With the symmetry broken (protocol `{roles['jitter_protocol']}`), the "
        f"blog's rule stops our {roles['blog_activation']} runs at these multiples of the blog's pace: the blog's "
        "epoch count over ours, median by configuration, is "
        + ", ".join(f"{c} {r:.2f}x (our median loss at the stop {stops[c]:.3g})" for c, r in ratios.items()) + "."]


def _compare_findings(runs, compare_protocol, roles):
    """The protocol trained to the blog's epoch counts: reconstruction, and each activation setting."""
    chosen = runs[runs["protocol"] == compare_protocol]
    if not len(chosen):
        return []
    sig = chosen[chosen["activation"] == roles["blog_activation"]]
    per = chosen.groupby("activation", sort=False).agg(
        runs=("run", "size"), reconstruct_all=("reconstructs_all", "sum"),
        input_blind=("distinct_codes", lambda d: int((d == 1).sum())),
        dead=("dead_units", lambda d: int((d == chosen.loc[d.index, "n_code"]).sum())),
        diverged=("stop_reason", lambda r: int((r == "diverged").sum())))
    return [
        f"- **Trained to the blog's epoch counts** (protocol `{compare_protocol}`), "
        f"{int(sig['reconstructs_all'].sum())} of {len(sig)} {roles['blog_activation']} runs reconstruct every "
        f"input, with final losses {span(sig['final_loss'])}.",
        f"- **Activation settings** (protocol `{compare_protocol}`, every configuration): runs that "
        "reconstruct every input, runs whose code is the same for every input (input-blind), runs "
        "with every code unit dead (exactly 0), diverged runs.",
        "",
        markdown_table(per.reset_index()),
    ]


def _findings(runs, groups, blog, blog_groups, compare_protocol, roles):
    """The findings, as markdown bullets, each from the tables given."""
    blog_sigmoid = blog["runs"][blog["runs"]["activation"] == roles["blog_activation"]]
    lines = _collapse_finding(runs, blog_sigmoid, roles)
    for row in blog_groups.itertuples():
        if row.identical_columns:
            lines.append(
                f"- In the blog's own {row.configuration} table, {row.identical_columns} pair(s) of columns are "
                f"equal in all {len(blog['code_tables'][row.configuration])} rows, as two units that never "
                "separated would be.")
    all_written = groups[groups["protocol"] == roles["literal_protocol"]]
    if len(all_written):
        lines.append(
            f"- Over every activation setting, {int(all_written['collapsed'].sum())} of "
            f"{int(all_written['n_valid'].sum())} as-written runs collapse "
            f"({int(all_written['dead'].sum())} of them with every unit dead, exactly 0).")
    return lines + _pace_finding(runs, blog_sigmoid, roles) + _compare_findings(runs, compare_protocol, roles)


def _head(study, report, blog, links):
    """Title, provenance, what ran and how (every setting read from ``params.yaml``)."""
    return [
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
        _grid_line(study) + ", each trained with `ae.fit_many` (full batch), with the settings every run shares "
        f"(`study.estimator`): {_settings(study.get('estimator', {}))}. The protocols (`study.protocols`):",
        "",
        markdown_table(_protocol_table(study)),
        "",
        f"`{report['roles']['literal_protocol']}` is the blog's protocol to the letter; the others are our "
        "documented deviations, each defined by its row above (`params.yaml` says why).",
        "",
    ]


def _claims_section(blog, blog_groups, by_protocol, roles):
    return [
        "## The blog's claims",
        "",
        "Each claim is decided by one measurement (`aerepro/blog/claims.py`), on the blog's own numbers where it "
        "printed them, and on our runs of each protocol. Thresholds for loose words: binary-like means at "
        f"least {BINARY_LIKE:.0%} of snapped values at 0 or 1; other thresholds are printed with each verdict.",
        "",
        markdown_table(claims_table(blog["claims"], by_protocol, blog["runs"], blog_groups, roles)),
        "",
    ]


def _by_init_rows(ours, theirs, protocols, activations):
    """Labelled run sets for the loss, epochs and time tables: the blog's, then ours per protocol."""
    rows = {"loss": [], "epochs": [], "time": []}
    for activation in activations:
        blog_act = theirs[theirs["activation"] == activation]
        rows["loss"].append((f"blog · {activation}", blog_act))
        rows["epochs"].append((f"blog · {activation}", blog_act))
        if blog_act["minutes"].notna().any():
            rows["time"].append((f"blog · {activation} (minutes)", blog_act.assign(time=blog_act["minutes"])))
        for protocol in protocols:
            sel = ours[(ours["activation"] == activation) & (ours["protocol"] == protocol)]
            label = f"ours · {activation} · {protocol}"
            rows["loss"].append((label, sel))
            rows["epochs"].append((label, sel))
            rows["time"].append((label + " (seconds)", sel.assign(time=sel["train_seconds"])))
    return rows


def _consensus_section(configuration, consensus, blog, compare_protocol, roles, n_inits):
    """Our consensus code of the compared protocol, beside the blog's table where it printed one."""
    activation = roles["blog_activation"]
    cons = consensus[(consensus["configuration"] == configuration) & (consensus["activation"] == activation)
                     & (consensus["protocol"] == compare_protocol)]
    if not len(cons):
        return []
    ours_table = cons.pivot(index="input", columns="unit", values="value").to_numpy()
    if configuration not in blog["code_tables"]:
        table = pd.DataFrame(ours_table, columns=[f"P{j + 1}" for j in range(ours_table.shape[1])])
        return [f"Our consensus code ({activation}, protocol `{compare_protocol}`); the blog prints none "
                "for this configuration.", "", markdown_table(table.rename_axis("input").reset_index(), "g"), ""]
    table, facts = code_comparison(blog["code_tables"][configuration], ours_table)
    return [
        f"Our consensus code ({activation}, protocol `{compare_protocol}`, the {n_inits} inits lined up and "
        "snapped as the blog did) beside the blog's table, our columns aligned to the blog's: "
        f"{facts['agreement']:.0%} of cells agree ({facts['agreement_flips']:.0%} if columns may "
        "also be flipped). Which input gets which code is arbitrary, so agreement with another "
        "training's table is not expected; the shape of the code is what compares.",
        "",
        markdown_table(table, "g"),
        "",
    ]


def _configuration_section(configuration, study, report, blog, tables, links):
    """One configuration: loss, epochs and time by init, the code facts, the consensus code, the figures."""
    runs, groups, consensus = tables
    inits = [float(c) for c in study["inits"]]
    protocols = list(study["protocols"])
    theirs = blog["runs"][blog["runs"]["configuration"] == configuration]
    activations = list(dict.fromkeys(theirs["activation"])) or [report["roles"]["blog_activation"]]
    rows = _by_init_rows(runs[runs["configuration"] == configuration], theirs, protocols, activations)
    group = groups[groups["configuration"] == configuration]
    summary = group[["activation", "protocol", "n_valid", "reconstruct_all", "collapsed", "dead",
                     "bijections", "distinct_codes_mean", "binary_fraction_mean", "agreement_mean"]]
    n_inputs = int(consensus["input"].nunique()) if len(consensus) else 0
    return [
        f"## {configuration}", "",
        "### Final loss by init", "", markdown_table(by_init_table(rows["loss"], "final_loss", inits)), "",
        "### Epochs by init", "", markdown_table(by_init_table(rows["epochs"], "epochs", inits, ",.0f")), "",
        "### Run time by init", "",
        "Ours: wall time from the start of the model's stack in `fit_many` to its stop "
        "(the models of a stack train together).", "",
        markdown_table(by_init_table(rows["time"], "time", inits)), "",
        "### Hidden codes", "",
        f"Per activation setting and protocol: runs with a code (`n_valid`), runs reconstructing all {n_inputs} "
        "inputs, runs with all hidden units identical (`collapsed`) or all at 0 (`dead`), codes that are "
        f"a bijection onto {{0,1}}^k, mean distinct snapped codes (of {n_inputs}), mean binary fraction, and mean "
        "agreement of the aligned runs with the first.", "",
        markdown_table(summary, ".3g"), "",
        *_consensus_section(configuration, consensus, blog, report["compare_protocol"], report["roles"], len(inits)),
        "### Figures", "",
        f"![loss curves of {configuration}]({links['loss'].format(configuration=configuration)})", "",
        *[f"![codes of {configuration}, {p}]({links['codes'].format(configuration=configuration, protocol=p)})"
          for p in protocols],
        "",
    ]


def blog_report(study, report, blog, blog_groups, runs, groups, consensus, links):
    """The blog study's report page.

    Parameters
    ----------
    study : dict
        The ``study`` block of ``params.yaml``.
    report : dict
        The ``report`` block: ``compare_protocol`` (whose codes are set
        beside the blog's tables) and ``roles`` (which protocol or activation
        setting plays which part).
    blog : dict
        :func:`aerepro.blog.sources.load_blog`.
    blog_groups : DataFrame
        :func:`aerepro.blog.sources.blog_groups`.
    runs, groups, consensus : DataFrame
        The analyse stage's runs, groups and consensus tables of every
        configuration, concatenated.
    links : dict
        Figure paths relative to the page: ``"loss"`` and ``"codes"``, format
        strings with ``{configuration}`` (and ``{protocol}`` for codes);
        ``"pages"``: list of (title, path) of the other pages.

    Returns
    -------
    str
        The page, markdown.
    """
    roles = report["roles"]
    by_protocol = {p: (runs[runs["protocol"] == p], groups[groups["protocol"] == p]) for p in study["protocols"]}
    out = [
        *_head(study, report, blog, links),
        "## Findings", "",
        *_findings(runs, groups, blog, blog_groups, report["compare_protocol"], roles), "",
        *_claims_section(blog, blog_groups, by_protocol, roles),
    ]
    for configuration in study["configurations"]:
        out += _configuration_section(configuration, study, report, blog, (runs, groups, consensus), links)
    return "\n".join(out).rstrip() + "\n"
