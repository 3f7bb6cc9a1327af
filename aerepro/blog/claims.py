"""The blog's claims, each decided on the spread over seeds by one measurement.

A claim (``sources/blog.yaml``, ``claims[]``) names a ``test`` of
:data:`CLAIMS` and a ``scope``: the configurations, activation settings (by
their ``report.roles``) and inits its sentence is about. The verdict uses
exactly those runs; a ``beyond`` scope is decided apart, as a row of its
own. Runs arrive as two tables of one protocol: ``runs`` (one row per run:
``configuration``, ``activation``, ``init_value``, ``seed``, ``final_loss``,
``epochs``, ``stop_reason``, ``blogs_rule``, ``reconstructs_all``, ``binary_bijection``,
``symmetric_collapse``, ``dead_units``, ``n_code``, ...) and ``groups`` (one
row per configuration x activation setting x seed: ``binary_fraction_mean``,
``consensus_binary_fraction``, ``agreement_mean``, ``agreement_chance_q95``,
...), or the blog's own numbers as one replicate.

Each test measures one number per seed (replicate) and compares it with a
threshold; :func:`judge` turns those numbers into a :class:`Verdict`:

- **holds** / **fails**: every seed is on that side of the threshold by more
  than the claim's tolerance;
- **borderline**: the seeds straddle the threshold, or one sits within the
  tolerance of it;
- **n/a**: no data in scope, a measure that is undefined on the runs (a
  spread over one run), or, for a claim read off the hidden codes, most
  runs in scope with a code that ignores the input (:func:`aerepro.plateau.on_plateau`):
  such a code carries no information, so a claim about the codes training
  found cannot be read off it. Where fewer do, they and their groups are
  left out of a code claim and the evidence says how many.

Only claims read off codes leave runs out. A run stuck on the symmetric
plateau or at the clip (:func:`stuck_states`: two states, each with one
definition used by every claim and table) is direct evidence for a claim
about losses, epochs or reconstruction, and counts there; the evidence
names how many of each it holds.

The thresholds that turn a loose word ("binary-like", "much more") into a
number are this module's constants, printed with every verdict.
"""

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.stats import chi2, kruskal, ncx2, spearmanr

from ..plateau import on_plateau
from .mechanisms import at_clip

__all__ = ["Verdict", "Measure", "CLAIMS", "NOT_TESTABLE", "stuck_states", "STUCK", "STATES", "BINARY_LIKE", "MUCH_MORE", "LOSS_RANGE", "SIGNIFICANT",
           "STRICT_AGAINST", "in_scope", "judge", "decide"]

#: Share of snapped code values at 0 or 1 above which a code is "binary-like".
BINARY_LIKE = 0.75
#: Ratio of medians above which one number is "much more" than another.
MUCH_MORE = 1.5
#: The loss range the blog says its stop rule ends in.
LOSS_RANGE = (1e-7, 1e-4)
#: The looser stop rule (its tol) the blog's strict one is set against.
STRICT_AGAINST = 1e-5
#: p-value below which a difference is told from chance.
SIGNIFICANT = 0.05
#: An effect size (eta^2_H, the share of rank variance the groups explain) below which an effect is
#: negligible: the conventional bound for a small effect. A "no effect" verdict needs the whole interval below it.
NEGLIGIBLE_EFFECT = 0.01
#: The tolerance is a free choice: a verdict is robust to it when halving and doubling it leave the state.
TOLERANCE_FACTORS = (0.5, 2.0)
#: Decades within which two losses count as equal (a gap of 1e-7 in log10 is rounding, not "larger").
LOSS_GAP_TOLERANCE = 0.01
#: The verdict states, in the order a scoreboard lists them.
STATES = ("holds", "fails", "borderline", "n/a")


