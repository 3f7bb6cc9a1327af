"""The paper's page: its printed network's loss beside ours, our runs of its setup, variants and batch sizes,
and its worked forward pass beside ours."""

import numpy as np
import pandas as pd

from ..grid import make_estimator
from ..markdown import fmt, markdown_table, median_range
from .grid import PLAIN
from .properties import corrupted_column

__all__ = ["paper_page"]

#: Where the gradients of every loss and penalty are checked against finite differences.
GRADIENT_TESTS = "../tests/test_network.py"


def _anchor(printed, plain):
    """The printed network's loss on the 8 patterns, beside our seeds' losses, and the assumption it supports."""
    mean = printed["loss"].mean()
    ours = plain["clean_loss"]
    inside = ours.min() <= mean <= ours.max()
    lower = int((ours < mean).sum())
    worst = printed.loc[printed["loss"].idxmax()]
    others = printed.loc[printed.index != worst.name, "loss"]
    shown = printed.assign(loss=printed["loss"].map(lambda v: f"{v:.4g}"),
                           reconstructed=printed["reconstructed"].map({True: "yes", False: "no"}))
    shown.columns = ["pattern", "loss (binary cross-entropy)", "every output rounds to its bit"]
    return f"""## The paper's one numeric target: its printed network's loss

The paper prints its trained network's weights (`sources/paper.yaml`) but not its final loss. Run on
the 8 three-bit patterns, that network has a **mean binary cross-entropy of {mean:.4f}** and reconstructs
**{int(printed['reconstructed'].sum())} of {len(printed)}** patterns:

{markdown_table(shown)}

Our {len(plain)} seeds of the paper's setup end at a clean loss (the same loss, on the same 8 patterns)
of median {ours.median():.4g}, from {ours.min():.4g} to {ours.max():.4g}; the printed network's
{mean:.4f} lies {'inside' if inside else 'outside'} that range, a range of
{np.log10(ours.max() / ours.min()):.1f} decades, which alone says little: {lower} of our {len(ours)} seeds end
lower than the printed network, which would rank {lower + 1} of {len(ours) + 1} among them.
The printed network fits one pattern far worse than the others: pattern {worst['pattern']}, loss
{worst['loss']:.3g}, {worst['loss'] / others.median():.0f} times the median of the other
{len(others)} ({others.median():.3g}); the paper does not say why.

**Assumption: the training data are all 8 three-bit patterns.** The paper says only that it trains "on
some combinations of 0 and 1 like [1, 1, 0], [0, 1, 0], etc.". Its printed network reconstructs
{int(printed['reconstructed'].sum())} of the 8 patterns, its largest loss on one pattern being
{printed['loss'].max():.3g} (pattern {printed.loc[printed['loss'].idxmax(), 'pattern']}). That is consistent
with training on all 8, and no test of it: a 3-4-3 network has more hidden units than inputs and can
learn a near-identity, which would fit patterns it never saw. A hypothesis, not evidence.
"""


def _property_table(summary, properties, paper):
    levels = paper["properties"]["levels"]
    rows = []
    for name in summary["variant"]:
        p = properties.loc[name]
        cell = lambda c, spec=".3g": median_range(p[c], p[f"{c}_min"], p[f"{c}_max"], spec)  # noqa: E731
        row = {"variant": name, "loss on the clean patterns": cell("clean_loss")}
        for level in levels:
            c = corrupted_column(level)
            row[f"loss from {level:.0%}-masked inputs"] = cell(c)
            row[f"{level:.0%}-masked: {PLAIN}'s minus this"] = fmt(p[f"{c}_margin"], ".3g")
        row["mean code activation"] = cell("mean_code_activation")
        row["near-silent code entries"] = cell("silent_share", ".0%")
        row["weight norm"] = cell("weight_norm")
        rows.append(row)
    return markdown_table(pd.DataFrame(rows))


