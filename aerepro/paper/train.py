"""Stage `paper`: the paper's 3-4-3 experiment, its variants, its batch sizes, and its worked example.

Trains the paper's network on the 8 three-bit patterns for every seed and
variant, and for every seed at each batch size (with :func:`ae.fit_many`;
the batch sizes in a call of their own, so each is one stack of its seeds
and its clock is its own). Measures every model by what defines its variant
(:mod:`aerepro.paper.properties`), runs the paper's printed network on the
patterns (its loss, the one number the paper's training gives), and writes
the run folder (:mod:`aerepro.runs`), metrics, figures and the page.
"""

import warnings

import pandas as pd
from sklearn.exceptions import ConvergenceWarning

from ae import fit_many

from ..cluster import training_jobs
from ..figures import save_figure
from ..grid import make_estimator
from ..io import write_json, write_text
from ..params import load_params
from ..runs import read_data, write_run_folder
from .analysis import forward_pass_table, load_paper, paper_model, printed_loss_table
from .batches import batch_table
from .figures import loss_figure, network_figure
from .grid import BATCH_SIZES, PLAIN, VARIANTS, expand_batches, expand_paper
from .page import paper_page
from .properties import corrupted_copies, property_summary, run_properties

__all__ = ["train"]


def _fit(runs, X):
    models = [run.estimator() for run in runs]
    with training_jobs(1) as n_jobs, warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # a fixed number of epochs, by design
        fit_many(models, X, n_jobs=n_jobs, verbose=1, names=[r.name for r in runs])
    return models


def _summary(records):
    return records.groupby("variant", sort=False).agg(
        seeds=("seed", "size"), reconstruct_all=("reconstructs_all", "sum"),
        median_final_loss=("final_loss", "median"), min_final_loss=("final_loss", "min"),
        max_final_loss=("final_loss", "max")).reset_index()


def _properties(models, X, settings):
    """Column -> one value per model, of :func:`~aerepro.paper.properties.run_properties`."""
    corruptions = {level: corrupted_copies(X, level, settings["noise_type"], settings["draws"], settings["seed"])
                   for level in settings["levels"]}
    rows = pd.DataFrame([run_properties(m, X, corruptions, settings["silent_below"]) for m in models])
    return {c: rows[c].tolist() for c in rows.columns}


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


def train(params_file, data, source_file, out, metrics, report):
    """Train the paper's runs on the CSV ``data``; write ``out``, ``metrics`` and the page and figures under ``report``."""
    params = load_params(params_file)
    paper = params["paper"]
    X = read_data(data)
    variant_runs, batch_runs = expand_paper(paper), expand_batches(paper)
    models = _fit(variant_runs, X) + _fit(batch_runs, X)
    runs = variant_runs + batch_runs
    correct = [int((m.predict(X).round() == X).all(axis=1).sum()) for m in models]
    measured = _properties(models, X, paper["properties"])
    records, curves = write_run_folder(out, runs, models, lambda run: X, params["train"]["curve_points"],
                                       patterns_reconstructed=correct, **measured)
    variants, batch_runs = (records[records["comparison"] == c] for c in (VARIANTS, BATCH_SIZES))
    summary = _summary(variants)
    properties = property_summary(variants, list(measured), PLAIN)
    batches = batch_table(batch_runs, {r.name: m.loss_curve_ for r, m in zip(runs, models)}, paper["loss_level"])
    source = load_paper(source_file)
    printed = paper_model(source)
    table = forward_pass_table(printed, source)
    printed_losses = printed_loss_table(printed, X)
    write_json(metrics, _metrics(paper, summary, properties, batches, printed_losses, table))
    _figures(report / "paper", curves, variants, dict(zip([r.name for r in runs], models)), printed)
    write_text(report / "paper.md", paper_page(paper, source, summary, variants, table, printed_losses, properties,
                                               batches))
    plain = variants[variants["variant"] == PLAIN]
    print(f"paper: {len(models)} runs; {int(plain['reconstructs_all'].sum())}/{len(plain)} plain seeds "
          f"reconstruct all patterns; the printed network's loss {printed_losses['loss'].mean():.4g}", flush=True)