@dataclass(frozen=True)
class Verdict:
    """A claim's state, its signed margin and the numbers.

    ``margin`` is the median over seeds of the signed distance from the
    threshold (> 0 on the side of "holds"); ``low`` and ``high`` its lowest
    and highest seed: the interval the state is read from (over n seeds it
    holds the seeds' median with probability 1 - 2^(1-n) for continuous
    values, 94 % for 5). ``tolerance_robust``: whether the state is the same
    with the claim's tolerance halved and doubled.
    """

    state: str
    margin: float | None
    evidence: str
    low: float | None = None
    high: float | None = None
    tolerance_robust: bool | None = None


def _no_data(why="no data in scope"):
    return Verdict("n/a", None, why)


class Unmeasurable(Exception):
    """Raised by a measurement that cannot be taken on these runs; its message says why."""


@dataclass(frozen=True)
class Measure:
    """One measurement: ``measure(runs, groups, scope) -> (per-seed Series, words)`` against ``threshold``.

    ``words`` may be a pair ``(words, context)``: the context (a chance
    level beside the measure, say) follows the verdict in its evidence.

    The claim holds where the measured value is above the threshold
    (``above=True``) or below it, by more than ``tolerance``; an
    ``inclusive`` measure (a share that must be all, or a count that must
    be none) also holds at the threshold itself. A measure that
    ``reads_codes`` is taken on the runs whose code depends on the input
    only; every other measure counts every run in scope. A measure with
    its own ``judge`` (an effect size with an interval) is decided by it
    instead of :func:`judge`.
    """

    measure: object
    threshold: float
    tolerance: float
    above: bool = True
    units: str = "g"
    inclusive: bool = False
    reads_codes: bool = False
    judge: object = None


def judge(values, test, words):
    """The verdict of per-seed ``values`` against ``test``'s threshold (see the module docstring).

    A seed whose value is undefined (NaN: nothing of it in scope) is left
    out and counted in the evidence; an infinite value is a measure taken
    where it is undefined, and makes the verdict n/a.
    """
    values = pd.Series(values, dtype=float)
    if np.isinf(values).any():
        return _no_data(f"{words}: undefined (infinite) on {int(np.isinf(values).sum())} of {len(values)} seeds")
    undefined = int(values.isna().sum())
    values = values.dropna()
    if values.empty:
        return _no_data(f"{words}: nothing to measure")
    if undefined:
        words += f" (undefined on {undefined} of {undefined + len(values)} seeds, left out)"
    signed = (values - test.threshold) if test.above else (test.threshold - values)
    state = _state(signed, test.tolerance, test.inclusive)
    robust = all(_state(signed, test.tolerance * f, test.inclusive) == state for f in TOLERANCE_FACTORS)
    side = (">" if test.above else "<") + ("=" if test.inclusive else "")
    spread = (f"{values.iloc[0]:{test.units}}" if len(values) == 1 else
              f"median {values.median():{test.units}}, range {values.min():{test.units}}.."
              f"{values.max():{test.units}} over {len(values)} seeds")
    return Verdict(state, float(signed.median()),
                   f"{words}: {spread}; holds if {side} {test.threshold:{test.units}} "
                   f"(tolerance {test.tolerance:{test.units}})", float(signed.min()), float(signed.max()), robust)


def _state(signed, tolerance, inclusive):
    """holds / fails / borderline of signed distances from the threshold (see the module docstring)."""
    if (signed > tolerance).all() or (inclusive and (signed >= 0).all()):
        return "holds"
    if (signed < -tolerance).all():
        return "fails"
    return "borderline"


def in_scope(frame, scope, roles):
    """Rows of ``frame`` inside ``scope``: ``configurations`` (None: all), ``activations`` (role names), ``inits``."""
    if frame is None or not len(frame):
        return frame
    sel = frame
    if scope.get("configurations"):
        sel = sel[sel["configuration"].isin(scope["configurations"])]
    settings = [roles.get(role) for role in scope.get("activations", [])]
    if scope.get("activations"):
        sel = sel[sel["activation"].isin([s for s in settings if s is not None])]
    if scope.get("inits") and "init_value" in sel.columns:
        sel = sel[sel["init_value"].isin([float(c) for c in scope["inits"]])]
    return sel


