"""Stage `track`: log every trained model of the pipeline to MLflow, in one process (`aerepro.track`)."""

import argparse
from pathlib import Path

from aerepro.errors import main_guard
from aerepro.track import track


def pair(text):
    """``PATH=FIGURE`` -> (Path, Path)."""
    path, _, figure = text.partition("=")
    return Path(path), Path(figure)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--study-runs", type=Path, required=True,
                        help="folder of the blog study's training outputs, one subfolder per configuration")
    parser.add_argument("--analysis", type=Path, required=True, help="folder of the analyse stages' outputs")
    parser.add_argument("--loss-plots", type=Path, required=True, help="folder of the loss-curve figures")
    parser.add_argument("--models", type=pair, action="append", default=[], metavar="RUNS=FIGURE",
                        help="another training stage's output folder, and a figure to attach to its runs")
    parser.add_argument("--summary", type=pair, action="append", default=[], metavar="RUNS=FIGURE",
                        help="a study logged as its summary table, one run per row, under <parent>/<folder name>")
    parser.add_argument("--data", type=Path, action="append", default=[],
                        help="a data file the runs trained on, logged as a dataset input of each parent")
    parser.add_argument("--clocks", type=Path, default=Path("clocks"),
                        help="folder of the training stages' clocks (<stage>.csv), read when present for MLflow's "
                             "Duration; no dependency of the stage")
    parser.add_argument("--out", type=Path, required=True, help="JSON file: run name -> its content digest")
    args = parser.parse_args()
    track(args.params, args.study_runs, args.analysis, args.loss_plots, args.models, args.summary, args.out,
          args.data, args.clocks)


if __name__ == "__main__":
    main_guard(main)
