"""The blog study's report page: markdown built from pipeline outputs and the blog's data.

Every number on the page comes from a table passed in (the pipeline's
outputs, or the blog's numbers loaded by :mod:`aerepro.sources`), from
``params.yaml`` or from a derivation in :mod:`aerepro.blog.mechanisms`;
nothing is typed into the prose, and which protocol or activation setting
plays which part is read from ``report.roles``. The page opens with what a
reader needs in two minutes (scoreboard, verdicts, what we reproduce and
why not, our deviations, definitions) and keeps the long evidence below.
"""

import numpy as np
import pandas as pd

from ae.losses import EPSILON

from ..markdown import fmt, markdown_table, median_range, settings
from ..plateau import input_blind_loss
from .claims import BINARY_LIKE, STRICT_AGAINST, STUCK, stuck_states
from .grid import arm_name, is_rerun, shared_name, source_protocol
from .mechanisms import at_clip, clip_loss, constant_start_output
from .verdicts import BLOG_COLUMN, decide_all, scoreboard, sensitivity_table, shared_draw_table, verdict_table

__all__ = ["by_init_table", "reproduction_table", "blog_report", "page_verdicts"]


def _median_range(values, spec):
    """``median (min..max)`` of ``values`` (:func:`aerepro.markdown.median_range`); one number when there is one
    value or they are all equal, a dash when there is none."""
    values = pd.Series(values, dtype=float).dropna()
    return median_range(values.median(), values.min(), values.max(), spec, collapse=True, brackets="()", sep="..")


def by_init_table(rows, column, inits, spec=".3g"):
    """One line per labelled set of runs, one column per init: the median over seeds and its range.

    Parameters
    ----------
    rows : list of (str, DataFrame)
        A label and its runs (columns ``init_value`` and ``column``; several
        rows per init for several seeds).
    column : str
        The value to tabulate (``final_loss``, ``epochs``, ...).
    inits : list of float
        The columns, in order.

    Returns
    -------
    DataFrame
        Column ``runs`` (the labels), then ``c=<init>`` per init: ``median (min..max)``.
    """
    out = []
    for label, runs in rows:
        by_init = runs.groupby("init_value")[column]
        out.append({"runs": label, **{f"c={c:g}": (_median_range(by_init.get_group(c), spec) if c in by_init.groups
                                                  else fmt(None)) for c in inits}})
    return pd.DataFrame(out)


# -- the top of the page ------------------------------------------------------------------------------------


def _blogs_rule(study, roles):
    """Protocol arm -> whether it stops by the blog's rule (the literal protocol's tol and patience; a
    sensitivity arm by its reading of the rule where its protocol does)."""
    literal = study["protocols"][roles["literal_protocol"]]
    rule = (literal.get("tol"), literal.get("n_iter_no_change"))
    controls = {name: c["estimator"] for name, c in (study.get("controls") or {}).items()}
    found = {name: (p.get("tol"), p.get("n_iter_no_change")) == rule
             for name, p in {**study["protocols"], **controls}.items()}
    return lambda protocol: found.get(protocol, found.get(source_protocol(protocol), False))


def _twins(study, present):
    """Grid protocol -> {free choice -> the column of that protocol rerun under it}, for the columns ``present``."""
    twins = {}
    for protocol in study["protocols"]:
        choices = {"shared draw": shared_name(protocol),
                   **{arm: arm_name(protocol, arm) for arm in study.get("sensitivity") or {}}}
        twins[protocol] = {choice: column for choice, column in choices.items() if column in present}
    return twins


def page_verdicts(blog, blog_groups, runs, groups, study, roles):
    """Every claim's verdict on the blog's numbers and on each protocol arm (:func:`aerepro.blog.verdicts.decide_all`),
    each grid protocol's beside its shared-draw and sensitivity twins."""
    runs = runs.assign(blogs_rule=runs["protocol"].map(_blogs_rule(study, roles)).astype(bool))
    arms = list(dict.fromkeys(runs["protocol"]))
    columns = {BLOG_COLUMN: (blog["runs"], blog_groups)}
    columns.update({p: (runs[runs["protocol"] == p], groups[groups["protocol"] == p]) for p in arms})
    return decide_all(blog["claims"], columns, roles, _twins(study, columns))


def _share(mask, within):
    """``"3 of 5"``: how many rows of ``within`` (a boolean mask) ``mask`` holds."""
    return f"{int((mask & within).sum())} of {int(within.sum())}"


