"""Stage `anomaly-report`: the anomaly page, metrics and figure, from the anomaly stage's runs (`aerepro.anomaly.report`)."""

import argparse
from pathlib import Path

from aerepro.anomaly.report import report
from aerepro.errors import main_guard


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--runs", type=Path, required=True, help="output folder of the anomaly stage")
    parser.add_argument("--metrics", type=Path, required=True)
    parser.add_argument("--figure", type=Path, required=True)
    parser.add_argument("--page", type=Path, required=True, help="the page, report/anomaly.md")
    args = parser.parse_args()
    report(args.params, args.runs, args.metrics, args.figure, args.page)


if __name__ == "__main__":
    main_guard(main)