def _defining_readings(summary, properties, paper):
    """One sentence per variant, on the property its defining parameter is meant to change."""
    plain, est = properties.loc[PLAIN], paper["estimator"]
    first = corrupted_column(paper["properties"]["levels"][0])
    lines = []
    for name in summary["variant"]:
        v, p = paper["variants"][name], properties.loc[name]
        if v.get("noise"):
            lines.append(f"- **{name}** (trained on inputs corrupted at {v['noise']}): from inputs masked at "
                         f"{paper['properties']['levels'][0]:.0%} it reconstructs the clean patterns with loss "
                         f"{p[first]:.3g} against {plain[first]:.3g} for {PLAIN} "
                         f"(margin {p[f'{first}_margin']:+.3g}; positive = better than {PLAIN}).")
        if v.get("sparsity_weight"):
            own, theirs = v.get("activation", est["activation"]), est["activation"]
            units = f" (its hidden units are {own}, {PLAIN}'s {theirs})" if own != theirs else ""
            lines.append(f"- **{name}**: mean code activation {p['mean_code_activation']:.3g} against its target "
                         f"{make_estimator({**est, **v}).sparsity_target}; near-silent code entries {p['silent_share']:.0%} "
                         f"against {plain['silent_share']:.0%} for {PLAIN}{units}.")
        if v.get("dropout") or v.get("alpha"):
            lines.append(f"- **{name}**: weight norm {p['weight_norm']:.3g} against {plain['weight_norm']:.3g} for "
                         f"{PLAIN}; clean loss {p['clean_loss']:.3g} against {plain['clean_loss']:.3g}.")
    return "\n".join(lines)


def _variants(summary, properties, paper):
    settings = paper["properties"]
    training = summary.copy()
    training.columns = ["variant", "seeds", "seeds reconstructing all 8", "training loss, median",
                        "training loss, lowest", "training loss, highest"]
    return f"""## Variants the paper names

The paper names denoising and sparse autoencoders, dropout and L2 regularisation, but gives no setting
for any of them: the settings here (`params.yaml`, `paper.variants`, each added to the paper's setup)
are **our readings**. The training loss of a variant includes its penalty (L2, sparsity) or is taken on
corrupted or dropped-out inputs, so that column compares unlike things:

{markdown_table(training, ".4g")}

Each trained model measured the same way instead (median over seeds [lowest, highest]): its loss on the
clean patterns; its reconstruction of the clean patterns from inputs masked ({settings['noise_type']},
{settings['draws']} corrupted copies of each pattern, the same copies for every model) at each level;
its mean hidden activation on the patterns; the share of (pattern, hidden unit) activations below
{settings['silent_below']} in magnitude; the norm of all its weights.

{_property_table(summary, properties, paper)}

What each variant's defining parameter is meant to change:

{_defining_readings(summary, properties, paper)}
"""