def _findings(runs, states, verdicts, study, roles):
    """The three findings that matter, each a count the pipeline computed."""
    literal, jitter = roles["literal_protocol"], roles["jitter_protocol"]
    blog_setting, relu = roles["blog_activation"], roles.get("relu_everywhere")
    sigmoid = runs["activation"] == blog_setting
    plateau = states == "plateau"
    lines = [f"**Three findings.** (1) As the blog wrote it (`{literal}`), "
             f"{_share(plateau, sigmoid & (runs['protocol'] == literal))} {blog_setting} runs end on the symmetric "
             "plateau: from an exact constant start the hidden units stay identical and the code ignores the "
             f"input; with the start jittered (`{jitter}`), {_share(plateau, sigmoid & (runs['protocol'] == jitter))}."]
    if relu:
        on_relu = (runs["activation"] == relu) & runs["init_value"].notna()
        controls = [c for c, spec in (study.get("controls") or {}).items() if relu in spec["activations"]]
        random = (runs["activation"] == relu) & runs["protocol"].isin(controls)
        lines.append(f"(2) With `{relu}` on every layer, {_share(states == 'clip', on_relu)} runs from a constant "
                     "start end at the clip (their outputs pinned, no gradient left)"
                     + (f"; from a random start (`{', '.join(controls)}`), {_share(states == 'clip', random)}."
                        if controls else "."))
    own = verdicts[~verdicts["beyond"] & verdicts["column"].isin(study["protocols"])
                   & verdicts["state"].isin(["holds", "fails"])]
    lines.append(f"({len(lines) + 1}) Of our {len(own)} verdicts that hold or fail, {int(own['robust'].sum())} "
                 "keep their state under every free choice we tried (the tolerance, the draw, the reading of the "
                 "stop rule, the BLAS kernel); the others name what they depend on "
                 "([how robust](#how-robust-each-verdict-is)).")
    return [" ".join(lines), ""]


def _headline(table, runs, verdicts, study, n_inputs, chosen, roles):
    """The first screen: what reproduces (``table``: :func:`reproduction_table`), the stuck runs, the verdicts,
    and the protocols, defined before the scoreboard uses them."""
    numbers = table[table["blog"] != fmt(None)]
    reproduced = numbers[numbers["reproduced in"] != "none"]
    states = stuck_states(runs)
    dead_blind = (states == "") & np.isclose(runs["final_loss"], input_blind_loss(n_inputs), rtol=1e-3)
    own = verdicts[~verdicts["beyond"] & (verdicts["column"].isin(study["protocols"]))]
    decided = own[own["state"] != "n/a"].groupby("column", sort=False)["state"].agg(
        lambda s: f"{(s == 'holds').sum()} hold, {(s == 'fails').sum()} fail, {(s == 'borderline').sum()} borderline")
    return [
        "## In two minutes", "",
        f"**Headline.** Of {len(numbers)} comparisons with the blog's numbers (its final losses and its epochs, "
        "per configuration and activation setting, each the range over its five inits), our median lands "
        f"inside the blog's range in {len(reproduced)} under one of our protocols "
        "([table](#what-we-reproduce-what-we-do-not-and-why))" + _chosen_words(chosen) + ". Of our "
        f"{len(runs)} runs, {int((states == 'plateau').sum())} end on the symmetric plateau (loss "
        f"{input_blind_loss(n_inputs):.4g}: a code that ignores the input, its units alive), "
        f"{int(dead_blind.sum())} more at that loss with every code unit dead, and {int((states == 'clip').sum())} "
        f"at the clip (loss {clip_loss(n_inputs, EPSILON):.4g}: an output pinned at or beyond 1, where the "
        "clipped loss has no gradient); [where they come from](#two-losses-explained). Of the claims decided "
        "in their scope: " + "; ".join(f"`{c}` {words}" for c, words in decided.items()) + ". "
        "Floating-point rounding, and so the last bits of every run and a verdict near its threshold, depends "
        "on the BLAS kernel the machine's CPU gets ([the symmetric start](symmetry.md) names this one's).", "",
        *_findings(runs, states, verdicts, study, roles),
        "**The protocols** (`study.protocols`; the columns below):", "",
        markdown_table(_protocol_table(study)), "",
    ]


def _chosen_words(chosen):
    """The stop-rule search in a clause of the headline (nothing where it chose nothing)."""
    if chosen["reading"] is None:
        return ""
    return (f"; read as `{chosen['reading']}` (chosen on {chosen['select_on']} alone), the blog's stop rule lands "
            f"{chosen['held_out_hits']} of the {chosen['held_out_numbers']} numbers of the other configurations "
            "([which reading](#which-reading-of-the-blogs-stop-rule-reproduces-its-numbers))")


def _scoreboard_section(verdicts, study, claims):
    protocols = [BLOG_COLUMN, *study["protocols"]]
    own = verdicts[~verdicts["beyond"]]
    n = own["row"].nunique()
    passing = sum(bool(c.get("said_in_passing")) for c in claims)
    return [
        f"**Scoreboard.** The blog's {n} claims ({passing} of them said in passing, marked so below), each "
        "decided in its own scope (the configurations, activation settings and inits its sentence is about) "
        f"on the blog's numbers and on each of our protocols, over {len(study.get('seeds', [0]))} seeds:",
        "",
        markdown_table(scoreboard(verdicts, protocols)), "",
        "A claim **holds** or **fails** when every seed is on that side of its threshold by more than the "
        "claim's tolerance, is **borderline** when the seeds straddle the threshold or one sits within the "
        "tolerance, and is **n/a** when there is nothing to decide it on: no runs in scope, a number the blog "
        "did not print, a measure undefined on the runs (a spread over one run), or, for a claim read off the "
        "hidden codes, most runs in scope with a code that ignores the input (where only a few have one, they "
        "are left out of that claim and the evidence counts them). A claim about losses, epochs or "
        "reconstruction counts every run: a run stuck on the symmetric plateau or at the clip is evidence "
        "there, and the evidence says how many it holds. "
        "Each cell below gives the state and its margin, the median over seeds of the signed distance from "
        "the threshold (positive on the side of holds); the state is read from the interval of that distance "
        "over the seeds, lowest to highest (which holds the seeds' median with probability 94% for 5 seeds), "
        "written with each claim's evidence and in `metrics/claims.json`. A verdict is **robust** when it holds "
        "or fails and keeps its state with the claim's tolerance halved and doubled and under every free choice "
        "its protocol was rerun under (the shared draw, the readings of the stop rule and the second BLAS "
        "kernel of [how robust](#how-robust-each-verdict-is)); a holds or fails that is not carries a `*`. "
        "Control columns "
        f"({', '.join(study.get('controls') or {}) or 'none'}) decide only the claims whose scope they cover.", "",
    ]


