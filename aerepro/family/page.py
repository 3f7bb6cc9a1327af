"""The encoder family's report page: markdown from the family stage's tables and params.yaml.

Every number on the page is read from the tables passed in, ``params.yaml``
(block ``family``) or the literature file; nothing is typed into the prose.
"""

from ..markdown import markdown_table, settings
from ..plateau import input_blind_loss, on_plateau

__all__ = ["family_report"]

#: The summary columns shown on the page: column -> (its header, its format).
SUMMARY_COLUMNS = {
    "architecture": ("architecture", None), "init": ("init", None), "n_seeds": ("seeds", None),
    "distinct_share": ("distinct codes", ".0%"), "binarised_share": ("distinct binarised codes", ".0%"),
    "bijection_share": ("perfect binary codes (bijections)", ".0%"),
    "converged_share": ("stopped by the stop rule (not the budget)", ".0%"),
    "plateau_share": ("ended on the information-free plateau", ".0%"),
    "informative_stop_share": ("stopped by the rule, off the plateau", ".0%"),
    "reconstruct_share": ("reconstruct every pattern", ".0%"),
    "median_epochs": ("epochs (median)", ".0f"),
    "median_final_loss": ("final loss (median)", ".3g"), "plateau_loss": ("plateau loss", ".3g"),
    "median_binary_fraction": ("code values at exactly 0 or 1 (median)", ".0%"),
}

#: The literature table's columns and their headers.
LITERATURE_HEADERS = {"architecture": "architecture", "source": "source", "method": "method", "measure": "measure",
                      "comparison": "comparison with ours", "literature": "their figure"}

#: The work table's columns: column -> (its header, its format).
WORK_COLUMNS = {"architecture": ("architecture", None), "models": ("models", None),
                "model_epochs": ("model-epochs", ",d")}

#: The blog study's page, where its claim that 16-4-16 does not learn the binary encoding is tested over
#: its own runs, and that architecture.
BLOG_CLAIMS = "README.md#evidence"
BLOG_CLAIM_ARCHITECTURE = "16-4-16"


def _pct(x):
    return f"{x:.0%}"


def _shown(frame, columns):
    """``frame``'s ``columns`` (column -> (header, format)) under their headers, and the formats by header."""
    shown = frame[list(columns)].rename(columns={c: h for c, (h, _) in columns.items()})
    return shown, {h: f for h, f in columns.values() if f}


def _summary_table(summary):
    shown, formats = _shown(summary.assign(plateau_loss=summary["n_inputs"].map(input_blind_loss)), SUMMARY_COLUMNS)
    return markdown_table(shown, formats=formats)


def _literature_table(lit):
    ours_cols = [c for c in lit.columns if c.startswith("ours: ")]
    shown = lit[[*LITERATURE_HEADERS, *ours_cols]].rename(columns=LITERATURE_HEADERS)
    return markdown_table(shown, formats={c: ".0%" for c in ours_cols})


def _work_table(work):
    shown, formats = _shown(work, WORK_COLUMNS)
    return markdown_table(shown, formats=formats)


def _checks_text(family):
    checks = family.get("checks") or {}
    if not checks:
        return ""
    lines = "\n".join(
        f"- `{name}`: N in {grid['sizes']}, inits {', '.join(f'`{i}`' for i in grid['inits'])}, "
        f"{grid['n_seeds']} seeds, " + settings(grid.get("estimator") or {})
        for name, grid in checks.items())
    return "Checks, small grids beside the main one (named `<init>+<check>` below, left out of the work table):\n\n" + lines


def _compared_text(summary):
    """Each check's shares against the main grid's same init."""
    compared = []
    for r in summary[summary["check"] != ""].itertuples():
        base = summary[(summary["architecture"] == r.architecture) & (summary["check"] == "")
                       & (summary["init"] == r.init.split("+")[0])]
        if len(base):
            b = base.iloc[0]
            compared.append(
                f"{r.architecture} `{r.init}` against `{b['init']}`: distinct {_pct(r.distinct_share)} against "
                f"{_pct(b['distinct_share'])}, binarised {_pct(r.binarised_share)} against "
                f"{_pct(b['binarised_share'])}, bijection {_pct(r.bijection_share)} against "
                f"{_pct(b['bijection_share'])} (median {r.median_epochs:.0f} against {b['median_epochs']:.0f} epochs)")
    return "- The optimizer and the training length, measured by the checks: " + "; ".join(compared) + "." if compared else ""


