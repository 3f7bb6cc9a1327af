"""The paper's page: its printed network's loss beside ours, its setup trained with a pattern left out, our
runs of its setup, variants (against it, seed by seed) and batch sizes (at equal epochs and equal updates),
and its worked forward pass beside ours."""

import math
from fractions import Fraction

import numpy as np
import pandas as pd

from ..grid import make_estimator
from ..intervals import LEVEL, median_interval
from ..markdown import fmt, markdown_table, median_range
from .batches import updates_per_epoch
from .grid import PLAIN
from .properties import corrupted_column

__all__ = ["paper_page"]

#: Where the gradients of every loss and penalty are checked against finite differences.
GRADIENT_TESTS = "../tests/test_network.py"


def _headline(plain):
    """How many seeds reconstruct all 8, and their final losses: the training loss and the clean loss, each named."""
    return f"""**{int(plain['reconstructs_all'].sum())} of {len(plain)} seeds** of the paper's setup reconstruct all 8 patterns
(every output rounded to the right bit); final training losses (the last epoch's mean, each sample's loss taken
before its update) range from {plain['final_loss'].min():.3g} to {plain['final_loss'].max():.3g}; the clean loss of the trained
models (below) from {plain['clean_loss'].min():.4g} to {plain['clean_loss'].max():.4g}."""


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