def outside_row(row, columns):
    """A claim decided by another study as a row of the verdict table: its cell in its one column, n/a elsewhere.

    Examples
    --------
    >>> outside_row({"claim": "loss", "the blog says": '"q"', "scope": "s", "column": "jitter",
    ...              "cell": "fails", "page": "loss.md"}, ["as_written", "jitter"])
    {'claim': '[loss](loss.md)', 'the blog says': '"q"', 'scope': 's', 'as_written': 'n/a', 'jitter': 'fails'}
    """
    return {"claim": f"[{row['claim']}]({row['page']})", "the blog says": row["the blog says"], "scope": row["scope"],
            **{c: row["cell"] if c == row["column"] else "n/a" for c in columns}}


def _verdict_section(blog, verdicts, study, roles, groups, outside=()):
    present = set(verdicts["column"])
    arms = [c for c in (BLOG_COLUMN, *study["protocols"], *(study.get("controls") or {})) if c in present]
    table = verdict_table(blog["claims"], verdicts, arms, roles)
    table = pd.concat([table, pd.DataFrame([outside_row(row, arms) for row in outside], columns=table.columns)],
                      ignore_index=True)
    decided_elsewhere = ("" if not outside else " Rows linked by name are decided by a study of their own, on the "
                         "runs of one column, and their evidence is on that study's page.")
    lines = [f"**Verdicts** (the evidence behind every cell is under [Evidence](#evidence)).{decided_elsewhere}", "",
             markdown_table(table), ""]
    pairs = [(shared_name(p), p) for p in study.get("shared_draw", []) if shared_name(p) in present]
    if pairs:
        table, changed = shared_draw_table(verdicts, pairs)
        decided = table.drop(columns="claim").ne("n/a").any(axis=1)
        table = table[decided].assign(claim=lambda t: [f"**{c}** (changed)" if c in changed else c
                                                       for c in t["claim"]])
        lines += [
            "**What the independent seeds changed.** Each run now draws its own jitter; before, the five inits "
            "of a cell shared one draw (`random_state` = the first seed for all five), which lines their codes "
            "up by construction. The same protocols run that shared way as a control (one replicate). Every "
            f"claim row decided under either is below; {len(changed)} change state "
            f"({', '.join(changed) or 'none'}):", "",
            markdown_table(table) if len(table) else "(none)", ""]
    return lines + _binary_chance_lines(groups, study, roles) + _sensitivity_section(verdicts, study)


def _binary_chance_lines(groups, study, roles):
    """How often the consensus code is more binary than a consensus of codes that share nothing (claims 2, 5, 15)."""
    if not {"consensus_binary_chance_q95", "consensus_binary_fraction"} <= set(groups.columns):
        return []
    g = groups[(groups["activation"] == roles["blog_activation"]) & groups["protocol"].isin(study["protocols"])]
    g = g.dropna(subset=["consensus_binary_fraction", "consensus_binary_chance_q95"])
    if g.empty:
        return []
    above = g["consensus_binary_fraction"] > g["consensus_binary_chance_q95"]
    per = "; ".join(f"{c} {int(a.sum())} of {len(a)}" for c, a in above.groupby(g["configuration"], sort=False))
    return [f"**Binary-like, against chance** (claims 2, 5 and 15 read the consensus code): the consensus of a "
            f"seed's {roles['blog_activation']} runs is more binary than the same runs' codes with their rows "
            f"shuffled and merged the same way (above the null's 95th percentile) in {int(above.sum())} of "
            f"{len(g)} groups ({per}). Where it is not, the consensus is no more binary than codes that share nothing "
            "would make it, so its binariness does not show that the runs agree: those claims are decided on the "
            "blog's measure, which says nothing of agreement.", ""]


def _arm_words(name, arm):
    changes = [f"`{k}: {v}`" for k, v in (arm.get("estimator") or {}).items()]
    changes += [f"`OPENBLAS_CORETYPE={arm['core_type']}`"] if arm.get("core_type") else []
    return f"`{name}` ({', '.join(changes)}; reruns {', '.join(f'`{p}`' for p in arm['protocols'])})"


