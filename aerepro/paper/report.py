"""Stage `paper-report`: the paper's page, metrics and figures, from the `paper` stage's run folder.

Summarises the runs per variant and per batch size, runs the paper's
printed network on the patterns (its loss, the one number the paper's
training gives) and its worked forward pass, and writes the metrics, the
figures and ``report/paper.md``. Trains nothing: a prose edit reruns only
this stage.
"""

from ..figures import save_figure
from ..grid import make_estimator
from ..io import write_json, write_text
from ..params import load_params
from ..runs import CURVES, RUNS, load_models, read_data, read_table
from .analysis import forward_pass_table, load_paper, paper_model, printed_loss_table
from .batches import batch_table
from .figures import loss_figure, network_figure
from .grid import BATCH_SIZES, PLAIN, VARIANTS
from .page import paper_page
from .properties import property_columns, property_summary
from .schema import SCHEMA

__all__ = ["PARAMS", "report"]

#: The keys of params.yaml the stage reads.
PARAMS = ("paper.estimator", "paper.seeds", "paper.variants", "paper.loss_level", "paper.properties.noise_type",
          "paper.properties.levels", "paper.properties.draws", "paper.properties.silent_below")


def _summary(records):
    return records.groupby("variant", sort=False).agg(
        seeds=("seed", "size"), reconstruct_all=("reconstructs_all", "sum"),
        median_final_loss=("final_loss", "median"), min_final_loss=("final_loss", "min"),
        max_final_loss=("final_loss", "max")).reset_index()


def _metrics(paper, summary, properties, batches, printed, table):
    variants = {}
    for row in summary.to_dict("records"):
        name = row["variant"]
        facts = {"reconstruct_all": int(row["reconstruct_all"]), "seeds": int(row["seeds"]),
                 "median_final_loss": round(float(row["median_final_loss"]), 6)}
        facts.update({k: round(float(v), 6) for k, v in properties.loc[name].items()
                      if not k.endswith(("_min", "_max"))})
        if "sparsity_weight" in paper["variants"][name]:
            variant = make_estimator({**paper["estimator"], **paper["variants"][name]})
            facts["sparsity_target"] = float(variant.sparsity_target)
        variants[name] = facts
    return {
        "printed_network": {"mean_loss": round(float(printed["loss"].mean()), 6),
                            "patterns_reconstructed": int(printed["reconstructed"].sum()), "patterns": len(printed)},
        "forward_pass_matches_paper": bool(table["match"].all()),
        "variants": variants,
        "batch_sizes": {f"batch{int(r['batch_size'])}": {
            "reached_loss_level": int(r["reached"]), "median_final_loss": round(float(r["median_final_loss"]), 6),
            "rising_share": round(float(r["rising_share"]), 6)}
            for r in batches.to_dict("records")},
    }


def _figures(folder, curves, records, models, printed):
    save_figure(loss_figure(curves, records), folder / "loss.png")
    plain = records[records["variant"] == PLAIN]
    best = plain.sort_values("final_loss").iloc[0]
    model = models[best["run"]]
    save_figure(network_figure(model.coefs_, model.intercepts_,
                               f"Our trained 3-4-3 network ({best['run']}, loss {best['final_loss']:.3g})"),
                folder / "network_ours.png")
    save_figure(network_figure(printed.coefs_, printed.intercepts_,
                               "The paper's trained 3-4-3 network (its printed weights)"), folder / "network_printed.png")


def report(params_file, runs_dir, data, source_file, metrics, page):
    """Write ``metrics``, the page ``page`` and its figures (beside it, under ``paper/``) from the run folder
    ``runs_dir`` of the CSV ``data``."""
    paper = load_params(params_file, PARAMS, SCHEMA)["paper"]
    X = read_data(data)
    records = read_table(runs_dir, RUNS, "paper")
    curves = read_table(runs_dir, CURVES, "paper")
    models = load_models(runs_dir, "paper")
    variants, batch_runs = (records[records["comparison"] == c] for c in (VARIANTS, BATCH_SIZES))
    summary = _summary(variants)
    properties = property_summary(variants, property_columns(paper["properties"]["levels"]), PLAIN)
    batches = batch_table(batch_runs, {name: m.loss_curve_ for name, m in models.items()}, paper["loss_level"])
    source = load_paper(source_file)
    printed = paper_model(source)
    table = forward_pass_table(printed, source)
    printed_losses = printed_loss_table(printed, X)
    write_json(metrics, _metrics(paper, summary, properties, batches, printed_losses, table))
    _figures(page.parent / "paper", curves, variants, models, printed)
    write_text(page, paper_page(paper, source, summary, variants, table, printed_losses, properties, batches))
    plain = variants[variants["variant"] == PLAIN]
    print(f"paper-report: {len(records)} runs; {int(plain['reconstructs_all'].sum())}/{len(plain)} plain seeds "
          f"reconstruct all patterns; the printed network's loss {printed_losses['loss'].mean():.4g}", flush=True)
