"""Stage `loss`: the blog's networks trained with cross-entropy and with MSE from the same starts (`aerepro.loss.train`)."""

import argparse
from pathlib import Path

from aerepro.errors import main_guard
from aerepro.loss.train import train


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--clocks", type=Path, default=None,
                        help="CSV of the runs' wall times, kept outside the stage's outputs (none when omitted)")
    args = parser.parse_args()
    train(args.params, args.data, args.out, args.clocks)


if __name__ == "__main__":
    main_guard(main)