Our {len(plain)} seeds of the paper's setup end at a clean loss (the same loss, on the same 8 patterns, of the
trained model; not the training loss of the headline, the last epoch's mean taken before each update)
of median {ours.median():.4g}, from {ours.min():.4g} to {ours.max():.4g}; the printed network's
{mean:.4f} lies {'inside' if inside else 'outside'} that range, a range of
{np.log10(ours.max() / ours.min()):.1f} decades, which alone says little: {lower} of our {len(ours)} seeds end
lower than the printed network, which would rank {lower + 1} of {len(ours) + 1} among them.
The printed network fits one pattern far worse than the others: pattern {worst['pattern']}, loss
{worst['loss']:.3g}, {worst['loss'] / others.median():.0f} times the median of the other
{len(others)} ({others.median():.3g}); the paper does not say why.
"""


def _typical(share_above):
    """How central a value is in a group, from the share of the group above it: 0.5 at its median, 0 at an end."""
    return min(share_above, 1 - share_above)


def _closer(left_share_above, trained_share_above):
    """Which group a value is more typical of, from the share of each above it: ``"neither"`` on a tie."""
    left, trained = _typical(left_share_above), _typical(trained_share_above)
    if math.isclose(left, trained, rel_tol=0, abs_tol=1e-12):  # 1 - 9/40 against 9/40 in floating point
        return "neither"
    return "left-out" if left > trained else "trained-on"


def _typical_of(kind):
    """A reading of :func:`_closer` in words."""
    return ("as typical of either kind (a tie), so that reading cannot tell" if kind == "neither" else
            f"more typical of a **{kind}** pattern")


def _fewest_for_interval(level=LEVEL):
    """The fewest values for which :func:`~aerepro.intervals.median_interval` gives an interval at ``level``."""
    n = 1
    while np.isnan(median_interval(np.arange(float(n)), level)[1]):
        n += 1
    return n


def _over_seeds(values, spec=".3g"):
    """``(median, low, high, lowest, highest)`` over seeds in words: the interval, or n/a with its reason."""
    median, low, high, lowest, highest = values
    spread = f"seeds' medians {fmt(lowest, spec)} to {fmt(highest, spec)}"
    if np.isnan(low):
        return f"{fmt(median, spec)} ({spread}; interval n/a)"
    return f"{median_range(median, low, high, spec)} ({spread})"


def _verdict(left):
    """What the like-for-like reading and the ratio reading say together (the pooled one is context only)."""
    _, by_pattern, by_ratio = _readings(left)
    if by_pattern == by_ratio != "neither":
        return (f"Both readings make it look like a {by_pattern} pattern, but the printed network is one run and "
                f"ours of pattern {left['worst_pattern']} are {left['pattern_runs']} of each kind: a hypothesis, "
                "not a decision.")
    why = ("The like-for-like reading and the ratio reading disagree" if "neither" not in (by_pattern, by_ratio) else
           "One of the like-for-like and ratio readings cannot tell")
    return f"{why}, so these data cannot decide whether the paper left a pattern out."


def _failed_note(left, plain):
    """The leave-one-out seeds whose run on all the patterns failed: their differences are against a failed fit."""
    failed = left["failed_seeds"]
    if not failed:
        return (f"Every one of the {left['seeds']} seeds' runs trained on all 8 reconstructs all 8, so each "
                "difference is against a working fit.")
    loss = plain.set_index("seed")["clean_loss"]
    named = ", ".join(f"seed {s} (clean loss {loss.loc[s]:.3g})" for s in failed)
    rest = left["seeds"] - len(failed)
    tail = (f"; over the other {rest} seeds, left out minus trained: median {_over_seeds(left['difference_fitted'])}"
            if rest else "")
    return (f"{len(failed)} of these {left['seeds']} seeds' runs trained on all 8 "
            f"{'fails' if len(failed) == 1 else 'fail'} to reconstruct all 8: {named}, "
            f"so {'its' if len(failed) == 1 else 'their'} left-out-minus-trained differences are against a failed "
            f"fit{tail}.")


def _left_out(left, printed, plain):
    """The subset argument tested: the leave-one-out runs on the pattern they never saw, and the printed network's worst."""
    m, worst = left["runs"], left["worst_pattern"]
    by_loss, by_pattern, by_ratio = _readings(left)
    n, below, above = left["pattern_runs"], left["pattern_left_out_below"], left["pattern_trained_above"]
    lowest, highest = left["pattern_left_out_range"]
    fewest = _fewest_for_interval()
    interval = (f"with {left['seeds']} seeds the {LEVEL:.0%} interval of a median is n/a (the sign test needs at "
                f"least {fewest} values)" if np.isnan(left["left_out_loss"][1]) else
                f"brackets are the {LEVEL:.0%} interval of the median over seeds")
    return f"""## A pattern left out of training: the subset argument tested

The paper says only that it trains "on some combinations of 0 and 1 like [1, 1, 0], [0, 1, 0], etc.".
A 3-4-3 network has more hidden units than inputs, so it might learn a near-identity and reconstruct
patterns it never saw; then a good fit of all 8 would not show that all 8 were trained on. Tested: the
paper's setup trained on 7 of the 8 patterns, each pattern left out in turn, over our first {left['seeds']} seeds
(`paper.leave_one_out`; fewer than all {left['trained_runs']} because each left-out set trains as a stack of
its own), {m} runs. Losses are binary cross-entropy on one pattern (mean over its 3 outputs). The runs of one
seed start from the same weights, so the independent units are the {left['seeds']} seeds, not the {m} runs: each
figure below is the median over seeds of each seed's median over its runs; {interval}.

- A network trained without pattern p reconstructs p (every output rounded to its bit) in
  **{left['reconstructed']} of {m} runs**.
- Its loss on p: median {_over_seeds(left['left_out_loss'])}; on the 7 patterns it trained on (mean per run): median
  {_over_seeds(left['in_sample_loss'])}.
- The same pattern in the run of the same seed trained on all 8: median {_over_seeds(left['trained_loss'])}; left out
  minus trained, same seed and pattern: median {_over_seeds(left['difference'])}.
- {_failed_note(left, plain)}

The printed network's worst pattern, {worst} (loss {left['printed_worst']:.3g}), read against these. Like for like,
against our runs on pattern {worst} alone (one per seed of each kind): {n - below} of the {n} losses on {worst} of runs
trained without it are above {left['printed_worst']:.3g} (they range from {lowest:.3g} to {highest:.3g}), and {above} of the
{n} losses on {worst} of runs trained on all 8 are above it, so it is {_typical_of(by_pattern)}. Pooled over
every pattern (which sets {worst} beside other patterns' losses), {left['left_out_below_printed']} of the
{m} left-out losses are below it and {left['trained_above_printed']} of the {m} trained losses of the same patterns
are above it: {_typical_of(by_loss)}. By its loss over the median of the printed
network's other 7 ({left['printed_ratio']:.0f} times), {left['left_out_ratio_above']} of the {m} left-out patterns
stand out more from their runs' other 7, and {left['trained_ratio_above']} of our {left['trained_runs']} runs trained on all 8
have a worst pattern standing out more, so by that reading it is {_typical_of(by_ratio)}. {_verdict(left)}

**Assumption: the training data are all 8 three-bit patterns.** The paper's printed network reconstructs
{int(printed['reconstructed'].sum())} of the 8 patterns; trained without one, its setup reconstructs that one in
{left['reconstructed']} of {m} runs, so reconstructing all 8 does not show that all 8 were trained on. We train on
all 8, as the paper's wording suggests: an assumption, which the printed network's fit neither confirms nor rules out.
"""