def _sensitivity_section(verdicts, study):
    """Each protocol's verdicts beside what they depend on: the tolerance, the draw, the stop rule, the kernel."""
    arms = study.get("sensitivity") or {}
    columns = list(study["protocols"])
    own = verdicts[verdicts["column"].isin(columns) & ~verdicts["beyond"]]
    decided = own[own["state"].isin(["holds", "fails"])]
    table = sensitivity_table(verdicts, columns)
    # the choices each protocol was rerun under: its verdicts' sensitivity keys (every row has the same)
    tried = own.drop_duplicates("column").set_index("column")["sensitivity"]
    tried_words = "; ".join(f"`{p}`: the tolerance" + "".join(f", {c}" for c in tried.get(p, {})) for p in columns)
    return [
        "### How robust each verdict is", "",
        "Every verdict of a protocol is decided again with the claim's tolerance halved and doubled, and on the "
        "protocol rerun under each free choice the blog's text leaves open, from the same starts: "
        + "; ".join(_arm_words(name, arm) for name, arm in arms.items())
        + (", and the shared draw of `study.shared_draw`" if study.get("shared_draw") else "") + ". "
        f"Of the {len(decided)} holds or fails of the claims in their scope, {int(decided['robust'].sum())} keep "
        "their state under every choice their protocol was tried under; each other cell names what changes it "
        f"and the state it changes to. Tried: {tried_words}.", "",
        markdown_table(table), "",
    ]


def _why_not(ours, blog_median, column, spec, n_inputs):
    """Where our runs land instead of the blog's number, and the mechanism when one stands out."""
    states = stuck_states(ours)
    plateau, clipped = states == "plateau", states == "clip"
    median = ours[column].median()
    words = f"ours {'higher' if median > blog_median else 'lower'} ({fmt(median, spec)})"
    if clipped.mean() > 0.5:
        return f"{words}: {int(clipped.sum())} of {len(ours)} runs sit at the clip loss (below)"
    if plateau.mean() > 0.5:
        return f"{words}: {int(plateau.sum())} of {len(ours)} runs stop on the symmetric plateau (below)"
    other, other_spec = ("epochs", ",.0f") if column == "final_loss" else ("final_loss", ".3g")
    stopped = ours[ours["stop_reason"].eq("converged")]
    parts = []
    if len(stopped):
        where = fmt(stopped[other].median(), other_spec)
        parts.append(f"{len(stopped)} of {len(ours)} runs stopped by the protocol's rule, "
                     + (f"after a median {where} epochs" if other == "epochs" else f"at a median loss of {where}"))
    capped = ours["stop_reason"].eq("max_iter")
    if capped.any():
        parts.append(f"{int(capped.sum())} ran to the epoch cap")
    return f"{words}: " + "; ".join(parts) if parts else words


def reproduction_table(blog_runs, runs, protocols, n_inputs):
    """The blog's losses and epochs beside ours per protocol: reproduced where our median is inside the blog's range.

    Returns
    -------
    DataFrame
        ``configuration``, ``activation``, ``number``, ``blog``, one column per
        protocol (median and range over inits and seeds), ``reproduced in``
        (protocols whose median falls inside the blog's range over its inits)
        and ``where not, why``.
    """
    rows = []
    for (configuration, activation), theirs in blog_runs.groupby(["configuration", "activation"], sort=False):
        for column, spec in (("final_loss", ".3g"), ("epochs", ",.0f")):
            blog = theirs[column].dropna()
            row = {"configuration": configuration, "activation": activation, "number": column.replace("_", " "),
                   "blog": _median_range(blog, spec)}
            hits, whys = [], []
            for protocol in protocols:
                ours = runs[(runs["configuration"] == configuration) & (runs["activation"] == activation)
                            & (runs["protocol"] == protocol)]
                row[f"ours · {protocol}"] = _median_range(ours[column], spec)
                if not len(ours) or blog.empty:
                    continue
                if blog.min() <= ours[column].median() <= blog.max():
                    hits.append(protocol)
                else:
                    whys.append(f"{protocol}: {_why_not(ours, blog.median(), column, spec, n_inputs)}")
            row["reproduced in"] = ", ".join(hits) or "none"
            row["where not, why"] = "; ".join(whys) if len(blog) else "the blog gives no number"
            rows.append(row)
    return pd.DataFrame(rows)


def _code_rows(blog, agreement, protocols):
    """Per configuration with a blog table: our consensus agreement with it per protocol, beside chance.

    ``agreement`` is :func:`aerepro.blog.analysis.blog_code_agreement`: one row per configuration, protocol and
    seed.
    """
    rows = []
    for configuration in blog["code_tables"]:
        row = {"configuration": configuration}
        for protocol in protocols:
            facts = agreement[(agreement["configuration"] == configuration) & (agreement["protocol"] == protocol)]
            row[f"ours · {protocol}"] = (
                f"{_median_range(facts['agreement'], '.1%')} vs chance "
                f"{_median_range(facts['chance'], '.1%')} (95th percentile "
                f"{_median_range(facts['chance_q95'], '.1%')})" if len(facts) else fmt(None))
        rows.append(row)
    return pd.DataFrame(rows)