#: The stuck states, in the order the evidence names them: state -> its definition in words.
STUCK = {
    "plateau": "the symmetric plateau: the code ignores the input (every hidden unit identical, or one snapped "
               "code for every input with nothing reconstructed), and not every code unit is dead",
    "clip": "the clip: the final loss is the clip loss, an output pinned at or beyond 1 where the clipped "
            "log-loss has no gradient",
}


def _n_inputs(configuration):
    """The input width a configuration's name starts with (``16-5-16`` -> 16), or NaN for another name."""
    head = str(configuration).split("-")[0]
    return float(head) if head.isdigit() else np.nan


def stuck_states(runs):
    """Each run's stuck state: ``"clip"``, ``"plateau"`` (see :data:`STUCK`) or ``""``; the clip is named first.

    Examples
    --------
    >>> runs = pd.DataFrame({"configuration": ["16-5-16"] * 3, "final_loss": [15.1116, 0.2338, 1e-5],
    ...                      "symmetric_collapse": [1.0, 1.0, 0.0], "dead_units": [0, 0, 0], "n_code": [5, 5, 5]})
    >>> stuck_states(runs).tolist()
    ['clip', 'plateau', '']
    """
    n = runs["configuration"].map(_n_inputs) if "configuration" in runs.columns else pd.Series(np.nan, runs.index)
    loss = runs["final_loss"] if "final_loss" in runs.columns else pd.Series(np.nan, runs.index)
    clipped = pd.Series([bool(np.isfinite(k) and at_clip(v, int(k))) for v, k in zip(loss, n)], index=runs.index,
                        dtype=bool)
    return pd.Series(np.where(clipped, "clip", np.where(on_plateau(runs), "plateau", "")), index=runs.index)


def _stuck_words(states):
    """``"3 on the symmetric plateau, 2 at the clip"``: the stuck runs among ``states``, by state."""
    names = {"plateau": "on the symmetric plateau", "clip": "at the clip"}
    return ", ".join(f"{int((states == s).sum())} {names[s]}" for s in STUCK if (states == s).any())


def _per_seed(frame, how):
    """``how(rows)`` for the rows of each seed (the blog's numbers are one replicate)."""
    if not len(frame):
        return pd.Series(dtype=float)
    if "seed" not in frame.columns:
        return pd.Series({0: how(frame)})
    return frame.groupby("seed", sort=True).apply(how, include_groups=False)


def _stopped(runs):
    """The runs the stop rule ended (all of them where the table does not say)."""
    return runs[runs["stop_reason"] == "converged"] if "stop_reason" in runs.columns else runs


def _of(frame, configuration):
    return frame[frame["configuration"] == configuration]


# -- measurements: (runs, groups, scope) -> (per-seed values, words) -----------------------------------------


def share_loss_in_range(runs, groups, scope):
    """The claim is about where the blog's own stop rule leaves the loss: only runs that rule stopped count.

    A run's ``blogs_rule`` says whether it trained under the blog's rule
    (the column is absent from the blog's own numbers: all of them did).
    """
    low, high = LOSS_RANGE
    stopped = _stopped(runs).dropna(subset=["final_loss"])
    if "blogs_rule" in stopped.columns:
        other = int((~stopped["blogs_rule"].astype(bool)).sum())
        stopped = stopped[stopped["blogs_rule"].astype(bool)]
        if other and stopped.empty:
            raise Unmeasurable(f"the {other} runs in scope stopped by a rule were stopped by this protocol's own "
                               "rule, not the blog's: where another rule leaves the loss says nothing of the blog's")
    values = _per_seed(stopped, lambda r: ((r["final_loss"] >= low) & (r["final_loss"] <= high)).mean())
    return values, f"share of runs stopped by the rule whose loss is in [{low:g}, {high:g}]"


