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

__all__ = ["markdown_table", "fmt", "by_init_table", "code_comparison", "claims_table", "blog_report", "family_report"]

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
            "Identical weights get identical gradients in exact arithmetic; in floating point the symmetric "
            "state is unstable and rounding may separate the units after long training, but "
            + ("in every one of these runs the stop rule fired on the plateau first, so the protocol as written, "
               "read literally, does not give the distinct codes the blog reports."
               if len(collapsed) == len(written) else
               f"in {len(written) - len(collapsed)} of these runs the units separated before the stop rule fired."))
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


def _pct(x):
    return f"{x:.0%}"


def family_report(family, summary, cost, records, literature, lit, fit, fit_all, rel):
    """The encoder family's report page.

    Parameters
    ----------
    family : dict
        The ``family`` block of ``params.yaml``.
    summary, cost, records : DataFrame
        The family stage's ``summary.csv``, ``cost.csv`` and ``runs.csv``
        (``check`` filled with ``""`` for the main grid).
    literature : dict
        ``sources/encoder_literature.yaml``.
    lit : DataFrame
        :func:`ae.family.literature_table` of ``literature`` and ``summary``.
    fit, fit_all : tuple or None
        :func:`ae.family.power_law` fits of the cost from ``cost_fit_min_n`` up, and on every N.
    rel : str
        The figures' folder, relative to the page.

    Returns
    -------
    str
        The page, markdown.
    """
    from .family import PLATEAU_MARGIN, plateau_loss

    est = family["estimator"]
    min_n = family["cost_fit_min_n"]
    pct = _pct
    inits = family["inits"]
    init_lines = "\n".join(f"- `{name}`: " + ", ".join(f"`{k}={v}`" for k, v in p.items()) for name, p in inits.items())
    shown = summary.assign(plateau_loss=summary["n_inputs"].map(plateau_loss))[
        ["architecture", "init", "n_seeds", "distinct_share", "binarised_share", "bijection_share",
         "converged_share", "median_epochs", "median_train_seconds", "median_final_loss", "plateau_loss",
         "plateau_share", "median_binary_fraction"]]
    share_fmt = {c: ".0%" for c in ["distinct_share", "binarised_share", "bijection_share", "converged_share",
                                        "plateau_share", "median_binary_fraction"]}
    table = markdown_table(shown, formats={**share_fmt, "median_epochs": ".0f", "median_train_seconds": ".2f",
                                   "median_final_loss": ".3g", "plateau_loss": ".3g"})
    ours_cols = [c for c in lit.columns if c.startswith("ours: ")]
    lit_shown = lit[["architecture", "source", "method", "measure", "literature", *ours_cols]]
    lit_md = markdown_table(lit_shown, formats={c: ".0%" for c in ours_cols})
    citations = "\n".join(f"- **{key}**: {src['citation']}" for key, src in literature["sources"].items())
    cost_shown = cost.assign(us_per_model_epoch=1e6 * cost["seconds_per_model_epoch"])[
        ["architecture", "models", "stacks", "model_epochs", "stack_seconds", "us_per_model_epoch"]]
    cost_md = markdown_table(cost_shown, formats={"stack_seconds": ".2f", "us_per_model_epoch": ".1f",
                                          "model_epochs": "d"})

    # What the measured columns say about why the shares differ from the literature's.
    main_grid = records[records["check"] == ""]
    informative = main_grid[main_grid["final_loss"] < PLATEAU_MARGIN * main_grid["n_inputs"].map(plateau_loss)]
    binary = informative.groupby("n_inputs")["binary_fraction"].median()
    stuck = summary[summary["plateau_share"] > 0]
    stuck_text = ("; ".join(f"{r.architecture} `{r.init}`: {pct(r.plateau_share)}" for r in stuck.itertuples())
                  if len(stuck) else "none")
    budget = summary[summary["converged_share"] < 1]
    budget_text = ("; ".join(f"{r.architecture} `{r.init}`: {pct(1 - r.converged_share)}" for r in budget.itertuples())
                   if len(budget) else "none")
    wall = records.groupby("stack")["train_seconds"].max().sum()
    n_stacks = records["stack"].nunique()
    checks = family.get("checks") or {}
    check_lines = "\n".join(
        f"- `{name}`: N in {grid['sizes']}, inits {', '.join(f'`{i}`' for i in grid['inits'])}, {grid['n_seeds']} seeds, "
        + ", ".join(f"`{k}={v}`" for k, v in (grid.get("estimator") or {}).items())
        for name, grid in checks.items())
    check_text = ("Checks, small grids beside the main one (named `<init>+<check>` below, left out of the cost fit):\n\n"
                  + check_lines) if checks else ""
    compared = []
    for r in summary[summary["check"] != ""].itertuples():
        base = summary[(summary["architecture"] == r.architecture) & (summary["check"] == "")
                       & (summary["init"] == r.init.split("+")[0])]
        if len(base):
            b = base.iloc[0]
            compared.append(
                f"{r.architecture} `{r.init}` against `{b['init']}`: binarised {pct(r.binarised_share)} against "
                f"{pct(b['binarised_share'])}, bijection {pct(r.bijection_share)} against {pct(b['bijection_share'])} "
                f"(median {r.median_epochs:.0f} against {b['median_epochs']:.0f} epochs)")
    compared_text = ("- The optimizer and the training length, measured by the checks: " + "; ".join(compared) + "."
                     if compared else "")

    if fit is not None:
        exponent_text = (f"Fitted on N >= {min_n} (code width log2 N), the time per model-epoch grows as "
                         f"**N^{fit[0]:.2f}**" + (f" (N^{fit_all[0]:.2f} fitted on every N, where fixed per-call "
                                                    "overheads flatten the small sizes)" if fit_all else "") + ".")
    else:
        exponent_text = f"Fewer than two sizes N >= {min_n}: no growth exponent fitted."

    text = f"""# The N-log2(N)-N encoder family: success over seeds, and how cost grows

Generated by `dvc repro` (stages `family` and `family-report`) from `params.yaml` (block `family`),
the family stage's outputs (`runs/family/`) and `sources/encoder_literature.yaml` (literature
figures, typed in once). Every number below is read from those files.

## The study

X = eye(N): the N one-hot patterns, squeezed through k = log2(N){' + ' + ', '.join(map(str, family['extra_code_units'])) if family['extra_code_units'] != [0] else ''} sigmoid units,
for N in {family['sizes']}; {family['n_seeds']} seeds (`random_state` 0 to {family['n_seeds'] - 1}) per N, code width and init;
`{est.get('loss')}`, `{est.get('solver')}` full batch, `learning_rate_init={est.get('learning_rate_init')}`; stop rule:
the loss changes by less than `tol={est.get('tol')}` for `n_iter_no_change={est.get('n_iter_no_change')}` epochs in a row,
or `max_iter={est.get('max_iter')}` epochs. Inits:

{init_lines}

{check_text}

A seed's code is the hidden layer's output for the N patterns. Three shares over seeds:

- **distinct**: the code snapped to 0, 0.5 and 1 has N distinct rows (the network tells the patterns apart);
- **binarised**: the code thresholded at 0.5 has N distinct rows (the measure of the backprop replication below);
- **bijection**: the snapped code is only 0s and 1s and uses every k-bit word once (a perfect binary code, Ackley et al.'s measure).

The runs were trained stacked with `ae.fit_many` (runs of one N, code width and solver form one stack{'' if family['max_stack'] is None else f" of at most {family['max_stack']} models"}),
one process per stack: {n_stacks} stacks, {wall:.1f} s of stack time in all (the sum of their clocks).

![success over seeds]({rel}/success.png)

{table}

`median_train_seconds` is the stack's clock when the model stopped (the models of a stack train together);
`plateau_loss` is the loss of answering 1/N everywhere (the code carries no information); `plateau_share`
counts seeds that ended within {1 - PLATEAU_MARGIN:.0%} of it; `median_binary_fraction` is the median share of code values
that snap to exactly 0 or 1.

## 8-3-8 beside the literature

{lit_md}

{citations}

Why the shares differ, as far as the measured columns say:

- A sigmoid unit trained by gradient descent is free to settle at 0.5: with three levels per unit there are
  3^k > N codes, so nothing forces a binary code. The median share of code values at exactly 0 or 1, by N,
  over the seeds off the plateau:
  {', '.join(f'N={n}: {pct(v)}' for n, v in binary.items())}. Ackley et al.'s Boltzmann machine has binary
  stochastic units, so its codes are binary by construction; the bijection share is the closest measure
  we have, and it is the strictest.
{compared_text}
- Seeds stuck on the information-free plateau when the stop rule fired: {stuck_text}.
- Seeds stopped by the budget (`max_iter`) rather than the stop rule: {budget_text}.

## Epochs to the stop rule

![median epochs]({rel}/epochs.png)

## Cost per model-epoch

{exponent_text} Each architecture's cost is its stacks' wall time (each stack's longest `train_seconds`,
summed) over the sum of its models' epochs, measured in this run on a shared machine; `benchmarks/family_cost.py` measures
the same quantity in isolation (medians of repeats).

![cost per model-epoch]({rel}/cost.png)

{cost_md}
"""
    return text
