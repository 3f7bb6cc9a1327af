"""Stage `paper-report`: the paper's page, metrics and figures, from the paper stage's runs (`aerepro.paper.report`)."""

import argparse
from pathlib import Path

from aerepro.errors import main_guard
from aerepro.paper.report import report


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--runs", type=Path, required=True, help="output folder of the paper stage")
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--source", type=Path, required=True, help="sources/paper.yaml")
    parser.add_argument("--metrics", type=Path, required=True)
    parser.add_argument("--page", type=Path, required=True, help="the page, report/paper.md (its figures go beside it)")
    args = parser.parse_args()
    report(args.params, args.runs, args.data, args.source, args.metrics, args.page)


if __name__ == "__main__":
    main_guard(main)
