"""Stage `analyse@<configuration>`: line up, snap and summarize the hidden codes (`aerepro.blog.analyse`)."""

import argparse
from pathlib import Path

from aerepro.blog.analyse import analyse
from aerepro.errors import main_guard


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=Path, required=True, help="output folder of a training stage")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--metrics", type=Path, required=True)
    parser.add_argument("--figures", type=Path, required=True, help="folder of the heat maps")
    args = parser.parse_args()
    analyse(args.runs, args.out, args.metrics, args.figures)


if __name__ == "__main__":
    main_guard(main)