def _batch_sizes(batches, paper, n_patterns):
    n = paper["seeds"]
    shown = pd.DataFrame({
        "batch size": batches["batch_size"], "seeds": batches["seeds"],
        "updates per epoch": -(-n_patterns // batches["batch_size"]),
        "seconds per epoch (a stack of the seeds)": batches["seconds_per_epoch"].map(lambda v: f"{v:.2g}"),
        f"seeds reaching loss {paper['loss_level']}": batches["reached"],
        "epochs to reach it (median)": batches["epochs_to_level"],
        "seconds to reach it (median)": batches["seconds_to_level"].map(lambda v: fmt(v, ".2g")),
        "epochs where the loss rose (median)": batches["rising_share"].map(lambda v: fmt(v, ".0%")),
        "final loss, median [lowest, highest]": [median_range(*r) for r in zip(
            batches["median_final_loss"], batches["min_final_loss"], batches["max_final_loss"])]})
    return f"""## Batch sizes: the paper's comparison, measured

The paper tabulates stochastic (one sample per update), mini-batch and batch gradient descent (speed per
epoch, memory, noisy or smooth convergence) and uses the first. Here its setup at each batch size of
`paper.batch_sizes` ({len(n)} seeds each, {paper['estimator']['max_iter']} epochs, learning rate
{paper['estimator']['learning_rate_init']}; {n_patterns} is the whole set of {n_patterns} patterns). At one learning rate and
one number of epochs a larger batch makes fewer updates, each the mean gradient of more patterns. The seconds are this run's wall clock
(the seeds of one batch size trained together as one stack, in one process), so they vary from machine
to machine and run to run; the other columns do not.

{markdown_table(shown, ".4g")}
"""


def paper_page(paper, source, summary, variants, table, printed, properties, batches):
    """The page, markdown.

    Parameters
    ----------
    paper : dict
        The ``paper`` block of ``params.yaml``.
    source : dict
        ``sources/paper.yaml`` (:func:`aerepro.paper.analysis.load_paper`).
    summary : DataFrame
        One row per variant: seeds, runs reconstructing all patterns, final-loss median and range.
    variants : DataFrame
        The variant runs' rows of ``runs.csv``, with their measured properties.
    table : DataFrame
        :func:`aerepro.paper.analysis.forward_pass_table`.
    printed : DataFrame
        :func:`aerepro.paper.analysis.printed_loss_table`.
    properties : DataFrame
        :func:`aerepro.paper.properties.property_summary` of ``variants``.
    batches : DataFrame
        :func:`aerepro.paper.batches.batch_table`.
    """
    est = paper["estimator"]
    plain = variants[variants["variant"] == PLAIN]
    plain_all = int(plain["reconstructs_all"].sum())
    shown = table.assign(ours=table["ours"].map(lambda v: f"{v:.9g}"), paper=table["paper"].map(lambda v: f"{v:.9g}"),
                         match=table["match"].map({True: "yes", False: "NO"}))
    return f"""# The paper's experiment: a 3-4-3 autoencoder

Generated by `dvc repro` (stage `paper`) from `params.yaml` (block `paper`) and
`sources/paper.yaml` (the paper's printed numbers, typed in once).

The network: 3 inputs, 4 leaky-ReLU hidden units (slope {source['network']['leaky_relu_slope']}), 3 sigmoid outputs,
binary cross-entropy, SGD with one sample per update, learning rate {est['learning_rate_init']},
{est['max_iter']} epochs, on the 8 three-bit patterns; {len(paper['seeds'])} seeds per variant
(the paper reports one run and does not give its initialisation; ours is `{est['init']}`).

**{plain_all} of {len(plain)} seeds** of the paper's setup reconstruct all 8 patterns (every output rounded
to the right bit); final losses range from {plain['final_loss'].min():.3g} to {plain['final_loss'].max():.3g}.

{_anchor(printed, plain)}
## Loss over epochs

![loss](paper/loss.png)

*Training loss (binary cross-entropy, mean over the epoch's samples; log axis) against epoch for every seed of
every variant: a line per seed, a colour per variant.*

{_variants(summary, properties, paper)}
{_batch_sizes(batches, paper, len(printed))}
## The trained network

![ours](paper/network_ours.png)

*Our plain seed with the lowest final loss: nodes by layer, each edge coloured and sized by its weight (blue
negative, red positive) and labelled with it; each node's bias beside it.*

![printed](paper/network_printed.png)

*The paper's printed network, drawn the same way from the weights in `sources/paper.yaml`.*

## The worked forward pass for [1, 0, 1]

Computed by `AutoEncoder` holding the paper's printed weights, beside the paper's printed values;
"match" means equal to 6 significant digits. **The printed matrices are transposed against the paper's formula.**
The paper writes z = W·input + b, but prints W(1) as 3 x 4 (inputs x hidden) and W(2) as 4 x 3, which
that product cannot take. We read them as input·W + b (rows the layer's inputs, as `AutoEncoder.coefs_`
holds them), the reading under which every printed value below is reproduced.

{markdown_table(shown, ".6g")}

All {int(table['match'].sum())} of {len(table)} values match to 6 significant digits.

The paper says the working of its backpropagation "is verified empirically". Ours is checked by tests:
[`tests/test_network.py`]({GRADIENT_TESTS}) compares every gradient (each loss, activation and depth, the
L2 term, the sparsity penalty) with central finite differences
(`test_gradient_matches_central_differences`, `test_sparsity_penalty_gradient_matches_central_differences`).
"""
