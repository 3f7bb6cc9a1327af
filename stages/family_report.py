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

import pandas as pd
import yaml

from ae.family import literature_table, power_law
from ae.io import write_text
from ae.params import load_params, main_guard
from ae.plots import family_cost_figure, family_epochs_figure, family_success_figure, save_figure
from ae.report import family_report


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

    text = family_report(family, summary, cost, records, literature, lit, fit, fit_all, rel)
    write_text(args.report, text)
    print(f"family-report: {args.report} ({len(summary)} rows)", flush=True)


if __name__ == "__main__":
    main_guard(main)