def _effect(effects, variant, column, spec=".3g"):
    """A variant's paired effect on ``column`` in words: its median, interval and whether that excludes 0."""
    e = effects[(effects["variant"] == variant) & (effects["column"] == column)].iloc[0]
    if pd.isna(e["low"]):
        return f"median {fmt(e['median'], spec)} (interval n/a: {e['pairs']} pairs are too few)"
    return (f"median {median_range(e['median'], e['low'], e['high'], spec)}, an interval that "
            f"{'excludes' if e['excludes_zero'] else 'includes'} 0")


def _effect_table(effects, paper):
    """Variant minus plain, same seed: one row per variant, one column per measure; bold where the interval excludes 0."""
    names = {"clean_loss": ("loss on the clean patterns", ".3g"),
             **{corrupted_column(level): (f"loss from {level:.0%}-masked inputs", ".3g")
                for level in paper["properties"]["levels"]},
             "mean_code_activation": ("mean code activation", ".3g"), "silent_share": ("near-silent code entries", ".0%"),
             "weight_norm": ("weight norm", ".3g")}
    rows = []
    for variant, group in effects.groupby("variant", sort=False):
        row = {"variant": variant, "pairs (seeds)": int(group["pairs"].iloc[0])}
        for e in group.to_dict("records"):
            label, spec = names[e["column"]]
            text = median_range(e["median"], e["low"], e["high"], spec)
            row[label] = f"**{text}**" if e["excludes_zero"] else text
        rows.append(row)
    return markdown_table(pd.DataFrame(rows))


def _property_table(summary, properties, paper):
    levels = paper["properties"]["levels"]
    rows = []
    for name in summary["variant"]:
        p = properties.loc[name]
        cell = lambda c, spec=".3g": median_range(p[c], p[f"{c}_min"], p[f"{c}_max"], spec)  # noqa: E731
        row = {"variant": name, "loss on the clean patterns": cell("clean_loss")}
        for level in levels:
            row[f"loss from {level:.0%}-masked inputs"] = cell(corrupted_column(level))
        row["mean code activation"] = cell("mean_code_activation")
        row["near-silent code entries"] = cell("silent_share", ".0%")
        row["weight norm"] = cell("weight_norm")
        rows.append(row)
    return markdown_table(pd.DataFrame(rows))


