"""The encoder family's report page: markdown from the family stage's tables and params.yaml.

Every number on the page is read from the tables passed in, ``params.yaml``
(block ``family``) or the literature file; nothing is typed into the prose.
"""

from ..markdown import markdown_table
from .analysis import PLATEAU_MARGIN, plateau_loss

__all__ = ["family_report"]

#: The summary columns shown on the page, and their formats.
SUMMARY_FORMATS = {
    "architecture": None, "init": None, "n_seeds": None, "distinct_share": ".0%", "binarised_share": ".0%",
    "bijection_share": ".0%", "converged_share": ".0%", "median_epochs": ".0f", "median_train_seconds": ".2f",
    "median_final_loss": ".3g", "plateau_loss": ".3g", "plateau_share": ".0%", "median_binary_fraction": ".0%",
}


def _pct(x):
    return f"{x:.0%}"


def _settings(block):
    return ", ".join(f"`{k}={v}`" for k, v in block.items())


def _summary_table(summary):
    shown = summary.assign(plateau_loss=summary["n_inputs"].map(plateau_loss))[list(SUMMARY_FORMATS)]
    return markdown_table(shown, formats={c: f for c, f in SUMMARY_FORMATS.items() if f})


def _literature_table(lit):
    ours_cols = [c for c in lit.columns if c.startswith("ours: ")]
    shown = lit[["architecture", "source", "method", "measure", "literature", *ours_cols]]
    return markdown_table(shown, formats={c: ".0%" for c in ours_cols})


def _cost_table(cost):
    shown = cost.assign(us_per_model_epoch=1e6 * cost["seconds_per_model_epoch"])[
        ["architecture", "models", "stacks", "model_epochs", "stack_seconds", "us_per_model_epoch"]]
    return markdown_table(shown, formats={"stack_seconds": ".2f", "us_per_model_epoch": ".1f", "model_epochs": "d"})


def _checks_text(family):
    checks = family.get("checks") or {}
    if not checks:
        return ""
    lines = "\n".join(
        f"- `{name}`: N in {grid['sizes']}, inits {', '.join(f'`{i}`' for i in grid['inits'])}, "
        f"{grid['n_seeds']} seeds, " + _settings(grid.get("estimator") or {})
        for name, grid in checks.items())
    return "Checks, small grids beside the main one (named `<init>+<check>` below, left out of the cost fit):\n\n" + lines


def _compared_text(summary):
    """Each check's shares against the main grid's same init."""
    compared = []
    for r in summary[summary["check"] != ""].itertuples():
        base = summary[(summary["architecture"] == r.architecture) & (summary["check"] == "")
                       & (summary["init"] == r.init.split("+")[0])]
        if len(base):
            b = base.iloc[0]
            compared.append(
                f"{r.architecture} `{r.init}` against `{b['init']}`: binarised {_pct(r.binarised_share)} against "
                f"{_pct(b['binarised_share'])}, bijection {_pct(r.bijection_share)} against "
                f"{_pct(b['bijection_share'])} (median {r.median_epochs:.0f} against {b['median_epochs']:.0f} epochs)")
    return "- The optimizer and the training length, measured by the checks: " + "; ".join(compared) + "." if compared else ""


def _shares_text(summary, value):
    """``architecture `init`: share`` of the rows where ``value(rows)`` is above 0, or "none"."""
    rows = summary[value(summary) > 0]
    return "; ".join(f"{r.architecture} `{r.init}`: {_pct(v)}" for r, v in zip(rows.itertuples(), value(rows))) or "none"


def _exponent_text(fit, fit_all, min_n):
    if fit is None:
        return f"Fewer than two sizes N >= {min_n}: no growth exponent fitted."
    return (f"Fitted on N >= {min_n} (code width log2 N), the time per model-epoch grows as **N^{fit[0]:.2f}**"
            + (f" (N^{fit_all[0]:.2f} fitted on every N, where fixed per-call overheads flatten the small sizes)"
               if fit_all else "") + ".")