def _shares_text(summary, value):
    """``architecture `init`: share`` of the rows where ``value(rows)`` is above 0, or "none"."""
    rows = summary[value(summary) > 0]
    return "; ".join(f"{r.architecture} `{r.init}`: {_pct(v)}" for r, v in zip(rows.itertuples(), value(rows))) or "none"


def _study_section(family, records, summary, rel):
    est = family["estimator"]
    extra = family["extra_code_units"]
    stacking = "" if family["max_stack"] is None else f" of at most {family['max_stack']} rows"
    inits = "\n".join(f"- `{name}`: " + settings(p) for name, p in family["inits"].items())
    return f"""## The study

X = eye(N): the N one-hot patterns, squeezed through k = log2(N){' + ' + ', '.join(map(str, extra)) if extra != [0] else ''} `{est.get('activation')}` units,
for N in {family['sizes']}; {family['n_seeds']} seeds (`random_state` 0 to {family['n_seeds'] - 1}) per N, code width and init;
`{est.get('loss')}`, `{est.get('solver')}` full batch, `learning_rate_init={est.get('learning_rate_init')}`; stop rule:
the loss changes by less than `tol={est.get('tol')}` for `n_iter_no_change={est.get('n_iter_no_change')}` epochs in a row,
or `max_iter={est.get('max_iter')}` epochs. Inits:

{inits}

{_checks_text(family)}

A seed's code is the hidden layer's output for the N patterns. Three shares over seeds:

- **distinct**: the code snapped to 0, 0.5 and 1 has N distinct rows (the network tells the patterns apart);
- **binarised**: the code thresholded at 0.5 has N distinct rows;
- **bijection**: the snapped code is only 0s and 1s and uses every k-bit word once (a perfect binary code, Ackley et al.'s measure).

The runs were trained stacked with `ae.fit_many` (runs of one N, code width and solver form one stack{stacking}),
one process per stack.

![success over seeds]({rel}/success.png)

*The share of seeds (of each N, init and code width) whose code tells the N patterns apart, against N: a panel per
measure defined above, a line per init; stars mark the literature's figures where one measures the same thing.*

{_summary_table(summary)}

{_snapping_text(summary)}
{_stopped_unsettled_text(summary, family)}
The plateau loss is the loss of answering 1/N everywhere (the code carries no information), and a seed
ended on the plateau when its code ignores the input: every hidden unit identical, or one snapped code for
every input with nothing reconstructed (the rule the blog page counts its plateau by, read off the codes
rather than the loss). "Stopped by the stop rule" says
what the rule did, not what the code became: a seed that sits on the plateau stops too, so a row
succeeds only as far as its share "stopped by the rule, off the plateau" and its code shares say.
"""


def _loose_text(loose):
    lines = [f"The comparison with {', '.join(f'{r.source} ({r.architecture})' for r in group.itertuples())} is "
             f"{comparison}: their figures stand beside ours as reference points, not as a replication."
             for comparison, group in loose.groupby("comparison", sort=False)]
    return "\n".join(lines) + ("\n" if lines else "")


def _blog_text(summary):
    """The 16-4-16 rows beside the blog's claim that 16-4-16 does not learn the binary encoding."""
    rows = summary[(summary["architecture"] == BLOG_CLAIM_ARCHITECTURE) & (summary["check"] == "")]
    if rows.empty:
        return ""
    shares = "; ".join(f"`{r.init}`: {_pct(r.bijection_share)} of {r.n_seeds} seeds" for r in rows.itertuples())
    n = BLOG_CLAIM_ARCHITECTURE
    return (f"{n} is also the blog's: its claim that {n} does not learn the binary encoding is tested over the "
            f"blog study's runs on [its page]({BLOG_CLAIMS}) (claim 6). Here, with other inits and more seeds, "
            f"the share of {n} seeds whose code is a bijection onto {{0,1}}^k: {shares}.\n")


def _snapping_text(summary):
    """Rows whose snapped codes merge patterns that their networks reconstruct apart."""
    rows = summary[summary["distinct_share"] < summary["reconstruct_share"]]
    if rows.empty:
        return ""
    listed = "; ".join(f"{r.architecture} `{r.init}`: distinct codes {_pct(r.distinct_share)}, every pattern "
                       f"reconstructed {_pct(r.reconstruct_share)}" for r in rows.itertuples())
    return ("Where a row's share of distinct codes is below its share of seeds that reconstruct every pattern, the "
            "network tells the patterns apart with code values between the snap levels 0, 0.5 and 1, and snapping "
            f"merges rows it keeps apart (the measure, not the network): {listed}.\n")


