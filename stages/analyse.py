"""Stage `analyse`: line up, snap and summarize the hidden codes of every configuration (`aerepro.blog.analyse`)."""

import argparse
from pathlib import Path

from aerepro.blog.analyse import analyse_study
from aerepro.errors import main_guard


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--runs", type=Path, required=True, help="folder of the training stages' run folders")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--metrics", type=Path, required=True)
    parser.add_argument("--figures", type=Path, required=True, help="folder of the heat maps")
    args = parser.parse_args()
    analyse_study(args.params, args.runs, args.out, args.metrics, args.figures)


if __name__ == "__main__":
    main_guard(main)
