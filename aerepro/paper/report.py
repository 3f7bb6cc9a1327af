"""Stage `paper-report`: the paper's page, metrics and figures, from the `paper` stage's run folder.

Summarises the runs per variant (each against the paper's own setup, seed
by seed) and per batch size (at equal epochs and at equal updates), reads
the runs trained with one pattern left out on that pattern, runs the
paper's printed network on the patterns (its loss, the one number the
paper's training gives) and its worked forward pass, and writes the
metrics, the figures and ``report/paper.md``. Trains nothing: a prose edit
reruns only this stage.
"""

import math

import pandas as pd

from ..figures import save_figure
from ..io import write_json, write_text
from ..params import load_params
from ..runs import CURVES, RUNS, load_models, read_data, read_table
from .analysis import forward_pass_table, load_paper, paper_model, printed_loss_table
from .batches import batch_table, updates_per_epoch
from .effects import effect_table
from .figures import loss_figure, network_figure
from .grid import BATCH_SIZES, EQUAL_UPDATES, LEAVE_ONE_OUT, PLAIN, VARIANTS, subset_variant
from .noise import noise_summary
from .page import paper_page
from .properties import property_columns, property_summary
from .schema import SCHEMA
from .subsets import left_out_frame, left_out_summary, pattern_losses, pattern_names, worst_ratio

__all__ = ["PARAMS", "report"]

#: The keys of params.yaml the stage reads.
PARAMS = ("paper.estimator", "paper.seeds", "paper.variants", "paper.loss_level", "paper.noise.epochs",
          "paper.properties.noise_type", "paper.properties.levels", "paper.properties.draws",
          "paper.properties.silent_below")

#: Decimals of the numbers in the metrics file.
DIGITS = 6


def _summary(records):
    return records.groupby("variant", sort=False).agg(
        seeds=("seed", "size"), reconstruct_all=("reconstructs_all", "sum"),
        median_final_loss=("final_loss", "median"), min_final_loss=("final_loss", "min"),
        max_final_loss=("final_loss", "max")).reset_index()


def _interval(median, low, high):
    """An interval as metrics: ``{median, low, high}``, rounded; an undefined end (too few values) is null."""
    return {k: None if math.isnan(v) else round(float(v), DIGITS)
            for k, v in (("median", median), ("low", low), ("high", high))}


def _effects(effects, variant):
    """``<column>_minus_plain`` -> :func:`_interval` of a variant's paired effects."""
    rows = effects[effects["variant"] == variant]
    return {f"{r['column']}_minus_{PLAIN}": _interval(r["median"], r["low"], r["high"]) for r in rows.to_dict("records")}


def _metrics(paper, summary, properties, effects, batches, printed, table, extra):
    variants = {}
    for row in summary.to_dict("records"):
        name = row["variant"]
        # the headline of a variant: how many seeds reconstruct, and its paired effects on each property with
        # their intervals; each property's own value per variant is the page's table
        facts = {"reconstruct_all": int(row["reconstruct_all"]),
                 "median_final_loss": round(float(row["median_final_loss"]), DIGITS)}
        facts.update(_effects(effects, name))
        variants[name] = facts
    return {
        "printed_network": {"mean_loss": round(float(printed["loss"].mean()), 6),
                            "patterns_reconstructed": int(printed["reconstructed"].sum()), "patterns": len(printed)},
        "forward_pass_matches_paper": bool(table["match"].all()),
        "variants": variants,
        "batch_sizes": {f"batch{int(r['batch_size'])}": {
            "reached_loss_level": int(r["reached"]), "median_final_loss": round(float(r["median_final_loss"]), DIGITS)}
            for r in batches.to_dict("records")},
        **extra,
    }


def _equal_updates_metrics(equal, equal_effects):
    """Per batch size at the paper's number of updates: updates, seeds reaching the level, final loss against batch 1's."""
    out = {}
    for r in equal.to_dict("records"):
        facts = {"reached_loss_level": int(r["reached"])}
        effect = equal_effects[equal_effects["batch_size"] == r["batch_size"]]
        if len(effect):
            e = effect.iloc[0]
            facts[f"final_loss_minus_{PLAIN}"] = _interval(e["median"], e["low"], e["high"])
        out[f"batch{int(r['batch_size'])}"] = facts
    return out