def _defining_readings(summary, properties, effects, paper):
    """One sentence per variant, on the property its defining parameter is meant to change, as a paired effect."""
    est = paper["estimator"]
    level = paper["properties"]["levels"][0]
    first = corrupted_column(level)
    lines = []
    for name in summary["variant"]:
        v, p = paper["variants"][name], properties.loc[name]
        if v.get("noise"):
            lines.append(f"- **{name}** (trained on inputs corrupted at {v['noise']}): its loss reconstructing the clean "
                         f"patterns from inputs masked at {level:.0%}, minus {PLAIN}'s on the same seed: "
                         f"{_effect(effects, name, first)} (negative = better than {PLAIN}).")
        if v.get("sparsity_weight"):
            own, theirs = v.get("activation", est["activation"]), est["activation"]
            units = (f" (its hidden units are {own}, {PLAIN}'s {theirs}: this effect is the penalty's and the "
                     "activation's together, not the penalty's alone)" if own != theirs else "")
            lines.append(f"- **{name}**: mean code activation {p['mean_code_activation']:.3g} (median over seeds) against "
                         f"its target {make_estimator({**est, **v}).sparsity_target}; near-silent code entries minus "
                         f"{PLAIN}'s, same seed: {_effect(effects, name, 'silent_share', '.0%')}{units}.")
        if v.get("dropout") or v.get("alpha"):
            lines.append(f"- **{name}**: weight norm minus {PLAIN}'s, same seed: {_effect(effects, name, 'weight_norm')}; "
                         f"clean loss minus {PLAIN}'s: {_effect(effects, name, 'clean_loss')}.")
    return "\n".join(lines)


def _changed_activation(paper):
    """Variant -> its hidden units' activation, for the variants whose activation is not the paper's setup's."""
    own = paper["estimator"]["activation"]
    return {name: v["activation"] for name, v in paper["variants"].items() if v.get("activation", own) != own}


def _confound_note(paper):
    """Variants that change the hidden units' activation besides their defining parameter: their effects mix the two."""
    own = paper["estimator"]["activation"]
    return "".join(
        f"\n**{name}** also changes the hidden units from {own} to {units} (`paper.variants`), so its rows in both "
        f"tables (near-silent entries, mean code activation, every other column) measure its penalty and that change "
        f"of activation together, which these runs cannot separate.\n"
        for name, units in _changed_activation(paper).items())


def _variants(summary, properties, effects, paper):
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

Each variant against {PLAIN}, seed by seed: a seed starts every variant from the same initial weights, so
the variant's value minus {PLAIN}'s on one seed is its effect from that start. Median over seeds of that
difference, [95 % interval of the median] (sign test; n/a with fewer than 6 pairs); **bold** where the
interval excludes 0:

{_effect_table(effects, paper)}
{_confound_note(paper)}
What each variant's defining parameter is meant to change:

{_defining_readings(summary, properties, effects, paper)}
"""


def _final_loss_cell(table):
    return [median_range(*r) for r in zip(table["median_final_loss"], table["min_final_loss"], table["max_final_loss"])]


def _seeds(seeds):
    """``seeds 0 and 9``, ``seed 4``."""
    seeds = [str(s) for s in seeds]
    if len(seeds) == 1:
        return f"seed {seeds[0]}"
    return f"seeds {', '.join(seeds[:-1])} and {seeds[-1]}"


def _carriers(r):
    """Which seeds' runs the rising updates of one batch size are in, and how many are in runs that failed."""
    if not r["rising_updates"]:
        return ""
    each = ", ".join(f"seed {s} {c}" for s, c in r["rising_by_seed"])
    unfit = r["unfit_seeds"]
    tail = (f"; {int(r['unfit_rising_updates'])} of the {int(r['rising_updates'])} in the runs of {_seeds(unfit)}, "
            "which do not reconstruct all the patterns" if unfit else "")
    return f"; the {int(r['rising_updates'])} rising updates by seed: {each}{tail}"


