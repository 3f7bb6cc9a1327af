"""The loss study's page: does cross-entropy train faster than MSE on the blog's networks?

Every number is read from the study's tables or ``params.yaml``; the
verdicts are worded from those numbers (:data:`~aerepro.loss.analysis.VERDICTS`),
as a hypothesis where they do not decide.
"""

import numpy as np
import pandas as pd

from ..intervals import LEVEL
from ..markdown import fmt, markdown_table, settings
from .analysis import VERDICTS
from .claim import QUOTE

__all__ = ["loss_page", "configuration_verdict", "shown_table", "factor_ends"]


def _epochs(value, budget=None):
    """An epoch count for the page: ``> budget`` for a median past the budget, ``open`` for an open interval end."""
    if value is None or pd.isna(value):
        return "n/a"
    if np.isinf(value):
        return f"> {budget:,}" if budget is not None and value > 0 else "open"
    return fmt(value, ",.0f")


def _median(row, sign=1):
    """The median difference times ``sign``, or the range censoring leaves it in (its ends ordered)."""
    if not pd.isna(row["median"]):
        return _epochs(sign * row["median"])
    low, high = sorted([sign * row["median_low"], sign * row["median_high"]])
    if np.isinf(low) and np.isinf(high):
        return "open"
    if np.isinf(high):
        return f"at least {_epochs(low)}"
    if np.isinf(low):
        return f"at most {_epochs(high)}"
    return f"between {_epochs(low)} and {_epochs(high)}"


def configuration_verdict(row, compared):
    """One line per configuration: what the paired starts show, and the verdict in the page's words."""
    first, second = compared
    interval = f"{LEVEL:.0%} interval of `{second}` minus `{first}`: [{_epochs(row['low'])}, {_epochs(row['high'])}]"
    head = f"- **{row['configuration']}**"
    if row["state"] == "holds":
        return (f"{head}: `{first}` reconstructs every input sooner than `{second}` from the same start, by a median of "
                f"{_median(row)} epochs ({interval}, over {row['pairs']} starts): **{VERDICTS['holds']}**.")
    if row["state"] == "fails":
        return (f"{head}: `{second}` reconstructs every input sooner than `{first}` from the same start, by a median of "
                f"{_median(row, -1)} epochs ({interval}, over {row['pairs']} starts): **{VERDICTS['fails']}**; here "
                f"`{second}` trains faster.")
    if row["state"] == "borderline":
        return (f"{head}: the {interval} includes 0 ({row['pairs']} starts): **{VERDICTS['borderline']}**; that "
                f"`{first}` trains faster here stays a hypothesis.")
    if row[f"reconstructed_{first}"] + row[f"reconstructed_{second}"] == 0:
        return (f"{head}: no run of either loss reconstructed every input within its {row['epoch_budget']:,} epochs: "
                f"**{VERDICTS['n/a']}** (the budget is too short to decide; params.yaml says how to run it longer).")
    return (f"{head}: {row['pairs']} paired starts are too few for a {LEVEL:.0%} interval: "
            f"**{VERDICTS['n/a']}**.")


def shown_table(table, compared):
    """The per-configuration table as the page shows it: counts of the runs, median epochs (``> budget`` where
    most did not reconstruct), the median difference with its interval, and the verdict."""
    first, second = compared
    rows = []
    for row in table.to_dict("records"):
        budget = row["epoch_budget"]
        rows.append({
            "configuration": row["configuration"], "budget (epochs)": f"{budget:,}",
            f"reconstructed, {first}": f"{row[f'reconstructed_{first}']} of {row['pairs']}",
            f"reconstructed, {second}": f"{row[f'reconstructed_{second}']} of {row['pairs']}",
            f"median epoch, {first}": _epochs(row[f"median_epoch_{first}"], budget),
            f"median epoch, {second}": _epochs(row[f"median_epoch_{second}"], budget),
            f"{second} minus {first} [{LEVEL:.0%}]": ("n/a" if row["state"] == "n/a" else
                                                      f"{_median(row)} [{_epochs(row['low'])}, {_epochs(row['high'])}]"),
            "pairs neither reconstructed": row["both_censored"],
            f"max abs error, {first}": row[f"median_max_error_{first}"],
            f"max abs error, {second}": row[f"median_max_error_{second}"],
            "verdict": VERDICTS[row["state"]]})
    return pd.DataFrame(rows)


