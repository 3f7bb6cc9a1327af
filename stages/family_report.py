"""Stage `family-report`: the family's page and figures, from the family stage's outputs (`aerepro.family.report`)."""

import argparse
from pathlib import Path

from aerepro.errors import main_guard
from aerepro.family.report import report


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--runs", type=Path, required=True, help="output folder of the family stage")
    parser.add_argument("--source", type=Path, required=True, help="sources/encoder_literature.yaml")
    parser.add_argument("--report", type=Path, required=True, help="the page, report/family.md")
    parser.add_argument("--figures", type=Path, required=True, help="folder of its figures")
    args = parser.parse_args()
    report(args.params, args.runs, args.source, args.report, args.figures)


if __name__ == "__main__":
    main_guard(main)