def _binary_chance(groups, configurations):
    """The consensus binary fraction's chance level per configuration, in words: its median over the groups and in
    how many groups the observed fraction is above the null's 95th percentile (nothing where no null was drawn:
    the blog's own numbers)."""
    if "consensus_binary_chance" not in groups.columns:
        return ""
    parts = []
    for configuration in configurations:
        g = _of(groups, configuration).dropna(subset=["consensus_binary_chance", "consensus_binary_fraction"])
        if len(g):
            above = int((g["consensus_binary_fraction"] > g["consensus_binary_chance_q95"]).sum())
            parts.append(f"{configuration} {g['consensus_binary_chance'].median():.3f}, observed above its 95th "
                         f"percentile in {above} of {len(g)} groups")
    return ("; against chance (the same runs' codes with their rows shuffled, lined up and merged the same way: "
            "how binary a consensus of codes that share nothing is): " + "; ".join(parts)) if parts else ""


def binary_fraction(runs, groups, scope):
    configurations = scope.get("configurations") or sorted(set(groups["configuration"]))
    return _per_seed(groups, lambda g: g["consensus_binary_fraction"].mean()), \
        ("binary fraction of the consensus code, the blog's measure (the inits of a seed lined up and snapped "
         "into one table; share of its cells at 0 or 1)", _binary_chance(groups, configurations))


def _kruskal(groups):
    """Kruskal-Wallis' H and p-value of a list of arrays; 0 and 1 where every value is the same (no spread at all)."""
    values = np.concatenate(groups)
    if np.all(values == values[0]):
        return 0.0, 1.0
    test = kruskal(*groups)
    return float(test.statistic), float(test.pvalue)


def _init_effect(frame, level=0.95):
    """The effect of the init on epochs: eta^2_H, its p-value and its ``level`` confidence interval.

    eta^2_H = (H - k + 1) / (n - k) for ``k`` inits and ``n`` runs. Under no
    effect H averages k - 1, so eta^2_H averages 0 (H / (n - 1) would average
    (k - 1) / (n - 1), a third for 25 runs); 1 where the init orders every run.

    With an effect, H is (approximately) noncentral chi^2 with k - 1 degrees
    of freedom and noncentrality lambda, and eta^2_H estimates
    lambda / (n - k). The interval holds the lambdas under which the observed
    H is neither in the upper nor the lower tail (Steiger's inversion, as for
    an F test's eta^2), mapped to lambda / (n - k): from 0 up. A resampling
    interval would carry the spread the resampling adds between the inits.

    Returns
    -------
    eta2, p, low, high : float
    """
    groups = [g["epochs"].to_numpy(dtype=float) for _, g in frame.groupby("init_value")]
    k, n = len(groups), sum(len(g) for g in groups)
    observed, p = _kruskal(groups)
    tail = (1 - level) / 2

    def noncentrality(quantile):
        if chi2.cdf(observed, k - 1) <= quantile:
            return 0.0
        return brentq(lambda lam: ncx2.cdf(observed, k - 1, lam) - quantile, 0.0, 10 * observed + 100.0)

    return (observed - k + 1) / (n - k), p, noncentrality(1 - tail) / (n - k), noncentrality(tail) / (n - k)