def _final_losses(runs, compared):
    """Per configuration, the median final loss under each loss, each on its own scale."""
    medians = runs.groupby(["configuration", "loss"], sort=False)["final_loss"].median()
    return "; ".join(f"{configuration} " + " and ".join(f"{fmt(medians[(configuration, name)], '.2g')} (`{name}`)"
                                                         for name in compared)
                     for configuration in dict.fromkeys(runs["configuration"]))


def _head(loss, study, activation_block, init_jitter):
    first, second = loss["compared"]
    shared = {k: v for k, v in (study.get("estimator") or {}).items() if k != "loss"}
    return f"""# Cross-entropy against MSE: does cross-entropy train faster here?

Generated by `dvc repro` (stages `loss` and `loss-report`) from `params.yaml` (blocks `loss` and `study`)
and the stage's outputs (`runs/loss/`).

The blog trains with cross-entropy and gives its reason: with MSE and a sigmoid output, "{QUOTE}".
The mechanism it means: at a sigmoid output p with target x, MSE (ours, as Keras', has no factor 1/2)
gives the delta 2 (p - x) p (1 - p) / size, cross-entropy (p - x) / size; MSE's carries the factor
**2p(1 - p)**, at most 0.5 and vanishing as an output saturates towards 0 or 1. The blog does not test
it. Here the blog's networks train with `{first}` and with `{second}` from the same starts.

Runs: the configurations of `study.configurations`, activation setting `{loss['activation']}`
({settings(activation_block)}), the blog's shared settings {settings(shared)}, and the starts of the
blog protocol `{loss['protocol']}` (`init_jitter={init_jitter}`): inits {', '.join(f'{v:g}' for v in study['inits'])},
seeds {', '.join(str(s) for s in study['seeds'])}, replicate s of the k-th init with
`random_state = s * {len(study['inits'])} + k` (the blog study's own runs' starts). Each start trains once with each loss, so the two runs of a start are a pair.
"""


def _budget_section(loss, runs):
    return f"""## A common budget, not a stop rule

A stop rule on the loss value is not comparable across losses: their scales differ (the median final loss,
per configuration: {_final_losses(runs, loss['compared'])}), so a tolerance on the change of one is not
the same tolerance on the other. Both losses therefore train the same number of epochs per configuration,
{', '.join(f"{c}: {b:,}" for c, b in loss['budgets'].items())}, with {settings(loss['estimator'])}: no early stop.

The weights are read every {loss['checkpoint_every']:,} epochs and at the budget. At each reading, on the 16
inputs: a run **reconstructs** when every output is on its target's side of 0.5 and every input's hidden
code, snapped to 0, 0.5 and 1, is its own; the **factor** is the median of 2p(1 - p) over the 16 x 16
outputs; the **error**, one measure for both losses, is the largest |x - x_hat|. A run's reconstruction epoch
is the first reading at which it reconstructs, known to within {loss['checkpoint_every']:,} epochs.
"""


def _table_section(table, compared):
    first, second = compared
    return f"""## Per configuration

Counts are of runs that reconstructed within the budget; median epochs count a run that did not as past the
budget (`> budget` where that is the median). The difference is `{second}`'s reconstruction epoch minus
`{first}`'s from the same start (> 0: `{first}` is faster), its median over the pairs and the sign-test
interval of that median ({LEVEL:.0%}). A run that does not reconstruct within the budget is kept, not dropped:
its epoch is only known to be past the budget, so its pair's difference is only known to lie in an interval;
the median's interval is taken from the pairs' lower bounds for its low end and their upper bounds for its high
end, and holds whatever the censored runs would have taken (`open`: an end censoring leaves unbounded).
The errors are medians over runs, at the end of the budget. No equivalence margin was set, so an interval
that includes 0 is read as not decided, never as "no difference".

{markdown_table(shown_table(table, compared), ".3g")}
"""


