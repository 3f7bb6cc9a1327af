"""Stage `analyse@<configuration>`: line up, snap and summarize the hidden codes.

Reads a training stage's `runs.csv` and `codes.csv`; writes into `--out`:
`runs.csv` (the runs with their per-run code facts), `groups.csv` (one row
per activation setting x protocol), `aligned_codes.csv` (every run's code,
columns aligned within its group, raw and snapped) and `consensus.csv` (the
blog-style table of each group); the DVC metrics file (one entry per group);
and a heat map of the aligned codes per protocol into `--figures`.
"""

import argparse
from pathlib import Path

import pandas as pd

from ae.codes import analyse_codes
from ae.io import write_csv, write_json
from ae.params import main_guard
from ae.plots import code_heatmaps_figure, save_figure

#: Columns of groups.csv that are DVC metrics.
METRICS = ["n_valid", "reconstruct_all", "collapsed", "dead", "bijections", "distinct_codes_mean",
           "binary_fraction_mean", "agreement_mean"]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=Path, required=True, help="output folder of a training stage")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--metrics", type=Path, required=True)
    parser.add_argument("--figures", type=Path, required=True, help="folder of the heat maps")
    args = parser.parse_args()
    records = pd.read_csv(args.runs / "runs.csv")
    runs, groups, aligned, consensus = analyse_codes(records, pd.read_csv(args.runs / "codes.csv"))
    write_csv(args.out / "runs.csv", runs)
    write_csv(args.out / "groups.csv", groups)
    write_csv(args.out / "aligned_codes.csv", aligned)
    write_csv(args.out / "consensus.csv", consensus)
    write_json(args.metrics, {
        f"{g['activation']}/{g['protocol']}": {k: (None if pd.isna(g[k]) else g[k]) for k in METRICS}
        for g in groups.to_dict("records")
    })
    for (configuration, protocol), sel in runs.groupby(["configuration", "protocol"], sort=False):
        title = f"{configuration}, protocol {protocol}: hidden activations, columns aligned per activation setting"
        save_figure(code_heatmaps_figure(aligned[aligned["run"].isin(sel["run"])], sel, title),
                    args.figures / f"{protocol}.png")
    print(f"analyse: {len(groups)} groups of {len(runs)} runs, "
          f"{int(groups['collapsed'].sum())} collapsed, {int(groups['bijections'].sum())} binary bijections", flush=True)


if __name__ == "__main__":
    main_guard(main)
