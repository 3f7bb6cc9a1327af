"""Stage `anomaly`: anomaly detection by reconstruction error, the scikit-learn way (`aerepro.anomaly.train`)."""

import argparse
from pathlib import Path

from aerepro.anomaly.train import train
from aerepro.errors import main_guard


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--metrics", type=Path, required=True)
    parser.add_argument("--figure", type=Path, required=True)
    parser.add_argument("--report", type=Path, required=True, help="markdown page of the report")
    args = parser.parse_args()
    train(args.params, args.out, args.metrics, args.figure, args.report)


if __name__ == "__main__":
    main_guard(main)
