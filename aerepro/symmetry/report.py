"""Stage `symmetry-report`: the symmetric-start page and its figure, from the symmetry stage's outputs."""


from ..sources import load_blog
from ..figures import save_figure
from ..io import write_text
from ..markdown import link
from ..params import load_params
from ..runs import RECORDS, RUNS, read_table
from ..yamldata import load_yaml
from .analysis import (identical_pair_table, kernel_table, perturbation_table, start_table, stop_rule_kernel_table,
                       stop_rule_table)
from .figures import kernel_spread_figure, spread_figure
from .grid import epoch_budget
from .page import symmetry_page
from .schema import SCHEMA

__all__ = ["PARAMS", "report"]

#: The keys of params.yaml the stage reads.
PARAMS = ("symmetry.budget_protocol", "symmetry.estimator", "symmetry.kernels.configurations",
          "symmetry.kernels.max_iter", "symmetry.perturbation.configuration", "symmetry.perturbation.init_value",
          "symmetry.perturbation.max_iter", "symmetry.separated_at", "symmetry.stop_rules.mechanisms",
          "symmetry.stop_rules.patience", "symmetry.stop_rules.readings", "study.configurations",
          "study.protocols.${symmetry.budget_protocol}.max_iter", "report.roles.blog_activation")


def report(params_file, runs_dir, source, page, figures, keras=()):
    """Write ``page`` and its figure into ``figures`` from the run folder ``runs_dir`` and the blog's data ``source``.

    ``keras`` are the Keras cross-checks' YAML files, cited on the page.
    """
    params = load_params(params_file, PARAMS, SCHEMA)
    symmetry, study = params["symmetry"], params["study"]
    runs = read_table(runs_dir, RUNS, "symmetry")
    runs[["stop_rule", "core_type"]] = runs[["stop_rule", "core_type"]].fillna("")
    records = read_table(runs_dir, RECORDS, "symmetry")
    blog = load_blog(source)
    stop_table = stop_rule_table(runs, blog["runs"], params["report"]["roles"]["blog_activation"])
    budgets = {c: epoch_budget(study, c, symmetry["budget_protocol"]) for c in study["configurations"]}
    kernel = str(runs.loc[runs["core_type"] == "", "blas_kernel"].iloc[0])
    rel = link(figures, page)
    save_figure(spread_figure(records, runs, symmetry["separated_at"]), figures / "spread.png")
    save_figure(kernel_spread_figure(records, runs, symmetry["separated_at"]), figures / "kernels.png")
    tables = {"start": start_table(runs), "kernel": kernel_table(runs), "perturbation": perturbation_table(runs),
              "stop_rule": stop_table, "stop_rule_kernel": stop_rule_kernel_table(runs, symmetry["stop_rules"], symmetry["estimator"]["record_every"]),
              "identical_pair": identical_pair_table(runs, blog["code_tables"])}
    keras_data = {str(path): load_yaml(path) for path in keras}
    text = symmetry_page(symmetry, budgets, runs, tables, kernel, rel, keras_data)
    write_text(page, text)
    print(f"symmetry-report: {page}", flush=True)
