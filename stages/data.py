"""Stage `data`: write the datasets of both sources as CSV."""

import argparse
from pathlib import Path

from aerepro.datasets import write_datasets
from aerepro.errors import main_guard


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    args = parser.parse_args()
    write_datasets(args.params, args.out)


if __name__ == "__main__":
    main_guard(main)
