"""Stage `family-report`: the family's page and its figures, from the family stage's outputs.

Reads the summary, work and runs tables of the family's run folder, the
literature figures (``sources/encoder_literature.yaml``, typed in once, with
their citations) and the ``family`` block of params.yaml; writes the page and
two figures (success shares, median epochs).
"""


from ..figures import save_figure
from ..io import write_text
from ..markdown import link
from ..params import load_params
from ..runs import RUNS, SUMMARY, WORK, read_table
from ..yamldata import load_yaml
from .analysis import literature_table
from .figures import family_epochs_figure, family_success_figure
from .page import family_report
from .schema import SCHEMA

__all__ = ["PARAMS", "report"]

#: The keys of params.yaml the stage reads.
PARAMS = ("family",)


def report(params_file, runs_dir, source, page, figures):
    """Write the family page ``page`` and its figures into ``figures`` from the run folder ``runs_dir``."""
    family = load_params(params_file, PARAMS, SCHEMA)["family"]
    summary = read_table(runs_dir, SUMMARY, "family")
    summary["check"] = summary["check"].fillna("")
    work = read_table(runs_dir, WORK, "family")
    records = read_table(runs_dir, RUNS, "family")
    records["check"] = records["check"].fillna("")
    literature = load_yaml(source)
    lit = literature_table(literature, summary)
    rel = link(figures, page)
    save_figure(family_success_figure(summary, lit), figures / "success.png")
    save_figure(family_epochs_figure(summary, family["estimator"].get("max_iter")), figures / "epochs.png")
    write_text(page, family_report(family, summary, work, records, literature, lit, rel))
    print(f"family-report: {page} ({len(summary)} rows)", flush=True)
