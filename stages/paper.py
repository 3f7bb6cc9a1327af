"""Stage `paper`: the paper's 3-4-3 experiment, its variants, and its worked example (`aerepro.paper.train`)."""

import argparse
from pathlib import Path

from aerepro.errors import main_guard
from aerepro.paper.train import train


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--source", type=Path, required=True, help="sources/paper.yaml")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--metrics", type=Path, required=True)
    parser.add_argument("--report", type=Path, required=True, help="report folder")
    args = parser.parse_args()
    train(args.params, args.data, args.source, args.out, args.metrics, args.report)


if __name__ == "__main__":
    main_guard(main)
