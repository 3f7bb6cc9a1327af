"""Stage `train@<configuration>`: train every run of one configuration of the blog study (`aerepro.blog.train`)."""

import argparse
from pathlib import Path

from aerepro.blog.train import train
from aerepro.errors import main_guard


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--configuration", required=True)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--metrics", type=Path, required=True)
    parser.add_argument("--plot", type=Path, required=True)
    parser.add_argument("--clocks", type=Path, default=None,
                        help="CSV of the runs' wall times, kept outside the stage's outputs (none when omitted)")
    args = parser.parse_args()
    train(args.params, args.configuration, args.data, args.out, args.metrics, args.plot, args.clocks)


if __name__ == "__main__":
    main_guard(main)
