"""Stage `loss-report`: the loss study's page, its figure, its metrics and the claim's row for the blog page."""

from ..figures import save_figure
from ..io import write_json, write_text
from ..markdown import link
from ..params import load_params
from ..runs import RECORDS, RUNS, read_table
from .analysis import configuration_table, metrics, pairs
from .claim import claim_row
from .figures import factor_figure
from .page import loss_page
from .schema import SCHEMA

__all__ = ["PARAMS", "FIGURE", "report"]

#: The keys of params.yaml the stage reads.
PARAMS = ("loss", "study.estimator", "study.activations.${loss.activation}",
          "study.protocols.${loss.protocol}.init_jitter", "study.inits", "study.seeds")

#: The figure's file name, in the figures' folder.
FIGURE = "factor.png"


def report(params_file, runs_dir, page, figures, metrics_file, claim_file):
    """Write ``page``, its figure into ``figures``, ``metrics_file`` and the blog page's row ``claim_file``, from the
    run folder ``runs_dir``."""
    params = load_params(params_file, PARAMS, SCHEMA)
    loss, study = params["loss"], params["study"]
    compared = loss["compared"]
    runs = read_table(runs_dir, RUNS, "loss")
    records = read_table(runs_dir, RECORDS, "loss")
    paired = pairs(runs, compared, loss["budgets"])
    table = configuration_table(runs, paired, compared, loss["budgets"])
    row = claim_row(table, compared, loss["activation"], loss["protocol"])
    save_figure(factor_figure(records, runs, compared), figures / FIGURE)
    init_jitter = study["protocols"][loss["protocol"]]["init_jitter"]
    write_text(page, loss_page(loss, study, study["activations"][loss["activation"]], init_jitter, runs, records,
                               table, link(figures, page), row["state"]))
    write_json(metrics_file, metrics(table, compared))
    write_json(claim_file, row)
    print(f"loss-report: {page} (the claim {row['state']})", flush=True)