def _reproduce_section(blog, table, agreement, study):
    protocols = list(study["protocols"])
    return [
        "### What we reproduce, what we do not, and why", "",
        "The blog's final losses and epochs beside ours (median over inits and seeds, range in brackets). A "
        "number counts as reproduced under a protocol when our median falls inside the blog's range over its "
        "five inits; where it does not, the last column says where ours land instead and why, read off the "
        "runs.", "",
        markdown_table(table), "",
        "The blog's code tables beside our consensus codes (the five inits of a seed lined up and snapped as the "
        "blog did; columns aligned to the blog's), median and range over seeds, and the chance level of the "
        "same comparison (our rows shuffled, columns aligned again). Which input gets which code is arbitrary "
        "between two trainings, so only agreement above chance would say the codes share a shape:", "",
        markdown_table(_code_rows(blog, agreement, protocols)), "",
    ]


def _stop_rule_section(search, chosen, report):
    """Which reading of the blog's stop rule lands on its numbers: chosen on one configuration, held out on the rest."""
    if chosen["reading"] is None:
        return ["### Which reading of the blog's stop rule reproduces its numbers?", "",
                f"The blog gives no numbers for {chosen['select_on']} (`report.stop_rule_on`): nothing to choose on.",
                ""]
    shown = search.assign(
        ours=[f"{fmt(e, ',.0f')} epochs, loss {fmt(v, '.3g')}" + (" (fired in half the runs or fewer)" if not f > 0.5
                                                                    else "") for e, v, f in
              zip(search["epochs"], search["final_loss"], search["fired"])],
        hits=search["epochs_hit"].astype(int) + search["final_loss_hit"].astype(int))
    table = shown.pivot(index="reading", columns="configuration", values="hits").reset_index()
    table.columns.name = None
    mine = shown[shown["reading"] == chosen["reading"]][["configuration", "ours", "blog_epochs_low", "blog_epochs_high",
                                                         "blog_final_loss_low", "blog_final_loss_high"]]
    mine = mine.assign(blog=[f"{fmt(a, ',.0f')}..{fmt(b, ',.0f')} epochs, loss {fmt(c, '.3g')}..{fmt(d, '.3g')}"
                             for a, b, c, d in zip(mine["blog_epochs_low"], mine["blog_epochs_high"],
                                                   mine["blog_final_loss_low"], mine["blog_final_loss_high"])])
    return [
        "### Which reading of the blog's stop rule reproduces its numbers?", "",
        "\"Stop when the loss changes by less than 1e-7 in one epoch\" can be read as a change from the epoch "
        "before or as Keras' no-improvement on the best, with patience 1 or 10, on our loss (the mean over "
        "samples and outputs) or on a sum over the 16 samples (x16) or over samples and outputs (x256). Each "
        f"reading is replayed on the loss histories of protocol `{report['compare_protocol']}` (which trains "
        "past the rule), and a number counts when our median over inits and seeds falls inside the blog's "
        f"range. The reading is chosen on {chosen['select_on']} alone (most of its two numbers inside, then the "
        f"closest); the other configurations are held out. Chosen: **`{chosen['reading']}`**, "
        f"{chosen['hits_on_selection']} of 2 on {chosen['select_on']}, and **{chosen['held_out_hits']} of "
        f"{chosen['held_out_numbers']}** held-out numbers. A reading that would fire after a run's epoch cap "
        "is not seen (the caps are under [What we did differently](#what-we-did-differently-and-what-we-assumed)).",
        "", "Numbers inside the blog's range (of 2: epochs and final loss) per reading and configuration:", "",
        markdown_table(table), "", f"The chosen reading, `{chosen['reading']}`, beside the blog:", "",
        markdown_table(mine[["configuration", "ours", "blog"]]), "",
    ]


def _mechanism_section(runs, study, roles, n_inputs):
    blind, clipped = input_blind_loss(n_inputs), clip_loss(n_inputs, EPSILON)
    lines = [
        "### Two losses explained", "",
        f"- **{blind:.4g}, the symmetric plateau.** A network whose output ignores its input does best by "
        f"predicting 1/{n_inputs} on every output, which costs -(1/{n_inputs}) ln(1/{n_inputs}) - "
        f"({n_inputs - 1}/{n_inputs}) ln({n_inputs - 1}/{n_inputs}) = {blind:.4g}. Runs whose hidden units "
        "stay identical can do no better; "
        f"{int(np.isclose(runs['final_loss'], blind, rtol=1e-3).sum())} of our {len(runs)} runs end within 0.1% of it; "
        f"{int((stuck_states(runs) == 'plateau').sum())} are on the plateau as every claim and table here "
        "counts it, by their codes ([what the measures mean](#what-the-measures-mean)).",
        f"- **{clipped:.4g}, the clip.** Predictions are clipped to [{EPSILON:g}, 1 - {EPSILON:g}] before the "
        f"log, as Keras does. An output at or above 1 is clipped, the clip has zero gradient, and each of the "
        f"{n_inputs - 1} zero targets per input pays -ln({EPSILON:g}): ({n_inputs - 1}/{n_inputs}) x "
        f"{-np.log(EPSILON):.4g} = {clipped:.4g}. "
        f"{int(at_clip(runs['final_loss'], n_inputs).sum())} of our runs end there.",
    ]
    relu = roles.get("relu_everywhere")
    if relu is not None:
        for configuration, arch in study["configurations"].items():
            sizes = [n_inputs, *arch["hidden_layer_sizes"], n_inputs]
            starts = {c: constant_start_output(sizes, c) for c in study["inits"]}
            sel = runs[(runs["configuration"] == configuration) & (runs["activation"] == relu)
                       & runs["protocol"].isin(list(study["protocols"]))]
            clipped_share = sel.groupby("init_value")["final_loss"].agg(lambda v: at_clip(v, n_inputs).mean())
            lines.append(
                f"- {configuration}, {relu}: from the constant c with biases 0, every output starts at "
                + ", ".join(f"{fmt(v, '.3g')} (c={c:g}: {clipped_share.get(float(c), np.nan):.0%} of runs at the clip)"
                            for c, v in starts.items()) + ".")
    return lines + [""]