def _noise(batches, noise, paper, n_patterns):
    """The paper's "noisy" SGD, read per epoch and per update."""
    epochs = paper["noise"]["epochs"]
    per_epoch = batches.set_index("batch_size")["rising_share"]
    reference = paper["estimator"]["batch_size"]
    lines = [f"- batch {int(r['batch_size'])}: median {r['median_share']:.1%} of a seed's "
             f"{epochs * updates_per_epoch(n_patterns, int(r['batch_size']))} updates (mean {r['mean_share']:.1%}); "
             f"{int(r['rising_runs'])} of {int(r['runs'])} seeds have any, at most {r['max_share']:.0%} of one "
             f"seed's{_carriers(r)}"
             for r in noise.to_dict("records")]
    return f"""The paper's table calls stochastic gradient descent's convergence "Noisy, May Oscillate". Our loss
per epoch (the mean over the epoch's updates, each taken before its update: the figure above and the
table's "epochs where the loss rose") rose in **{fmt(per_epoch.get(reference), '.0%')} of the epochs** at batch
{reference} (median over seeds). An epoch's mean averages {updates_per_epoch(n_patterns, reference)} updates and
would hide their ups and downs, so each run of the table was trained {epochs} more epochs from its final
weights (`paper.noise`), one update at a time, reading the loss on all {n_patterns} patterns after every update.
It rose after (median over seeds, as the epochs' share above):

{chr(10).join(lines)}

That reads the end of training only, where the loss moves least per update; the earlier epochs were not
read update by update.
"""


def _equal_updates(equal, equal_effects, batches, paper):
    """The batch sizes at the paper's number of updates, and each one's final loss against batch 1's."""
    level, reference = paper["loss_level"], paper["estimator"]["batch_size"]
    at_epochs = batches.set_index("batch_size")["reached"]
    effects = equal_effects.set_index("batch_size")
    reference_loss = equal.set_index("batch_size").loc[reference, "median_final_loss"]
    shown = pd.DataFrame({
        "batch size": equal["batch_size"], "seeds": equal["seeds"], "epochs": equal["epochs"],
        "updates": equal["updates"].map(lambda v: f"{v:,}"),
        f"seeds reaching loss {level}": equal["reached"],
        "updates to reach it (median)": equal["updates_to_level"].map(lambda v: fmt(v, ",.0f")),
        "final loss, median [lowest, highest]": _final_loss_cell(equal),
        f"final loss minus batch {reference}'s, same seed: median [95 % interval]": [
            median_range(*effects.loc[b, ["median", "low", "high"]]) if b in effects.index else "(the reference)"
            for b in equal["batch_size"]]})
    lines = []
    for r in equal[equal["batch_size"] != reference].to_dict("records"):
        b, e = int(r["batch_size"]), effects.loc[r["batch_size"]]
        widest = max(abs(e["low"]), abs(e["high"]))
        gap = ("undefined (too few seeds)" if pd.isna(e["low"]) else
               f"{'higher' if e['low'] > 0 else 'lower'} than batch {reference}'s, an interval that excludes 0"
               if e["excludes_zero"] else "not shown to differ from it, an interval that includes 0 "
               f"and reaches at most {widest:.2g} from it, {widest / reference_loss:.1%} of batch {reference}'s "
               "median final loss (no equivalence margin was set beforehand, so this is a size, not a verdict)")
        lines.append(f"- batch {b}: {int(r['reached'])} of {int(r['seeds'])} seeds reach {level} in "
                     f"{int(r['updates']):,} updates ({int(r['epochs']):,} epochs), against "
                     f"{fmt(at_epochs.get(b))} of {int(r['seeds'])} in {paper['estimator']['max_iter']:,} epochs; "
                     f"its final loss minus batch {reference}'s, same seed: median "
                     f"{median_range(e['median'], e['low'], e['high'])}, {gap}.")
    return f"""### At equal updates

A larger batch makes fewer updates per epoch, so at equal epochs it has had fewer updates. Here each batch
size of `paper.equal_updates` is trained for as many updates as the paper's setup makes (its epochs scaled by
the updates per epoch), beside the paper's own setup (batch {reference}, the `{PLAIN}` runs), over the same seeds:

{markdown_table(shown, ".4g")}

{chr(10).join(lines)}
"""


