"""Stage `family-report`: the family's page and its figures, from the family stage's outputs.

Reads the summary, cost and runs tables of the family's run folder, the
literature figures (``sources/encoder_literature.yaml``, typed in once, with
their citations) and the ``family`` block of params.yaml; writes the page and
three figures (success shares, median epochs, cost per model-epoch with the
fitted growth exponent).
"""


from ..figures import save_figure
from ..io import write_text
from ..markdown import link
from ..params import load_params
from ..runs import COST, RUNS, SUMMARY, read_table
from ..yamldata import load_yaml
from .analysis import literature_table, power_law
from .figures import family_cost_figure, family_epochs_figure, family_success_figure
from .page import family_report
from .schema import SCHEMA

__all__ = ["PARAMS", "report"]

#: The keys of params.yaml the stage reads.
PARAMS = ("family",)


def _growth(cost, min_n):
    """The power-law fits of cost on N: from ``min_n`` up and on every N (``None`` with fewer than two sizes)."""
    tight = cost[cost["extra"] == cost["extra"].min()]
    fitted = tight[tight["n_inputs"] >= min_n]
    fit = power_law(fitted["n_inputs"], fitted["seconds_per_model_epoch"]) if len(fitted) >= 2 else None
    fit_all = power_law(tight["n_inputs"], tight["seconds_per_model_epoch"]) if len(tight) >= 2 else None
    return fit, fit_all


def report(params_file, runs_dir, source, page, figures):
    """Write the family page ``page`` and its figures into ``figures`` from the run folder ``runs_dir``."""
    family = load_params(params_file, PARAMS, SCHEMA)["family"]
    summary = read_table(runs_dir, SUMMARY, "family")
    summary["check"] = summary["check"].fillna("")
    cost = read_table(runs_dir, COST, "family")
    records = read_table(runs_dir, RUNS, "family")
    records["check"] = records["check"].fillna("")
    literature = load_yaml(source)
    lit = literature_table(literature, summary)
    fit, fit_all = _growth(cost, family["cost_fit_min_n"])
    rel = link(figures, page)
    save_figure(family_success_figure(summary, lit), figures / "success.png")
    save_figure(family_epochs_figure(summary, family["estimator"].get("max_iter")), figures / "epochs.png")
    save_figure(family_cost_figure(cost, fit, family["cost_fit_min_n"]), figures / "cost.png")
    write_text(page, family_report(family, summary, cost, records, literature, lit, fit, fit_all, rel))
    print(f"family-report: {page} ({len(summary)} rows)", flush=True)
