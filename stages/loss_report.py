"""Stage `loss-report`: the loss study's page, figure, metrics and claim row (`aerepro.loss.report`)."""

import argparse
from pathlib import Path

from aerepro.errors import main_guard
from aerepro.loss.report import report


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--runs", type=Path, required=True, help="output folder of the loss stage")
    parser.add_argument("--report", type=Path, required=True, help="the page, report/loss.md")
    parser.add_argument("--figures", type=Path, required=True, help="folder of its figure")
    parser.add_argument("--metrics", type=Path, required=True, help="the DVC metrics file, metrics/loss.json")
    parser.add_argument("--claim", type=Path, required=True,
                        help="the loss claim's row for the blog page's claim table (JSON)")
    args = parser.parse_args()
    report(args.params, args.runs, args.report, args.figures, args.metrics, args.claim)


if __name__ == "__main__":
    main_guard(main)
