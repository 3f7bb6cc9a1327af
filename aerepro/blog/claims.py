"""The blog's claims, each decided by one measurement.

``CLAIMS`` maps a test name (``sources/blog.yaml``, ``claims[].test``) to a
function ``test(runs, groups, roles) -> Verdict``. ``runs`` holds one row per run
(``configuration``, ``activation``, ``init_value``, ``final_loss``,
``epochs``, ``reconstructs_all``, ``binary_bijection``, ...) and ``groups``
one row per configuration x activation setting (``binary_fraction_mean``,
``agreement_mean``, ``reconstruct_all``, ``n_runs``, ...), both for one
protocol, or built from the blog's own numbers. A test whose columns are
missing (the blog gives no codes for a claim, say) returns a verdict of
``None``: nothing to decide. ``roles`` names the activation settings that
play a part in the claims (``report.roles`` of ``params.yaml``):
``blog_activation`` (the setting the blog ran throughout),
``relu_everywhere`` and ``relu_hidden`` (``None`` where the study has no
such setting: the claims about it are n/a).

The thresholds that turn a loose word ("binary-like", "much more") into a
number are the module's constants, printed with every verdict.
"""

from dataclasses import dataclass

import numpy as np

__all__ = ["Verdict", "CLAIMS", "BINARY_LIKE", "AGREE", "MUCH_MORE", "LOSS_RANGE", "decide"]

#: Share of snapped code values at 0 or 1 above which a code is "binary-like".
BINARY_LIKE = 0.75
#: Mean share of equal snapped cells (after alignment) above which runs "converge together".
AGREE = 0.75
#: Ratio of medians above which one number is "much more" than another.
MUCH_MORE = 1.5
#: The loss range the blog says its stop rule ends in.
LOSS_RANGE = (1e-7, 1e-4)

THREE_LAYER = ["16-5-16", "16-4-16", "16-3-16"]


@dataclass(frozen=True)
class Verdict:
    """Whether a claim holds (``None``: no data to decide) and the numbers that decide it."""

    holds: bool | None
    evidence: str

    @property
    def word(self):
        return {True: "holds", False: "does not hold", None: "n/a"}[self.holds]


NO_DATA = Verdict(None, "no data")


def _has(frame, *columns):
    return frame is not None and len(frame) > 0 and all(c in frame.columns for c in columns)


def _pick(frame, configuration, activation):
    """Rows of ``configuration`` (a name, a list, or None for all) and ``activation`` (None: no row)."""
    sel = frame
    if configuration is not None:
        sel = sel[sel["configuration"].isin([configuration] if isinstance(configuration, str) else configuration)]
    return sel[sel["activation"] == activation]


def _group_value(groups, configuration, column, activation):
    sel = _pick(groups, configuration, activation)
    return float(sel[column].iloc[0]) if len(sel) and np.isfinite(sel[column].iloc[0]) else None


def _stopped(runs):
    """The runs the stop rule ended (all of them where the table does not say)."""
    return runs[runs["stop_reason"] == "converged"] if "stop_reason" in runs.columns else runs


def loss_range_at_stop(runs, groups, roles):
    if not _has(runs, "final_loss"):
        return NO_DATA
    loss = _pick(_stopped(runs), THREE_LAYER, roles["blog_activation"])["final_loss"].dropna()
    if loss.empty:
        return NO_DATA
    low, high = LOSS_RANGE
    inside = int(((loss >= low) & (loss <= high)).sum())
    return Verdict(inside >= len(loss) / 2,
                   f"{inside} of {len(loss)} sigmoid 3-layer runs stopped by the rule end in [{low:g}, {high:g}] "
                   f"(median {loss.median():.3g})")


def _at_least(groups, configuration, activation, column, threshold, say):
    """Whether the group's ``column`` reaches ``threshold``; ``say(value)`` is the evidence."""
    if not _has(groups, column):
        return NO_DATA
    value = _group_value(groups, configuration, column, activation)
    return NO_DATA if value is None else Verdict(value >= threshold, say(value))


def binary_like_16_5_16(runs, groups, roles):
    return _at_least(groups, "16-5-16", roles["blog_activation"], "binary_fraction_mean", BINARY_LIKE,
                     lambda v: f"binary fraction {v:.2f} (binary-like: >= {BINARY_LIKE})")


def epochs_vary_with_init(runs, groups, roles):
    if not _has(runs, "epochs"):
        return NO_DATA
    ratios = {}
    for configuration, sel in _pick(_stopped(runs), None, roles["blog_activation"]).groupby("configuration", sort=False):
        epochs = sel["epochs"].dropna()
        if len(epochs) > 1 and epochs.min() > 0:
            ratios[configuration] = epochs.max() / epochs.min()
    if not ratios:
        return NO_DATA
    varies = all(r >= 1.1 for r in ratios.values())
    return Verdict(varies, "max/min epochs over inits (runs stopped by the rule): "
                   + ", ".join(f"{c} {r:.2f}" for c, r in ratios.items()) + " (varies: >= 1.1 in each)")


def runs_agree_16_5_16(runs, groups, roles):
    return _at_least(groups, "16-5-16", roles["blog_activation"], "agreement_mean", AGREE,
                     lambda v: f"aligned runs agree on {v:.0%} of snapped cells (together: >= {AGREE:.0%})")


def four_more_binary_than_five(runs, groups, roles):
    if not _has(groups, "binary_fraction_mean"):
        return NO_DATA
    four = _group_value(groups, "16-4-16", "binary_fraction_mean", roles["blog_activation"])
    five = _group_value(groups, "16-5-16", "binary_fraction_mean", roles["blog_activation"])
    if four is None or five is None:
        return NO_DATA
    return Verdict(four > five, f"binary fraction 16-4-16 {four:.2f} vs 16-5-16 {five:.2f}")


