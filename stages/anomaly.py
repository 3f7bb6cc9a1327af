"""Stage `anomaly`: anomaly detection by reconstruction error, every digit and seed trained and scored (`aerepro.anomaly.train`)."""

import argparse
from pathlib import Path

from aerepro.anomaly.train import train
from aerepro.errors import main_guard


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--clocks", type=Path, default=None,
                        help="CSV of the runs' wall times, kept outside the stage's outputs (none when omitted)")
    args = parser.parse_args()
    train(args.params, args.out, args.clocks)


if __name__ == "__main__":
    main_guard(main)
