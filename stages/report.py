"""Stage `report`: the blog study's report page, its tables beside ours.

Reads every configuration's analyse-stage outputs and the blog's numbers
(`sources/blog.yaml`) and writes `--out` (markdown, viewable on any git
host), linking the loss-curve and code figures of the earlier stages and the
report's other pages.
"""

import argparse
import os
from pathlib import Path

import pandas as pd

from ae.io import write_text
from ae.params import load_params, main_guard
from ae.report import blog_report
from ae.sources import blog_groups, load_blog


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--source", type=Path, required=True, help="sources/blog.yaml")
    parser.add_argument("--analysis", type=Path, required=True, help="folder of the analyse stages' outputs")
    parser.add_argument("--loss-plots", type=Path, required=True, help="folder of the loss-curve figures")
    parser.add_argument("--codes", type=Path, required=True, help="folder of the code heat maps")
    parser.add_argument("--page", action="append", default=[], metavar="TITLE=PATH", help="another page to link")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    params = load_params(args.params)
    study = params["study"]

    def read(name):
        return pd.concat([pd.read_csv(args.analysis / c / name) for c in study["configurations"]], ignore_index=True)

    def rel(path):
        return Path(os.path.relpath(path, args.out.parent)).as_posix()

    blog = load_blog(args.source)
    links = {
        "loss": rel(args.loss_plots / "{configuration}.png"),
        "codes": rel(args.codes / "{configuration}" / "{protocol}.png"),
        "pages": [(title, rel(path)) for title, path in (p.split("=", 1) for p in args.page)],
    }
    page = blog_report(study, params["report"]["compare_protocol"], blog, blog_groups(blog),
                       read("runs.csv"), read("groups.csv"), read("consensus.csv"), links)
    write_text(args.out, page)
    print(f"report: {args.out} ({len(page.splitlines())} lines)", flush=True)


if __name__ == "__main__":
    main_guard(main)