def _budget_lines(study, report, blog_runs):
    """The budget protocol's epoch cap per configuration beside the blog's longest run, deviations named."""
    name, setting = report["compare_protocol"], report["roles"]["blog_activation"]
    protocol = study["protocols"][name]
    blog_runs = blog_runs[blog_runs["activation"] == setting]
    parts, short = [], []
    for configuration, arch in study["configurations"].items():
        cap = (arch.get("protocols") or {}).get(name, {}).get("max_iter", protocol.get("max_iter"))
        theirs = blog_runs.loc[blog_runs["configuration"] == configuration, "epochs"].dropna()
        if theirs.empty:
            parts.append(f"{configuration} {cap:,}")
            continue
        parts.append(f"{configuration} {cap:,} (the blog's {setting} runs: {theirs.min():,.0f}..{theirs.max():,.0f})")
        if cap < theirs.max():
            short.append(configuration)
    deviation = (f" **Deviation**: for {', '.join(short)} the cap is below the blog's longest run, so those runs "
                 "stop earlier than the blog's did." if short else "")
    return [f"- **Budget**: protocol `{name}` trains up to an epoch cap per configuration, riding through "
            f"plateaus: {'; '.join(parts)}.{deviation}"]


def _deviation_section(study, report, blog_runs):
    seeds, estimator = study.get("seeds", [0]), study.get("estimator", {})
    roles = report["roles"]
    return [
        "### What we did differently, and what we assumed", "",
        "- **float64** throughout (Keras computes in float32).",
        "- **Biases start at 0**; only the weights take the constant (the blog says \"initial weights\").",
        "- **Full batch**: all 16 inputs per update (Keras' default batch of 32 holds them all).",
        f"- **The clip**: predictions clipped to [{EPSILON:g}, 1 - {EPSILON:g}] in the loss, Keras' fuzz factor.",
        f"- **Jitter**: protocols other than `{roles['literal_protocol']}` add seeded N(0, "
        f"{study['protocols'][roles['jitter_protocol']].get('init_jitter', 0):g}^2) noise to the constant, "
        "so that no run needs rounding alone to separate hidden units that start identical (whether rounding "
        "does, on this machine's BLAS kernel, is [the symmetric start](symmetry.md)'s question).",
        *_budget_lines(study, report, blog_runs),
        "- **Our reading of the stop rule**: \"the loss changes by less than tol between two epochs\" "
        "(the symmetry page sets it beside Keras' EarlyStopping reading).",
        f"- **Seeds**: every run is repeated over seeds {', '.join(map(str, seeds))}; replicate s of the k-th init "
        "trains with its own `random_state` = s x (number of inits) + k. The blog ran one run per init.",
        f"- **Settings**: {', '.join(f'`{k}={v}`' for k, v in estimator.items())}.",
        "",
    ]


def _definitions():
    return [
        "### What the measures mean", "",
        "- **snapped**: each code value rounded to the nearest of 0, 0.5 and 1, as the blog did (a sigmoid's "
        "levels: tanh and ReLU codes are snapped the same way only to be compared, and their heat maps keep "
        "their own ranges).",
        "- **aligned**: the columns of a run's code reordered to best match the group's first run "
        "(no flips), as the blog rearranged its columns.",
        f"- **binary fraction**: share of snapped values at 0 or 1; **binary-like** from {BINARY_LIKE:.0%}.",
        "- **agreement**: share of equal snapped cells between aligned codes; **chance level**: the same measure "
        "on codes whose rows were shuffled (so they keep their levels but share nothing), columns aligned "
        "again; the mean of 200 shuffles, its 95th percentile and the p-value of the observed value.",
        "- **reconstructs**: every output rounds to its input.",
        "- **bijection**: the 16 snapped codes are distinct and all 0/1.",
        "- **collapsed**: every hidden unit identical for every input; **dead**: every code unit exactly 0.",
        *[f"- **{words.split(':')[0].removeprefix('the ')}** (a stuck run):{words.split(':', 1)[1]}."
          for words in STUCK.values()],
        "- A run with a code that ignores the input (collapsed, or one snapped code for every input with "
        "nothing reconstructed; jitter leaves the units a hair apart there) is left out of the claims read "
        "off codes only; every other claim counts it.",
        f"- **strict vs loose rule**: the loss where \"change < {STRICT_AGAINST:g}\" would have stopped a run, "
        "read off its loss history (training is deterministic: the run passed that epoch).",
        "- **distance from start**: Euclidean norm of the fitted weights minus the constant they started from.",
        "",
    ]