def _batch_sizes(batches, paper, n_patterns, equal, equal_effects, noise):
    n = paper["seeds"]
    shown = pd.DataFrame({
        "batch size": batches["batch_size"], "seeds": batches["seeds"],
        "updates per epoch": [updates_per_epoch(n_patterns, b) for b in batches["batch_size"]],
        "updates": batches["updates"].map(lambda v: f"{v:,}"),
        f"seeds reaching loss {paper['loss_level']}": batches["reached"],
        "epochs to reach it (median)": batches["epochs_to_level"],
        "epochs where the loss rose (median)": batches["rising_share"].map(lambda v: fmt(v, ".0%")),
        "final loss, median [lowest, highest]": _final_loss_cell(batches)})
    return f"""## Batch sizes: the paper's comparison, measured

The paper tabulates stochastic (one sample per update), mini-batch and batch gradient descent (speed per
epoch, memory, noisy or smooth convergence) and uses the first. Here its setup at each batch size of
`paper.batch_sizes` ({len(n)} seeds each, {paper['estimator']['max_iter']} epochs, learning rate
{paper['estimator']['learning_rate_init']}; {n_patterns} is the whole set of {n_patterns} patterns). At one learning rate and
one number of epochs a larger batch makes fewer updates, each the mean gradient of more patterns. The paper's
speed per epoch is a clock reading, which varies from machine to machine and run to run, so it is kept out of
this page: each run's Duration in MLflow is its stack's clock (the seeds of one batch size train together as one
stack, in one process). Every column below is the same on every run of the same params.

{markdown_table(shown, ".4g")}

{_noise(batches, noise, paper, n_patterns)}
{_equal_updates(equal, equal_effects, batches, paper)}"""


def _networks_and_worked_example(table):
    """Our network and the printed one drawn, and the printed network's worked forward pass beside ours."""
    shown = table.assign(ours=table["ours"].map(lambda v: f"{v:.9g}"), paper=table["paper"].map(lambda v: f"{v:.9g}"),
                         match=table["match"].map({True: "yes", False: "NO"}))
    return f"""## The trained network

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


def _readings(left):
    """Which kind of pattern the printed worst is more typical of: ``(by its loss against every pattern's, by its loss
    against its own pattern's alone, by its loss over its other 7's)``; shares as fractions, so a tie is exact."""
    m, n = left["runs"], left["pattern_runs"]
    return (_closer(1 - Fraction(left["left_out_below_printed"], m), Fraction(left["trained_above_printed"], m)),
            _closer(1 - Fraction(left["pattern_left_out_below"], n),
                    Fraction(left["pattern_trained_above"], left["pattern_trained_runs"])),
            _closer(Fraction(left["left_out_ratio_above"], m),
                    Fraction(left["trained_ratio_above"], left["trained_runs"])))


def _short(kind):
    return "cannot tell (a tie)" if kind == "neither" else f"more typical of a {kind} pattern"


def _in_short(left, equal, equal_effects, noise, batches, paper):
    """The answers to the review's questions (issue 29), each with its number; the sections below give the rest."""
    reference, level = paper["estimator"]["batch_size"], paper["loss_level"]
    at = equal.set_index("batch_size")
    reached = "; ".join(f"batch {int(b)} {int(r['reached'])} of {int(r['seeds'])}" for b, r in at.iterrows())
    alike = (at["reached"] == at.loc[reference, "reached"]).all() and not equal_effects["excludes_zero"].any()
    epochs = "; ".join(f"batch {int(r['batch_size'])} {int(r['reached'])} of {int(r['seeds'])}"
                       for r in batches.to_dict("records"))
    by_loss, by_pattern, by_ratio = _readings(left)
    n, worst = left["pattern_runs"], left["worst_pattern"]
    probe = noise.set_index("batch_size")
    first = probe["median_share"].get(reference)  # None when the batch sizes leave it out
    carried = (f"; {int(probe.loc[reference, 'unfit_rising_updates'])} of the {int(probe.loc[reference, 'rising_updates'])} "
               f"rising updates over all seeds are in the runs of {_seeds(probe.loc[reference, 'unfit_seeds'])}, which do not "
               "reconstruct all 8" if reference in probe.index and probe.loc[reference, "rising_updates"] else "")
    per_epoch = batches.set_index("batch_size")["rising_share"].get(reference)
    return f"""In short (the review's questions, issue 29; each is detailed below):

- **Trained without a pattern**, the paper's setup reconstructs it in {left['reconstructed']} of {left['runs']} runs.
  The printed network's worst pattern ({worst}) is {_short(by_pattern)} by its loss against our losses on {worst}
  alone ({n - left['pattern_left_out_below']} of {n} left out above it, {left['pattern_trained_above']} of {n} trained on above
  it), {_short(by_ratio)} by its loss against its other patterns; by its loss against every pattern's pooled,
  {_short(by_loss)}. {_verdict(left)}
- **At equal updates** ({int(at['updates'].max()):,} each), seeds reaching loss {level}: {reached}; the final
  losses {'are not shown to differ from' if alike else 'differ from'} batch {reference}'s (paired by seed). At
  equal epochs ({paper['estimator']['max_iter']:,}): {epochs}.
- **SGD's noise** (medians over seeds): the loss per epoch rose in {fmt(per_epoch, '.0%')} of epochs at batch {reference};
  per update, read at the end of training, it rose after {fmt(first, '.1%')} of a seed's updates{carried}.
"""