def no_binary_encoding_16_4_16(runs, groups, roles):
    if not _has(runs, "binary_bijection"):
        return NO_DATA
    sel = _pick(runs, "16-4-16", roles["blog_activation"])
    if sel.empty:
        return NO_DATA
    found = int(sel["binary_bijection"].astype(bool).sum())
    return Verdict(found == 0, f"{found} of {len(sel)} runs learn a bijection onto {{0,1}}^4")


def loss_4_above_5(runs, groups, roles):
    if not _has(runs, "final_loss"):
        return NO_DATA
    four = _pick(runs, "16-4-16", roles["blog_activation"])["final_loss"].dropna()
    five = _pick(runs, "16-5-16", roles["blog_activation"])["final_loss"].dropna()
    if four.empty or five.empty:
        return NO_DATA
    return Verdict(bool(four.min() > five.max()),
                   f"16-4-16 losses {four.min():.3g}..{four.max():.3g} vs 16-5-16 {five.min():.3g}..{five.max():.3g} "
                   "(all larger: min above max)")


def epochs_3_above_4_and_5(runs, groups, roles):
    if not _has(runs, "epochs"):
        return NO_DATA
    medians = {c: _pick(_stopped(runs), c, roles["blog_activation"])["epochs"].dropna().median() for c in THREE_LAYER}
    if any(np.isnan(m) for m in medians.values()):
        return NO_DATA
    ratio = medians["16-3-16"] / max(medians["16-5-16"], medians["16-4-16"])
    return Verdict(bool(ratio >= MUCH_MORE),
                   "median epochs to the stop rule " + ", ".join(f"{c} {m:,.0f}" for c, m in medians.items())
                   + f": ratio {ratio:.2f} (much more: >= {MUCH_MORE})")


def no_shared_pattern_16_3_16(runs, groups, roles):
    if not _has(groups, "agreement_mean"):
        return NO_DATA
    values = {c: _group_value(groups, c, "agreement_mean", roles["blog_activation"]) for c in THREE_LAYER}
    if any(v is None for v in values.values()):
        return NO_DATA
    lower = values["16-3-16"] < min(values["16-5-16"], values["16-4-16"])
    return Verdict(bool(lower), "aligned agreement " + ", ".join(f"{c} {v:.0%}" for c, v in values.items())
                   + " (no shared pattern: 16-3-16 lowest)")


def _reconstructs(groups, configuration, activation, expect_all):
    if not _has(groups, "reconstruct_all", "n_runs"):
        return NO_DATA
    sel = _pick(groups, configuration, activation)
    if sel.empty:
        return NO_DATA
    done, total = int(sel["reconstruct_all"].sum()), int(sel["n_runs"].sum())
    holds = done == total if expect_all else done == 0
    return Verdict(holds, f"{done} of {total} runs reconstruct all 16 inputs")


def reconstructs_16_3_16(runs, groups, roles):
    return _reconstructs(groups, "16-3-16", roles["blog_activation"], expect_all=True)


def reconstructs_16_8_4_8_16_sigmoid(runs, groups, roles):
    return _reconstructs(groups, "16-8-4-8-16", roles["blog_activation"], expect_all=True)


def relu_everywhere_fails(runs, groups, roles):
    return _reconstructs(groups, None, roles["relu_everywhere"], expect_all=False)


def relu_hidden_sigmoid_output_works(runs, groups, roles):
    if not _has(groups, "reconstruct_all", "n_runs"):
        return NO_DATA
    share = {}
    for role in ("relu_hidden", "relu_everywhere"):
        sel = _pick(groups, None, roles[role])
        if sel.empty:
            return NO_DATA
        share[role] = sel["reconstruct_all"].sum() / sel["n_runs"].sum()
    holds = share["relu_hidden"] >= 0.5 and share["relu_hidden"] > share["relu_everywhere"]
    return Verdict(bool(holds), f"runs reconstructing all inputs: ReLU hidden + sigmoid output "
                   f"{share['relu_hidden']:.0%}, ReLU everywhere {share['relu_everywhere']:.0%} "
                   "(works: at least half, and more than ReLU everywhere)")


CLAIMS = {
    "loss_range_at_stop": loss_range_at_stop,
    "binary_like_16_5_16": binary_like_16_5_16,
    "epochs_vary_with_init": epochs_vary_with_init,
    "runs_agree_16_5_16": runs_agree_16_5_16,
    "four_more_binary_than_five": four_more_binary_than_five,
    "no_binary_encoding_16_4_16": no_binary_encoding_16_4_16,
    "loss_4_above_5": loss_4_above_5,
    "epochs_3_above_4_and_5": epochs_3_above_4_and_5,
    "no_shared_pattern_16_3_16": no_shared_pattern_16_3_16,
    "reconstructs_16_3_16": reconstructs_16_3_16,
    "reconstructs_16_8_4_8_16_sigmoid": reconstructs_16_8_4_8_16_sigmoid,
    "relu_everywhere_fails": relu_everywhere_fails,
    "relu_hidden_sigmoid_output_works": relu_hidden_sigmoid_output_works,
}


def decide(test, runs, groups, roles):
    """Decide one claim.

    Parameters
    ----------
    test : str
        A key of :data:`CLAIMS`.
    runs, groups : DataFrame or None
        Per-run and per-group facts of one protocol (see the module docstring).
    roles : dict
        Role -> activation setting name (see the module docstring).

    Returns
    -------
    Verdict

    Raises
    ------
    KeyError
        If ``test`` is not a key of :data:`CLAIMS`, naming the known tests.
    """
    if test not in CLAIMS:
        raise KeyError(f"unknown claim test {test!r}; known: {', '.join(CLAIMS)}")
    return CLAIMS[test](runs, groups, roles)