# -- the evidence below -------------------------------------------------------------------------------------


def _evidence_section(blog, verdicts):
    lines = ["## Evidence", "", "Each claim row and each column: the state and the numbers that decide it.", ""]
    quotes = {str(c["id"]): c["quote"] for c in blog["claims"]}
    for row, sel in verdicts.groupby("row", sort=False):
        claim = row.split()[0]
        lines.append(f"**{row}.** \"{quotes[claim]}\"" if row == claim else f"**{row}** (beyond the blog's scope)")
        lines.append("")
        lines += [f"- {r.column}: **{r.state}**. {r.evidence}" for r in sel.itertuples()]
        lines.append("")
    return lines


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


def _what_ran(study, runs):
    n_grid = len(study["configurations"]) * len(study["activations"]) * len(study["protocols"]) * len(study["inits"])
    controls = study.get("controls") or {}
    return [
        "## What ran", "",
        f"{len(study['configurations'])} configurations x {len(study['activations'])} activation settings x "
        f"{len(study['inits'])} constant inits x {len(study['protocols'])} protocols = {n_grid} cells, each over "
        f"{len(study.get('seeds', [0]))} seeds but those that draw nothing (an exact constant start in full "
        "batch: every seed would train the same network, so it trains once); with the shared-draw controls "
        f"({', '.join(map(shared_name, study.get('shared_draw', []))) or 'none'}) and the control arms "
        f"({', '.join(controls) or 'none'}), **{len(runs)} runs**, each trained with `ae.fit_many` (full batch).",
        "", "The protocols (`study.protocols`):", "", markdown_table(_protocol_table(study)), "",
        *[f"Control `{name}`: {', '.join(c['configurations'])} with {', '.join(c['activations'])}, "
          f"{settings(c['estimator'])}, one run per seed." for name, c in controls.items()],
        "",
    ]


def _by_init_rows(ours, theirs, protocols, activations):
    """Labelled run sets for the loss and epochs tables (the blog's, then ours per protocol), and the time table.

    The time table is the blog's alone: our run times are clock readings, which vary between runs of the same
    code, so they stay out of the page (each run's Duration in MLflow is its training time).
    """
    rows = {"loss": [], "epochs": [], "time": []}
    for activation in activations:
        blog_act = theirs[theirs["activation"] == activation]
        rows["loss"].append((f"blog · {activation}", blog_act))
        rows["epochs"].append((f"blog · {activation}", blog_act))
        if blog_act["minutes"].notna().any():
            rows["time"].append((f"blog · {activation}", blog_act.assign(time=blog_act["minutes"])))
        for protocol in protocols:
            sel = ours[(ours["activation"] == activation) & (ours["protocol"] == protocol)]
            label = f"ours · {activation} · {protocol}"
            rows["loss"].append((label, sel))
            rows["epochs"].append((label, sel))
    return rows


def _time_lines(rows, inits):
    """The blog's run times by init, in minutes, and where ours are: nothing when the blog gives none."""
    ours = ("Ours are clock readings, which vary between runs of the same code, so they stay out of this page: "
            "each run's Duration in MLflow is its training time (from the start of its stack in `fit_many`).")
    if not rows:
        return [ours, ""]
    return ["Run time by init, the blog's, in minutes. " + ours, "", markdown_table(by_init_table(rows, "time", inits)),
            ""]


def _codes_summary(group, runs):
    """Per activation setting and protocol: the hidden-code facts, median over seeds with the range.

    The plateau and the clip are counted on ``runs`` by :func:`aerepro.blog.claims.stuck_states`, the one
    definition the claims use.
    """
    rows = []
    states = stuck_states(runs)
    for (activation, protocol), sel in group.groupby(["activation", "protocol"], sort=False):
        mine = states[(runs["activation"] == activation) & (runs["protocol"] == protocol)]
        rows.append({
            "activation": activation, "protocol": protocol, "runs": int(sel["n_runs"].sum()),
            "reconstruct all": int(sel["reconstruct_all"].sum()), "plateau": int((mine == "plateau").sum()),
            "clip": int((mine == "clip").sum()), "dead": int(sel["dead"].sum()), "bijections": int(sel["bijections"].sum()),
            "binary fraction": _median_range(sel["binary_fraction_mean"], ".2f"),
            "agreement": _median_range(sel["agreement_mean"], ".2f"),
            "chance agreement": _median_range(sel["agreement_chance"], ".2f"),
        })
    return pd.DataFrame(rows)