def factor_ends(records, runs, name):
    """Per configuration, the median over ``name``'s runs of the factor at the first reading and at the last.

    Returns
    -------
    DataFrame
        Indexed by configuration (in the runs' order): ``start``, ``end``.
    """
    own = records.merge(runs.loc[runs["loss"] == name, ["run", "configuration"]], on="run")
    ends = own.sort_values("epoch").groupby("run").agg(configuration=("configuration", "first"),
                                                        start=("factor", "first"), end=("factor", "last"))
    medians = ends.groupby("configuration")[["start", "end"]].median()
    return medians.reindex([c for c in dict.fromkeys(runs["configuration"]) if c in medians.index])


def _mechanism_section(rel, table, compared, ends):
    first, second = compared
    span = "; ".join(f"{c} {fmt(row.start, '.2g')} and {fmt(row.end, '.2g')}" for c, row in ends.iterrows())
    lines = [f"""## The mechanism

![the gradient factor against epoch]({rel}/factor.png)

*The median over outputs of 2p(1 - p) at each reading: the line is the median over a loss's runs, the band
their quartiles; dotted, the loss's median reconstruction epoch (where most runs reconstructed). Under `{first}`
the factor is not applied, but it is what MSE would put on the same outputs.*

Under `{second}`, the median factor at the first reading and at the end of the budget: {span}.
"""]
    fell = [c for c, row in ends.iterrows() if row.end < row.start]
    faster = table.loc[table["state"] == "fails", "configuration"].tolist()
    if faster:
        lines.append(f"""The factor fell as the outputs saturated in {', '.join(fell) or 'no configuration'}, as the blog
says, and yet `{second}` reconstructed sooner in {', '.join(faster)}. A hypothesis, not tested by this study: the
blog's optimizer, RMSProp, divides each weight's step by a running root mean square of that weight's own
gradient, so a factor shared by a weight's gradient largely cancels from its step; what remains is how the
factor weighs the outputs against each other. The blog's reason is the one of plain gradient descent, where
the step is the gradient itself; an arm with plain gradient descent would test it.
""")
    return "\n".join(lines)


def loss_page(loss, study, activation_block, init_jitter, runs, records, table, rel, state):
    """The page, markdown.

    Parameters
    ----------
    loss : dict
        The ``loss`` block of ``params.yaml``.
    study : dict
        The parts of ``study`` the page reads: ``estimator``, ``inits``, ``seeds``.
    activation_block : dict
        The activation setting ``loss.activation`` of ``study.activations``.
    init_jitter : float
        The ``init_jitter`` of the protocol ``loss.protocol``.
    runs : DataFrame
        The study's runs table.
    records : DataFrame
        Its readings (``run``, ``epoch``, ``factor``, ...).
    table : DataFrame
        :func:`aerepro.loss.analysis.configuration_table`.
    rel : str
        The figures' folder, relative to the page.
    state : str
        The claim's state over the configurations (:func:`aerepro.loss.claim.combined_state`).
    """
    compared = loss["compared"]
    verdicts = "\n".join(configuration_verdict(row, compared) for row in table.to_dict("records"))
    finding = (f"**Finding, per configuration** (the claim: `{compared[0]}` trains faster than `{compared[1]}`, "
               f"read as: reconstructs every input in fewer epochs from the same start):\n\n{verdicts}\n\n"
               f"Over the configurations: **{VERDICTS[state]}** (on the blog page's claim table, `{state}`: the "
               f"configurations' state where those decided agree, else `borderline`).\n")
    return "\n".join([_head(loss, study, activation_block, init_jitter), finding, _budget_section(loss, runs),
                      _table_section(table, compared),
                      _mechanism_section(rel, table, compared, factor_ends(records, runs, compared[1]))])
