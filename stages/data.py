"""Stage `data`: write the datasets of both sources as CSV."""

import argparse
from pathlib import Path

from ae.datasets import as_frame, bit_patterns, onehot
from ae.io import write_csv
from ae.params import load_params, main_guard


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    args = parser.parse_args()
    data = load_params(args.params)["data"]
    write_csv(args.out / "onehot.csv", as_frame(onehot(data["onehot"]["n_inputs"])))
    write_csv(args.out / "patterns.csv", as_frame(bit_patterns(data["patterns"]["n_bits"])))


if __name__ == "__main__":
    main_guard(main)
