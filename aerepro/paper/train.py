"""Stage `paper`: the paper's 3-4-3 experiment, its variants, and its worked example.

Trains the paper's network on the 8 three-bit patterns for every seed and
variant (with :func:`ae.fit_many`), and writes the run folder
(:mod:`aerepro.runs`), metrics, figures and the page: the loss curve, our
trained network drawn as the paper draws its own, and the worked forward
pass for [1, 0, 1] from the paper's printed weights beside its numbers.
"""

import warnings

import pandas as pd
from sklearn.exceptions import ConvergenceWarning

from ae import fit_many

from ..cluster import training_jobs
from ..figures import save_figure
from ..io import write_json, write_text
from ..params import load_params
from ..runs import write_run_folder
from .analysis import forward_pass_table, load_paper, paper_model
from .figures import loss_figure, network_figure
from .grid import expand_paper
from .page import paper_page

__all__ = ["train"]


def _summary(records):
    return records.groupby("variant", sort=False).agg(
        seeds=("seed", "size"), reconstruct_all=("reconstructs_all", "sum"),
        median_final_loss=("final_loss", "median"), min_final_loss=("final_loss", "min"),
        max_final_loss=("final_loss", "max")).reset_index()


def _metrics(summary, table):
    return {
        "variants": {r["variant"]: {"reconstruct_all": int(r["reconstruct_all"]), "seeds": int(r["seeds"]),
                                    "median_final_loss": float(r["median_final_loss"])}
                     for r in summary.to_dict("records")},
        "forward_pass_matches_paper": bool(table["match"].all()),
    }


def train(params_file, data, source_file, out, metrics, report):
    """Train the paper's runs on the CSV ``data``; write ``out``, ``metrics`` and the page and figures under ``report``."""
    params = load_params(params_file)
    paper = params["paper"]
    X = pd.read_csv(data).to_numpy(dtype=float)
    runs = expand_paper(paper)
    models = [run.estimator() for run in runs]
    with training_jobs(1) as n_jobs, warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # a fixed number of epochs, by design
        fit_many(models, X, n_jobs=n_jobs, verbose=1, names=[r.name for r in runs])
    correct = [int((m.predict(X).round() == X).all(axis=1).sum()) for m in models]
    records, curves = write_run_folder(out, runs, models, lambda run: X, params["train"]["curve_points"],
                                       patterns_reconstructed=correct)
    summary = _summary(records)
    source = load_paper(source_file)
    printed = paper_model(source)
    table = forward_pass_table(printed, source)
    write_json(metrics, _metrics(summary, table))

    figures = report / "paper"
    save_figure(loss_figure(curves, records), figures / "loss.png")
    plain = records[records["variant"] == "plain"]
    best = plain.sort_values("final_loss").iloc[0]
    model = dict(zip([r.name for r in runs], models))[best["run"]]
    save_figure(network_figure(model.coefs_, model.intercepts_,
                               f"Our trained 3-4-3 network ({best['run']}, loss {best['final_loss']:.3g})"),
                figures / "network_ours.png")
    save_figure(network_figure(printed.coefs_, printed.intercepts_,
                               "The paper's trained 3-4-3 network (its printed weights)"), figures / "network_printed.png")
    write_text(report / "paper.md", paper_page(paper, source, summary, plain, table))
    print(f"paper: {len(models)} runs; {int(plain['reconstructs_all'].sum())}/{len(plain)} plain seeds "
          "reconstruct all patterns", flush=True)
