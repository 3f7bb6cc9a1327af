"""Stage `paper`: the paper's 3-4-3 experiment, its variants, and its worked example.

Trains the paper's network on the 8 three-bit patterns for every seed and
variant (with `ae.fit_many`), and writes the run tables (same layout as the
blog's runs, for `track`), metrics, figures and `report/paper.md`: the loss
curve, our trained network drawn as the paper draws its own, and the worked
forward pass for [1, 0, 1] from the paper's printed weights beside its numbers.
"""

import argparse
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning

from ae import AutoEncoder, fit_many
from ae.io import downsample_curve, write_csv, write_joblib, write_json, write_text
from ae.paper import forward_pass_table, load_paper, network_figure, paper_model
from ae.params import load_params, main_guard
from ae.plots import plt, save_figure
from ae.report import markdown_table


def loss_figure(curves, runs):
    fig, ax = plt.subplots(figsize=(7, 4))
    for variant, group in runs.groupby("variant", sort=False):
        for k, name in enumerate(group["run"]):
            c = curves[curves["run"] == name]
            ax.plot(c["epoch"], c["loss"], lw=0.8, alpha=0.7, color=f"C{list(runs['variant'].unique()).index(variant)}",
                    label=variant if k == 0 else None)
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss (binary cross-entropy, epoch mean)")
    ax.set_title("3-4-3 on the 8 three-bit patterns: loss over epochs (one line per seed)")
    ax.legend(title="variant")
    ax.grid(True, alpha=0.3)
    return fig


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--source", type=Path, required=True, help="sources/paper.yaml")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--metrics", type=Path, required=True)
    parser.add_argument("--report", type=Path, required=True, help="report folder")
    args = parser.parse_args()
    params = load_params(args.params)["paper"]
    X = pd.read_csv(args.data).to_numpy(dtype=float)
    grid = [(v, s) for v in params["variants"] for s in params["seeds"]]
    names = [f"paper/{v}/seed{s}" for v, s in grid]
    base = {**params["estimator"], "hidden_layer_sizes": tuple(params["estimator"]["hidden_layer_sizes"])}
    models = [AutoEncoder(**{**base, **params["variants"][v], "random_state": s}) for v, s in grid]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # fixed 2,000 epochs by design
        fit_many(models, X, n_jobs=1, verbose=1, names=names)

    rows, curves, codes = [], [], []
    for (variant, seed), name, m in zip(grid, names, models):
        correct = (m.predict(X).round() == X).all(axis=1)
        rows.append({"run": name, "experiment": "paper", "variant": variant, "seed": seed,
                     "final_loss": float(m.loss_curve_[-1]), "epochs": m.n_iter_, "stop_reason": m.stop_reason_,
                     "train_seconds": m.train_seconds_ / m.stack_size_, "patterns_reconstructed": int(correct.sum()),
                     "reconstructs_all": bool(correct.all())})
        epochs, losses = downsample_curve(m.loss_curve_, 1000)
        curves.append(pd.DataFrame({"run": name, "epoch": epochs, "loss": losses}))
        H = m.transform(X)
        codes.append(pd.DataFrame({"run": name, "input": np.repeat(np.arange(len(X)), H.shape[1]),
                                   "unit": np.tile(np.arange(H.shape[1]), len(X)), "value": H.ravel()}))
    runs, curves = pd.DataFrame(rows), pd.concat(curves, ignore_index=True)
    write_csv(args.out / "runs.csv", runs)
    write_csv(args.out / "curves.csv", curves)
    write_csv(args.out / "codes.csv", pd.concat(codes, ignore_index=True))
    write_joblib(args.out / "models.joblib", dict(zip(names, models)))

    summary = runs.groupby("variant", sort=False).agg(
        seeds=("seed", "size"), reconstruct_all=("reconstructs_all", "sum"),
        median_final_loss=("final_loss", "median"), min_final_loss=("final_loss", "min"),
        max_final_loss=("final_loss", "max")).reset_index()
    source = load_paper(args.source)
    printed = paper_model(source)
    table = forward_pass_table(printed, source)
    write_json(args.metrics, {
        "variants": {r["variant"]: {"reconstruct_all": int(r["reconstruct_all"]), "seeds": int(r["seeds"]),
                                    "median_final_loss": float(r["median_final_loss"])}
                     for r in summary.to_dict("records")},
        "forward_pass_matches_paper": bool(table["match"].all()),
    })

    figures = args.report / "paper"
    save_figure(loss_figure(curves, runs), figures / "loss.png")
    plain = runs[runs["variant"] == "plain"]
    best = plain.sort_values("final_loss").iloc[0]
    m = dict(zip(names, models))[best["run"]]
    save_figure(network_figure(m.coefs_, m.intercepts_, f"Our trained 3-4-3 network ({best['run']}, loss {best['final_loss']:.3g})"),
                figures / "network_ours.png")
    save_figure(network_figure(printed.coefs_, printed.intercepts_, "The paper's trained 3-4-3 network (its printed weights)"),
                figures / "network_printed.png")
    plain_all = int(plain["reconstructs_all"].sum())
    shown = table.assign(ours=table["ours"].map(lambda v: f"{v:.9g}"), paper=table["paper"].map(lambda v: f"{v:.9g}"),
                         match=table["match"].map({True: "yes", False: "NO"}))
    text = f"""# The paper's experiment: a 3-4-3 autoencoder

Generated by `dvc repro` (stage `paper`) from `params.yaml` (block `paper`) and
`sources/paper.yaml` (the paper's printed numbers, typed in once).

The network: 3 inputs, 4 leaky-ReLU hidden units (slope {source['network']['leaky_relu_slope']}), 3 sigmoid outputs,
binary cross-entropy, SGD with one sample per update, learning rate {params['estimator']['learning_rate_init']},
{params['estimator']['max_iter']} epochs, on the 8 three-bit patterns; {len(params['seeds'])} seeds per variant
(the paper reports one run and does not give its initialisation; ours is `{params['estimator']['init']}`).

**{plain_all} of {len(plain)} seeds** of the paper's setup reconstruct all 8 patterns (every output rounded
to the right bit); final losses range from {plain['final_loss'].min():.3g} to {plain['final_loss'].max():.3g}.

## Loss over epochs

![loss](paper/loss.png)

## Variants the paper names

Each adds its parameters to the paper's setup (`params.yaml`, `paper.variants`).

{markdown_table(summary, ".4g")}

## The trained network

![ours](paper/network_ours.png)

![printed](paper/network_printed.png)

## The worked forward pass for [1, 0, 1]

Computed by `AutoEncoder` holding the paper's printed weights, beside the paper's printed values;
"match" means equal to 6 significant digits.

{markdown_table(shown, ".6g")}

All {int(table['match'].sum())} of {len(table)} values match to 6 significant digits.
"""
    write_text(args.report / "paper.md", text)
    print(f"paper: {len(models)} runs; {plain_all}/{len(plain)} plain seeds reconstruct all patterns", flush=True)


if __name__ == "__main__":
    main_guard(main)