def _left_out_metrics(left):
    """The leave-one-out headline as metrics: left-out patterns reconstructed, and the left-out minus trained-on
    loss with its interval over seeds (null when too few); the page holds the rest."""
    return {"runs": left["runs"], "left_out_reconstructed": left["reconstructed"],
            "difference": _interval(*left["difference"][:3])}


def _noise_metrics(noise):
    """Per batch size: the share of probed updates after which the loss on all patterns rose, and runs with any."""
    return {f"batch{int(r['batch_size'])}": {"runs_with_a_rise": int(r["rising_runs"]),
                                             "rising_updates": int(r["rising_updates"])}
            for r in noise.to_dict("records")}


def _final_loss_effects(records):
    """Each batch size's final loss minus the paper's setup's (batch 1), seed by seed, at equal updates."""
    effects = effect_table(records, ["final_loss"], PLAIN)
    sizes = records.drop_duplicates("variant").set_index("variant")["batch_size"]
    return effects.assign(batch_size=effects["variant"].map(sizes))


def _left_out(subset_runs, plain, models, X, printed_losses):
    """:func:`~aerepro.paper.subsets.left_out_summary` of the leave-one-out runs, against the plain runs."""
    pattern_of = {subset_variant(p): p for p in pattern_names(X)}
    trained = {seed: models[run] for seed, run in zip(plain["seed"], plain["run"])}
    frame = left_out_frame(subset_runs.assign(pattern=subset_runs["variant"].map(pattern_of)), models, X, trained)
    ratios = [worst_ratio(pattern_losses(model, X)) for model in trained.values()]
    fits = dict(zip(plain["seed"], plain["reconstructs_all"].astype(bool)))
    return left_out_summary(frame, printed_losses["loss"], ratios, patterns=printed_losses["pattern"],
                            trained_reconstructs=fits)


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
    variants, batch_runs, equal_runs, subset_runs = (records[records["comparison"] == c]
                                                     for c in (VARIANTS, BATCH_SIZES, EQUAL_UPDATES, LEAVE_ONE_OUT))
    summary = _summary(variants)
    columns = property_columns(paper["properties"]["levels"])
    properties = property_summary(variants, columns)
    effects = effect_table(variants, columns, PLAIN)
    curves_of = {name: m.loss_curve_ for name, m in models.items()}
    batches = batch_table(batch_runs, curves_of, paper["loss_level"], len(X))
    plain = variants[variants["variant"] == PLAIN]
    equal_records = pd.concat([plain, equal_runs])
    equal = batch_table(equal_records, curves_of, paper["loss_level"], len(X))
    equal_effects = _final_loss_effects(equal_records)
    noise = noise_summary(batch_runs, {b: paper["noise"]["epochs"] * updates_per_epoch(len(X), b)
                                       for b in batch_runs["batch_size"].unique()})
    source = load_paper(source_file)
    printed = paper_model(source)
    table = forward_pass_table(printed, source)
    printed_losses = printed_loss_table(printed, X)
    left = _left_out(subset_runs, plain, models, X, printed_losses)
    extra = {"equal_updates": _equal_updates_metrics(equal, equal_effects), "update_noise": _noise_metrics(noise),
             "leave_one_out": _left_out_metrics(left)}
    write_json(metrics, _metrics(paper, summary, properties, effects, batches, printed_losses, table, extra))
    _figures(page.parent / "paper", curves, variants, models, printed)
    write_text(page, paper_page(paper, source, summary, variants, table, printed_losses, properties, batches,
                                effects=effects, equal=equal, equal_effects=equal_effects, noise=noise, left=left))
    print(f"paper-report: {len(records)} runs; {int(plain['reconstructs_all'].sum())}/{len(plain)} plain seeds "
          f"reconstruct all patterns; the printed network's loss {printed_losses['loss'].mean():.4g}", flush=True)