def _stopped_unsettled_text(summary, family):
    """Rows the rule stopped off the plateau with no seed's code yet telling the N patterns apart."""
    rows = summary[(summary["check"] == "") & (summary["informative_stop_share"] > 0)
                   & (summary["distinct_share"] == 0) & (summary["reconstruct_share"] == 0)]
    if rows.empty:
        return ""
    checked = {(s, i) for grid in (family.get("checks") or {}).values() for s in grid["sizes"] for i in grid["inits"]}
    listed = "; ".join(
        f"{r.architecture} `{r.init}` (median {r.median_epochs:.0f} epochs, final loss {r.median_final_loss:.3g}, "
        + ("a longer budget is measured by its check below)" if (r.n_inputs, r.init) in checked
           else "no check with a longer budget in this run)") for r in rows.itertuples())
    return ("Stopped, not settled: the rule stopped these rows' seeds off the plateau, with a low loss but before any "
            f"seed's code told the N patterns apart or reconstructed every pattern: {listed}. The 0% there is a "
            "reading of the stop rule's moment, not evidence that the network cannot separate the patterns; a check "
            "with a longer budget for the row (`family.checks`, see params.yaml) says which.\n")


def _literature_section(literature, lit, records, summary):
    main_grid = records[records["check"] == ""]
    informative = main_grid[~on_plateau(main_grid)]
    binary = informative.groupby("n_inputs")["binary_fraction"].median()
    citations = "\n".join(f"- **{key}**: {src['citation']}" for key, src in literature["sources"].items())
    stuck = _shares_text(summary, lambda s: s["plateau_share"])
    budget = _shares_text(summary, lambda s: 1 - s["converged_share"])
    loose = lit[lit["comparison"].str.startswith("loose")]
    return f"""## 8-3-8 beside the literature

{_literature_table(lit)}

{citations}

{_loose_text(loose)}
{_blog_text(summary)}

Why the shares differ, as far as the measured columns say:

- A sigmoid unit trained by gradient descent is free to settle at 0.5: with three levels per unit there are
  3^k > N codes, so nothing forces a binary code. The median share of code values at exactly 0 or 1, by N,
  over the seeds off the plateau:
  {', '.join(f'N={n}: {_pct(v)}' for n, v in binary.items())}. Ackley et al.'s Boltzmann machine has binary
  stochastic units, so its codes are binary by construction; the bijection share is the closest measure
  we have, and it is the strictest.
{_compared_text(summary)}
- Seeds stuck on the information-free plateau when the stop rule fired: {stuck}.
- Seeds stopped by the budget (`max_iter`) rather than the stop rule: {budget}.
"""


def _work_section(work, rel):
    return f"""## Epochs to the stop rule

![median epochs]({rel}/epochs.png)

*The median over seeds of the epochs each run trained before its stop rule fired, against N (log axis), a line per
init; the dashed line is the epoch budget, where a run that never stopped ends.*

## Work

Each architecture's work: its models and the sum of their epochs. What an epoch costs in time is a clock reading,
which varies between runs of the same code, so it is kept out of this page: each run's Duration in MLflow is its
stack's clock, and `benchmarks/family_cost.py` measures the time per model-epoch against N, and its growth exponent,
in isolation (medians of repeats; figures in `benchmarks/README.md`).

{_work_table(work)}
"""


def family_report(family, summary, work, records, literature, lit, rel):
    """The encoder family's report page.

    Parameters
    ----------
    family : dict
        The ``family`` block of ``params.yaml``.
    summary, work, records : DataFrame
        The family stage's summary, work and runs tables (``check`` filled
        with ``""`` for the main grid).
    literature : dict
        ``sources/encoder_literature.yaml``.
    lit : DataFrame
        :func:`aerepro.family.analysis.literature_table` of ``literature`` and ``summary``.
    rel : str
        The figures' folder, relative to the page.

    Returns
    -------
    str
        The page, markdown.
    """
    head = """# The N-log2(N)-N encoder family: success over seeds, and the work it takes

Generated by `dvc repro` (stages `family` and `family-report`) from `params.yaml` (block `family`),
the family stage's outputs (`runs/family/`) and `sources/encoder_literature.yaml` (literature
figures, typed in once). Every number below is read from those files.

"""
    return (head + _study_section(family, records, summary, rel) + "\n"
            + _literature_section(literature, lit, records, summary) + "\n"
            + _work_section(work, rel))
