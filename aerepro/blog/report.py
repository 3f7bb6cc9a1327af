"""Stage `report`: the blog study's report page, its tables beside ours.

Reads every configuration's analyse-stage outputs and the blog's numbers
(``sources/blog.yaml``) and writes the page (markdown, viewable on any git
host), linking the loss-curve and code figures of the earlier stages and the
report's other pages. The comparison of our consensus codes with the blog's
code tables, and its chance level, is computed here
(:func:`aerepro.blog.analysis.blog_code_agreement`) and handed to the page.
"""

import pandas as pd

from ..io import write_json, write_text
from ..markdown import link
from ..params import load_params
from ..runs import CONSENSUS, GROUPS, RUNS, read_table
from .statistics import blog_code_agreement, chosen_reading, consensus_binary_fraction, stop_rule_search
from .page import blog_report
from ..sources import blog_groups, load_blog
from ..yamldata import load_yaml
from .grid import is_grid_protocol
from .verdicts import state_metrics
from .schema import SCHEMA

__all__ = ["PARAMS", "report"]

#: The keys of params.yaml the stage reads.
PARAMS = ("study", "report")


def report(params_file, source, analysis, loss_plots, codes, pages, out, metrics, stop_rule_metrics, outside=()):
    """Write the blog page ``out``, each claim's state per column into ``metrics`` and the reading of the blog's
    stop rule chosen on one configuration with its held-out hits into ``stop_rule_metrics``, from the analyse
    stages' folders under ``analysis``.

    ``outside`` are ``(row file, page)`` pairs: a claim decided by another study (its report stage writes the
    row, JSON) and that study's page, which the row links.

    ``pages`` are ``(title, path)`` of the other pages to link; figure paths
    are made relative to ``out``.
    """
    params = load_params(params_file, PARAMS, SCHEMA)
    study, settings = params["study"], params["report"]

    def read(name):
        return pd.concat([read_table(analysis / c, name, "analyse") for c in study["configurations"]],
                         ignore_index=True)

    blog = load_blog(source)
    links = {
        "loss": link(loss_plots / "{configuration}.png", out),
        "codes": link(codes / "{configuration}" / "{protocol}.png", out),
        "pages": [(title, link(path, out)) for title, path in pages],
    }
    activation = settings["roles"]["blog_activation"]
    consensus = read(CONSENSUS)
    code_agreement = blog_code_agreement(blog["code_tables"], consensus, list(study["protocols"]), activation)
    n_inputs = int(consensus["input"].nunique()) if len(consensus) else 16
    groups = read(GROUPS).merge(consensus_binary_fraction(consensus), how="left")
    runs = read(RUNS)
    search = stop_rule_search(runs, blog["runs"], settings["compare_protocol"], activation)
    chosen = chosen_reading(search, settings["stop_rule_on"])
    rows = [{**load_yaml(row), "page": link(page, out)} for row, page in outside]
    page, verdicts = blog_report(study, settings, blog, blog_groups(blog, activation), runs, groups,
                                 code_agreement, n_inputs, links, (search, chosen), rows)
    write_text(out, page)
    # the grid's columns: the shared-draw controls and the sensitivity arms are the page's robustness section
    write_json(metrics, state_metrics(verdicts[verdicts["column"].map(is_grid_protocol)]))
    write_json(stop_rule_metrics, chosen)
    print(f"report: {out} ({len(page.splitlines())} lines)", flush=True)
