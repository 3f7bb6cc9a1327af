"""Stage `family`: the N-log2(N)-N encoder family, many seeds per N (`aerepro.family.train`)."""

import argparse
from pathlib import Path

from aerepro.errors import main_guard
from aerepro.family.train import train


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--metrics", type=Path, required=True)
    args = parser.parse_args()
    train(args.params, args.out, args.metrics)


if __name__ == "__main__":
    main_guard(main)