def _study_section(family, records, summary, rel):
    est = family["estimator"]
    extra = family["extra_code_units"]
    wall = records.groupby("stack")["train_seconds"].max().sum()
    stacking = "" if family["max_stack"] is None else f" of at most {family['max_stack']} models"
    inits = "\n".join(f"- `{name}`: " + _settings(p) for name, p in family["inits"].items())
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
- **binarised**: the code thresholded at 0.5 has N distinct rows (the measure of the backprop replication below);
- **bijection**: the snapped code is only 0s and 1s and uses every k-bit word once (a perfect binary code, Ackley et al.'s measure).

The runs were trained stacked with `ae.fit_many` (runs of one N, code width and solver form one stack{stacking}),
one process per stack: {records['stack'].nunique()} stacks, {wall:.1f} s of stack time in all (the sum of their clocks).

![success over seeds]({rel}/success.png)

{_summary_table(summary)}

`median_train_seconds` is the stack's clock when the model stopped (the models of a stack train together);
`plateau_loss` is the loss of answering 1/N everywhere (the code carries no information); `plateau_share`
counts seeds that ended within {1 - PLATEAU_MARGIN:.0%} of it; `median_binary_fraction` is the median share of code values
that snap to exactly 0 or 1.
"""


def _literature_section(literature, lit, records, summary):
    main_grid = records[records["check"] == ""]
    informative = main_grid[main_grid["final_loss"] < PLATEAU_MARGIN * main_grid["n_inputs"].map(plateau_loss)]
    binary = informative.groupby("n_inputs")["binary_fraction"].median()
    citations = "\n".join(f"- **{key}**: {src['citation']}" for key, src in literature["sources"].items())
    stuck = _shares_text(summary, lambda s: s["plateau_share"])
    budget = _shares_text(summary, lambda s: 1 - s["converged_share"])
    return f"""## 8-3-8 beside the literature

{_literature_table(lit)}

{citations}

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


def _cost_section(cost, fit, fit_all, min_n, rel):
    return f"""## Epochs to the stop rule

![median epochs]({rel}/epochs.png)

## Cost per model-epoch

{_exponent_text(fit, fit_all, min_n)} Each architecture's cost is its stacks' wall time (each stack's longest `train_seconds`,
summed) over the sum of its models' epochs, measured in this run on a shared machine; `benchmarks/family_cost.py` measures
the same quantity in isolation (medians of repeats).

![cost per model-epoch]({rel}/cost.png)

{_cost_table(cost)}
"""


def family_report(family, summary, cost, records, literature, lit, fit, fit_all, rel):
    """The encoder family's report page.

    Parameters
    ----------
    family : dict
        The ``family`` block of ``params.yaml``.
    summary, cost, records : DataFrame
        The family stage's summary, cost and runs tables (``check`` filled
        with ``""`` for the main grid).
    literature : dict
        ``sources/encoder_literature.yaml``.
    lit : DataFrame
        :func:`aerepro.family.analysis.literature_table` of ``literature`` and ``summary``.
    fit, fit_all : tuple or None
        :func:`aerepro.family.analysis.power_law` fits of the cost from ``cost_fit_min_n`` up, and on every N.
    rel : str
        The figures' folder, relative to the page.

    Returns
    -------
    str
        The page, markdown.
    """
    head = """# The N-log2(N)-N encoder family: success over seeds, and how cost grows

Generated by `dvc repro` (stages `family` and `family-report`) from `params.yaml` (block `family`),
the family stage's outputs (`runs/family/`) and `sources/encoder_literature.yaml` (literature
figures, typed in once). Every number below is read from those files.

"""
    return (head + _study_section(family, records, summary, rel) + "\n"
            + _literature_section(literature, lit, records, summary) + "\n"
            + _cost_section(cost, fit, fit_all, family["cost_fit_min_n"], rel))