def _configuration_section(configuration, study, report, blog, tables, links):
    """One configuration: loss, epochs and time by init over seeds, the code facts, the figures with captions."""
    runs, groups = tables
    inits = [float(c) for c in study["inits"]]
    protocols = list(study["protocols"])
    theirs = blog["runs"][blog["runs"]["configuration"] == configuration]
    activations = list(dict.fromkeys(theirs["activation"])) or [report["roles"]["blog_activation"]]
    rows = _by_init_rows(runs[runs["configuration"] == configuration], theirs, protocols, activations)
    group = groups[(groups["configuration"] == configuration) & groups["protocol"].isin(protocols)]
    loss_link = links["loss"].format(configuration=configuration)
    return [
        f"### {configuration}", "",
        "Final loss by init: the blog's one run, our median over seeds (range).", "",
        markdown_table(by_init_table(rows["loss"], "final_loss", inits)), "",
        "Epochs by init:", "", markdown_table(by_init_table(rows["epochs"], "epochs", inits, ",.0f")), "",
        *_time_lines(rows["time"], inits),
        "Hidden codes per activation setting and protocol, over all seeds: runs, runs reconstructing every "
        "input, runs on the symmetric plateau, at the clip or dead, bijections, then the median (range) over "
        "seeds of the group's "
        "binary fraction, its agreement, and the chance level of that agreement.", "",
        markdown_table(_codes_summary(group, runs[runs["configuration"] == configuration])), "",
        f"![loss curves of {configuration}]({loss_link})", "",
        f"*Loss against epoch (log axes) for every run of {configuration}: a panel per protocol and activation "
        "setting, a colour per init; the seeds of one init share its colour.*", "",
        *[line for p in protocols for line in (
            f"![codes of {configuration}, {p}]({links['codes'].format(configuration=configuration, protocol=p)})", "",
            f"*{configuration}, protocol `{p}`, first seed: the hidden code of each run (rows the inputs, columns "
            "the units aligned to the group's first run), a row per activation setting and a block per initial "
            "weight, each row coloured over its own range.*", "")],
    ]


def blog_report(study, report, blog, blog_groups, runs, groups, code_agreement, n_inputs, links, stop_rules,
                outside=()):
    """The blog study's report page and its verdicts.

    Parameters
    ----------
    study, report : dict
        The ``study`` and ``report`` blocks of ``params.yaml``.
    blog : dict
        :func:`aerepro.sources.load_blog`.
    blog_groups : DataFrame
        :func:`aerepro.sources.blog_groups`.
    runs, groups : DataFrame
        The analyse stage's runs and groups tables of every configuration, concatenated.
    code_agreement : DataFrame
        Our consensus codes beside the blog's code tables, per configuration, protocol and seed
        (:func:`aerepro.blog.analysis.blog_code_agreement`).
    n_inputs : int
        The number of inputs (one-hot patterns) of the study.
    links : dict
        Figure paths relative to the page: ``"loss"`` and ``"codes"``, format strings with
        ``{configuration}`` (and ``{protocol}`` for codes); ``"pages"``: list of (title, path).
    stop_rules : (DataFrame, dict)
        :func:`aerepro.blog.statistics.stop_rule_search` and its :func:`~aerepro.blog.statistics.chosen_reading`.
    outside : sequence of dict
        Rows of the claim table decided by another study, each on one column (e.g. the loss study's:
        ``claim``, ``the blog says``, ``scope``, ``column``, ``cell``, ``page``; :func:`outside_row`).

    Returns
    -------
    page : str
        The page, markdown.
    verdicts : DataFrame
        :func:`page_verdicts`, for the metrics file.
    """
    roles = report["roles"]
    verdicts = page_verdicts(blog, blog_groups, runs, groups, study, roles)
    # the sensitivity arms' runs speak through the verdicts; every other count is of the grid and its controls
    runs, groups = (t[~t["protocol"].map(is_rerun)] for t in (runs, groups))
    reproduced = reproduction_table(blog["runs"], runs, list(study["protocols"]), n_inputs)
    out = [
        "# Autoencoders of different configurations and activations: the blog study, reproduced", "",
        "Generated by `dvc repro` (stage `report`) from `params.yaml` and the pipeline's outputs "
        "(`analysis/<configuration>/`); every blog number comes from `sources/blog.yaml`, typed in once from "
        f"the post \"{blog['title']}\" ({blog['author']}).", "",
        "Other pages: " + ", ".join(f"[{title}]({path})" for title, path in links["pages"]) + ".", "",
        *_headline(reproduced, runs, verdicts, study, n_inputs, stop_rules[1], roles),
        *_scoreboard_section(verdicts, study, blog["claims"]),
        *_verdict_section(blog, verdicts, study, roles, groups, outside),
        *_reproduce_section(blog, reproduced, code_agreement, study),
        *_stop_rule_section(*stop_rules, report),
        *_mechanism_section(runs, study, roles, n_inputs),
        *_deviation_section(study, report, blog["runs"]),
        *_definitions(),
        *_what_ran(study, runs),
        *_evidence_section(blog, verdicts),
        "## By configuration", "",
    ]
    for configuration in study["configurations"]:
        out += _configuration_section(configuration, study, report, blog, (runs, groups), links)
    return "\n".join(out).rstrip() + "\n", verdicts