def init_effect_on_epochs(runs, groups, scope):
    """The effect of the init on epochs, per configuration, pooled over seeds: eta^2_H with its interval.

    Returns one value (eta^2_H, the smallest over the configurations in
    scope) whose ``attrs`` hold ``low`` and ``high`` (the widest 95 %
    interval, :func:`_init_effect`) and ``p`` (the largest
    Kruskal-Wallis p-value); :func:`judge_effect` decides on them.
    """
    stopped = _stopped(runs)
    if stopped.empty:
        raise Unmeasurable("no run in scope was stopped by the stop rule (the epoch budget ended them all)")
    if "seed" not in stopped.columns or stopped["seed"].nunique() < 2:
        raise Unmeasurable("one run per init: whether epochs vary with the init or merely from run to run "
                           "cannot be told apart")
    if stopped.groupby("configuration")["init_value"].nunique().min() < 2:
        raise Unmeasurable("one init in scope: there is no effect of the init to measure")
    effects = [_init_effect(sel) for _, sel in stopped.groupby("configuration")]
    value = pd.Series({0: min(e for e, *_ in effects)})
    value.attrs.update(p=max(p for _, p, *_ in effects), low=min(lo for *_, lo, _ in effects),
                       high=max(hi for *_, hi in effects))
    return value, ("effect of the init on epochs, eta^2_H of Kruskal-Wallis (0: none, 1: the init orders every "
                   "run), pooled over seeds")


def judge_effect(values, test, words):
    """The verdict on an effect size with its interval, against a negligible effect written down beforehand.

    **holds**: the effect is told from chance (p below :data:`SIGNIFICANT`)
    and its whole interval is above ``test.threshold``; **fails**: its whole
    interval is below it (the effect is shown negligible, not merely not
    shown); **borderline** otherwise: neither shown nor excluded.
    """
    value, p, low, high = float(values.iloc[0]), values.attrs["p"], values.attrs["low"], values.attrs["high"]
    if p < SIGNIFICANT and low > test.threshold:
        state = "holds"
    elif high < test.threshold:
        state = "fails"
    else:
        state = "borderline"
    return Verdict(state, value - test.threshold,
                   f"{words}: {value:.3f}, 95% interval {low:.3f}..{high:.3f}, p = {p:.2g}; "
                   f"holds if p < {SIGNIFICANT} and the interval is above a negligible effect ({test.threshold:g}), "
                   "fails if it is below it", low - test.threshold, high - test.threshold, True)


def agreement_above_chance(runs, groups, scope):
    values = _per_seed(groups, lambda g: (g["agreement_mean"] - g["agreement_chance_q95"]).mean())
    return values, "mean agreement of the aligned runs minus the 95th percentile of its chance level"


def binary_difference(runs, groups, scope):
    first, second = scope["configurations"][:2]
    values = _per_seed(groups, lambda g: _of(g, first)["consensus_binary_fraction"].mean()
                       - _of(g, second)["consensus_binary_fraction"].mean())
    return values, (f"binary fraction of the consensus code (the blog's measure), {first} minus {second}",
                    _binary_chance(groups, [first, second]))


def bijections_found(runs, groups, scope):
    return _per_seed(runs, lambda r: r["binary_bijection"].astype(bool).sum()), \
        "runs whose code is a bijection onto {0,1}^k"


def loss_gap(runs, groups, scope):
    first, second = scope["configurations"][:2]
    values = _per_seed(runs, lambda r: np.log10(_of(r, first)["final_loss"].min())
                       - np.log10(_of(r, second)["final_loss"].max()))
    return values, f"log10 of the smallest {first} loss over the largest {second} loss"


def epochs_ratio(runs, groups, scope):
    first, *rest = scope["configurations"]
    stopped = _stopped(runs)

    def ratio(r):
        medians = [_of(r, c)["epochs"].median() for c in rest]
        if any(np.isnan(m) for m in medians):
            return np.nan  # a configuration without a stopped run in this seed: undefined, not the others' max
        others = max(medians)
        return _of(r, first)["epochs"].median() / others if others > 0 else np.nan

    values = _per_seed(stopped, ratio)
    return values, f"median epochs of {first} over the larger median of {', '.join(rest)}"


def reconstructing_share(runs, groups, scope):
    return _per_seed(runs, lambda r: r["reconstructs_all"].astype(bool).mean()), \
        "share of runs reconstructing every input"