def paper_page(paper, source, summary, variants, table, printed, properties, batches, *, effects, equal,
               equal_effects, noise, left):
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
        :func:`aerepro.paper.batches.batch_table` of the batch sizes at the paper's epochs.
    effects : DataFrame
        :func:`aerepro.paper.effects.effect_table` of ``variants`` against :data:`PLAIN`.
    equal : DataFrame
        :func:`aerepro.paper.batches.batch_table` of the batch sizes at the paper's number of updates.
    equal_effects : DataFrame
        Each batch size's final loss minus the paper's setup's at equal updates (an
        :func:`~aerepro.paper.effects.effect_table` with ``batch_size``).
    noise : DataFrame
        :func:`aerepro.paper.noise.noise_summary` of the batch-size runs.
    left : dict
        :func:`aerepro.paper.subsets.left_out_summary`.
    """
    est = paper["estimator"]
    plain = variants[variants["variant"] == PLAIN]
    return f"""# The paper's experiment: a 3-4-3 autoencoder

Generated by `dvc repro` (stage `paper`) from `params.yaml` (block `paper`) and
`sources/paper.yaml` (the paper's printed numbers, typed in once).

The network: 3 inputs, 4 leaky-ReLU hidden units (slope {source['network']['leaky_relu_slope']}), 3 sigmoid outputs,
binary cross-entropy, SGD with one sample per update, learning rate {est['learning_rate_init']},
{est['max_iter']} epochs, on the 8 three-bit patterns; {len(paper['seeds'])} seeds per variant
(the paper reports one run and does not give its initialisation; ours is `{est['init']}`).

{_headline(plain)}

{_in_short(left, equal, equal_effects, noise, batches, paper)}
{_anchor(printed, plain)}
{_left_out(left, printed, plain)}
## Loss over epochs

![loss](paper/loss.png)

*Training loss (binary cross-entropy, mean over the epoch's samples; log axis) against epoch for every seed of
every variant: a line per seed, a colour per variant.*

{_variants(summary, properties, effects, paper)}
{_batch_sizes(batches, paper, len(printed), equal, equal_effects, noise)}
{_networks_and_worked_example(table)}"""
