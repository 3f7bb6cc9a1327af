"""Stage `symmetry-report`: the symmetric-start page and its figure (`aerepro.symmetry.report`)."""

import argparse
from pathlib import Path

from aerepro.errors import main_guard
from aerepro.symmetry.report import report


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--runs", type=Path, required=True, help="output folder of the symmetry stage")
    parser.add_argument("--source", type=Path, required=True, help="sources/blog.yaml")
    parser.add_argument("--report", type=Path, required=True, help="the page, report/symmetry.md")
    parser.add_argument("--figures", type=Path, required=True, help="folder of its figure")
    parser.add_argument("--keras", type=Path, action="append", default=[],
                        help="a Keras cross-check's data, e.g. crosscheck/keras_symmetric_start.yaml (repeatable)")
    args = parser.parse_args()
    report(args.params, args.runs, args.source, args.report, args.figures, args.keras)


if __name__ == "__main__":
    main_guard(main)