def relu_hidden_share(runs, groups, scope):
    hidden = runs[runs["role"] == scope["activations"][0]]
    return _per_seed(hidden, lambda r: r["reconstructs_all"].astype(bool).mean()), \
        "share of ReLU-hidden, sigmoid-output runs reconstructing every input (ReLU on the output is claim 12)"


def constant_unit_share(runs, groups, scope):
    return _per_seed(runs, lambda r: (r["constant_units"] > 0).mean()), \
        "share of runs with a unit snapped to one value for every input"


#: Why a claim is not tested here, by test name: the measure that would decide it is not taken.
NOT_TESTABLE = {
    "strict_rule_better": (
        "not testable here: the blog means a better reconstruction under the strict rule, and we do not "
        "reconstruct at the epoch a looser rule would have stopped; the loss there cannot stand in for it, since a "
        "stricter rule on a falling loss always ends lower"),
    "epochs_follow_distance": (
        "not testable here: the blog's distance to the target is not measured apart from training, and the "
        "distance our weights travelled grows with the epochs by construction (RMSProp moves every weight by "
        "about the learning rate each epoch), so its correlation with epochs would say nothing"),
}


def strict_rule_gain(runs, groups, scope):
    looser = f"loss_at_tol_{STRICT_AGAINST:g}"
    stopped = runs.dropna(subset=[looser])
    values = _per_seed(stopped, lambda r: np.log10(r[looser] / r["final_loss"]).median())
    return values, (f"median log10 of the loss where a {STRICT_AGAINST:g} rule stops the run over the loss where "
                    "this protocol stopped it (> 0: the stricter rule ends lower)")


def distance_correlation(runs, groups, scope):
    stopped = _stopped(runs)
    values = _per_seed(stopped, lambda r: spearmanr(r["epochs"], r["distance_from_start"]).statistic
                       if r["epochs"].nunique() > 1 else np.nan)
    return values, "Spearman correlation of epochs with the distance of the weights from their start, over runs"


def epochs_spread_ratio(runs, groups, scope):
    first, second = scope["activations"][:2]

    def spread(rows):
        epochs = rows["epochs"].dropna()
        if len(epochs) < 2 or epochs.min() <= 0:
            raise Unmeasurable(f"a spread of epochs needs two runs or more per setting and seed; a seed has "
                               f"{len(epochs)} (max/min over one run is 1 by definition)")
        return epochs.max() / epochs.min()

    values = _per_seed(runs, lambda r: spread(r[r["role"] == first]) / spread(r[r["role"] == second]))
    return values, "max/min epochs over inits, ReLU everywhere over sigmoid"


#: Test name (``sources/blog.yaml``, ``claims[].test``) -> its measurement and threshold.
CLAIMS = {
    "loss_range_at_stop": Measure(share_loss_in_range, 0.5, 0.1),
    "binary_like": Measure(binary_fraction, BINARY_LIKE, 0.05, reads_codes=True),
    "epochs_vary_with_init": Measure(init_effect_on_epochs, NEGLIGIBLE_EFFECT, 0.0, units=".3f", judge=judge_effect),
    "runs_agree": Measure(agreement_above_chance, 0.0, 0.02, units=".3f", reads_codes=True),
    "more_binary": Measure(binary_difference, 0.0, 0.02, units=".3f", reads_codes=True),
    "no_bijection": Measure(bijections_found, 0.0, 0.0, above=False, inclusive=True, reads_codes=True),
    "losses_all_above": Measure(loss_gap, 0.0, LOSS_GAP_TOLERANCE, units=".3f"),
    "epochs_much_more": Measure(epochs_ratio, MUCH_MORE, 0.1, units=".2f"),
    "no_shared_pattern": Measure(agreement_above_chance, 0.0, 0.02, above=False, units=".3f", reads_codes=True),
    "all_reconstruct": Measure(reconstructing_share, 1.0, 0.0, units=".2f", inclusive=True),
    "none_reconstruct": Measure(reconstructing_share, 0.0, 0.0, above=False, units=".2f", inclusive=True),
    "relu_hidden_works": Measure(relu_hidden_share, 0.5, 0.1, units=".2f"),
    "no_constant_unit": Measure(constant_unit_share, 0.0, 0.0, above=False, units=".2f", inclusive=True, reads_codes=True),
    "no_binary_like": Measure(binary_fraction, BINARY_LIKE, 0.05, above=False, units=".2f", reads_codes=True),
    "strict_rule_better": Measure(strict_rule_gain, 0.0, 0.1, units=".2f"),
    "epochs_follow_distance": Measure(distance_correlation, 0.5, 0.1, units=".2f"),
    "relu_epochs_spread": Measure(epochs_spread_ratio, MUCH_MORE, 0.1, units=".3g"),
}


