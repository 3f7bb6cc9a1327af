"""Stage `family-report`: `report/family.md` and its figures, from the family stage's outputs.

Reads `summary.csv`, `cost.csv` and `runs.csv` of `--runs`, the literature
figures of `--source` (typed in once, with their citations) and the
`family` block of params.yaml; writes the page and three figures (success
shares, median epochs, cost per model-epoch with the fitted growth
exponent) into `--figures`. Every number on the page is read from those
files: nothing is typed into the prose.
"""

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from ae.family import PLATEAU_MARGIN, literature_table, plateau_loss, power_law
from ae.io import write_text
from ae.params import load_params, main_guard
from ae.plots import family_cost_figure, family_epochs_figure, family_success_figure, save_figure


def markdown_table(frame, formats=None):
    """A markdown table; ``formats`` maps a column to a format string (default ``{:.3g}`` for floats)."""
    formats = formats or {}
    cols = list(frame.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in frame.itertuples(index=False):
        cells = []
        for col, v in zip(cols, row):
            if isinstance(v, float) and np.isnan(v):
                cells.append("-")
            elif col in formats:
                cells.append(formats[col].format(v))
            else:
                cells.append(f"{v:.3g}" if isinstance(v, float) else str(v))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def pct(x):
    return f"{x:.0%}"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--runs", type=Path, required=True, help="output folder of the family stage")
    parser.add_argument("--source", type=Path, required=True, help="sources/encoder_literature.yaml")
    parser.add_argument("--report", type=Path, required=True, help="the page, report/family.md")
    parser.add_argument("--figures", type=Path, required=True, help="folder of its figures")
    args = parser.parse_args()
    family = load_params(args.params)["family"]
    summary = pd.read_csv(args.runs / "summary.csv")
    summary["check"] = summary["check"].fillna("")
    cost = pd.read_csv(args.runs / "cost.csv")
    records = pd.read_csv(args.runs / "runs.csv")
    records["check"] = records["check"].fillna("")
    literature = yaml.safe_load(args.source.read_text())
    lit = literature_table(literature, summary)
    est = family["estimator"]

    min_n = family["cost_fit_min_n"]
    tight = cost[cost["extra"] == cost["extra"].min()]
    fitted = tight[tight["n_inputs"] >= min_n]
    fit = power_law(fitted["n_inputs"], fitted["seconds_per_model_epoch"]) if len(fitted) >= 2 else None
    fit_all = power_law(tight["n_inputs"], tight["seconds_per_model_epoch"]) if len(tight) >= 2 else None

    rel = args.figures.relative_to(args.report.parent) if args.figures.is_relative_to(args.report.parent) else args.figures
    save_figure(family_success_figure(summary, lit), args.figures / "success.png")
    save_figure(family_epochs_figure(summary, est.get("max_iter")), args.figures / "epochs.png")
    save_figure(family_cost_figure(cost, fit, min_n), args.figures / "cost.png")

    inits = family["inits"]
    init_lines = "\n".join(f"- `{name}`: " + ", ".join(f"`{k}={v}`" for k, v in p.items()) for name, p in inits.items())
    shown = summary.assign(plateau_loss=summary["n_inputs"].map(plateau_loss))[
        ["architecture", "init", "n_seeds", "distinct_share", "binarised_share", "bijection_share",
         "converged_share", "median_epochs", "median_train_seconds", "median_final_loss", "plateau_loss",
         "plateau_share", "median_binary_fraction"]]
    share_fmt = {c: "{:.0%}" for c in ["distinct_share", "binarised_share", "bijection_share", "converged_share",
                                        "plateau_share", "median_binary_fraction"]}
    table = markdown_table(shown, {**share_fmt, "median_epochs": "{:.0f}", "median_train_seconds": "{:.2f}",
                                   "median_final_loss": "{:.3g}", "plateau_loss": "{:.3g}"})
    ours_cols = [c for c in lit.columns if c.startswith("ours: ")]
    lit_shown = lit[["architecture", "source", "method", "measure", "literature", *ours_cols]]
    lit_md = markdown_table(lit_shown, {c: "{:.0%}" for c in ours_cols})
    citations = "\n".join(f"- **{key}**: {src['citation']}" for key, src in literature["sources"].items())
    cost_shown = cost.assign(us_per_model_epoch=1e6 * cost["seconds_per_model_epoch"])[
        ["architecture", "models", "stacks", "model_epochs", "stack_seconds", "us_per_model_epoch"]]
    cost_md = markdown_table(cost_shown, {"stack_seconds": "{:.2f}", "us_per_model_epoch": "{:.1f}",
                                          "model_epochs": "{:d}"})

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
    write_text(args.report, text)
    print(f"family-report: {args.report} ({len(summary)} rows)", flush=True)


if __name__ == "__main__":
    main_guard(main)
