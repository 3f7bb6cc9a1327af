"""Stage `report`: the blog study's report page, its tables beside ours (`aerepro.blog.report`)."""

import argparse
from pathlib import Path

from aerepro.blog.report import report
from aerepro.errors import main_guard


def page(text):
    """``TITLE=PATH`` -> (title, Path)."""
    title, _, path = text.partition("=")
    return title, Path(path)


def pair(text):
    """``ROW=PAGE`` -> (Path, Path)."""
    row, _, path = text.partition("=")
    return Path(row), Path(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--source", type=Path, required=True, help="sources/blog.yaml")
    parser.add_argument("--analysis", type=Path, required=True, help="folder of the analyse stages' outputs")
    parser.add_argument("--loss-plots", type=Path, required=True, help="folder of the loss-curve figures")
    parser.add_argument("--codes", type=Path, required=True, help="folder of the code heat maps")
    parser.add_argument("--page", type=page, action="append", default=[], metavar="TITLE=PATH",
                        help="another page to link")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--metrics", type=Path, required=True, help="each claim's state per column (JSON)")
    parser.add_argument("--stop-rule-metrics", type=Path, required=True,
                        help="the reading of the blog's stop rule that reproduces its numbers (JSON)")
    parser.add_argument("--outside-claim", type=pair, action="append", default=[], metavar="ROW=PAGE",
                        help="a claim decided by another study: its row (JSON) and that study's page")
    args = parser.parse_args()
    report(args.params, args.source, args.analysis, args.loss_plots, args.codes, args.page, args.out, args.metrics,
           args.stop_rule_metrics, args.outside_claim)


if __name__ == "__main__":
    main_guard(main)