def _with_roles(runs, roles, scope):
    """``runs`` with a ``role`` column naming each row's activation setting by the scope's roles."""
    by_setting = {roles.get(role): role for role in scope.get("activations", [])}
    return runs.assign(role=runs["activation"].map(by_setting))


def decide(test, runs, groups, roles, scope=None):
    """Decide one claim on the rows of ``runs`` and ``groups`` inside ``scope``.

    Parameters
    ----------
    test : str
        A key of :data:`CLAIMS`.
    runs, groups : DataFrame or None
        Per-run and per-group facts of one protocol (see the module docstring).
    roles : dict
        Role -> activation setting name (``report.roles``; a role may be None).
    scope : dict, default=None
        ``configurations`` (ordered: some tests compare the first with the
        others), ``activations`` (role names) and ``inits``; None: everything.

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
    scope = scope or {}
    if any(roles.get(role) is None for role in scope.get("activations", [])):
        return _no_data("the study has no activation setting for " + ", ".join(scope["activations"]))
    if test in NOT_TESTABLE:
        return _no_data(NOT_TESTABLE[test])
    runs, groups = in_scope(runs, scope, roles), in_scope(groups, scope, roles)
    if runs is None or not len(runs) or (scope.get("configurations") and
                                         not set(scope["configurations"]) <= set(runs["configuration"])):
        return _no_data()
    states = stuck_states(runs)
    if CLAIMS[test].reads_codes:
        blind = on_plateau(runs)
        if blind.sum() > len(runs) / 2:
            return _no_data(f"{int(blind.sum())} of {len(runs)} runs in scope have a code that ignores the input "
                            f"({_stuck_words(states[blind])}): no code to read the claim from")
        runs, groups, note = _off_plateau(runs, groups, blind, states)
    else:
        note = (f" ({_stuck_words(states)} of {len(runs)} runs in scope: counted, a stuck run is evidence here)"
                if (states != "").any() else "")
    try:
        values, words = CLAIMS[test].measure(_with_roles(runs, roles, scope), groups, scope)
    except KeyError as missing:  # the blog printed no such number
        return _no_data(f"no {missing} in the data")
    except Unmeasurable as why:
        return _no_data(str(why) + note)
    words, context = words if isinstance(words, tuple) else (words, "")
    verdict = (CLAIMS[test].judge or judge)(values, CLAIMS[test], words)
    return replace(verdict, evidence=verdict.evidence + context + note)


def _off_plateau(runs, groups, blind, states):
    """``runs`` and ``groups`` without the input-blind runs and their groups, and a note saying how many went."""
    if not blind.any():
        return runs, groups, ""
    keys = [c for c in ("configuration", "activation", "seed") if c in runs.columns and c in groups.columns]
    gone = runs.loc[blind, keys].drop_duplicates()
    kept = groups.merge(gone, on=keys, how="left", indicator=True)
    groups = groups[(kept["_merge"] == "left_only").to_numpy()]
    return (runs[~blind], groups,
            f" ({int(blind.sum())} of {len(runs)} runs in scope with an input-blind code left out, with their groups: "
            f"{_stuck_words(states[blind])})")
