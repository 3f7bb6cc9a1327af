"""Tests of aerepro.blog.claims: each claim's test is driven to each of its states on constructed data."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from aerepro.blog import claims
from aerepro.blog.claims import CLAIMS, STRICT_AGAINST, Measure, in_scope, judge
from aerepro.plateau import on_plateau

CONFIGS = ["16-5-16", "16-4-16", "16-3-16", "16-8-4-8-16"]
SETTINGS = ["sigmoid", "relu", "relu_sigmoid"]
INITS = [1.0, 0.8, 0.6, 0.4, 0.2]
SEEDS = [0, 1, 2]
#: The activation settings' parts, as params.yaml's report.roles names them.
ROLES = {"blog_activation": "sigmoid", "relu_everywhere": "relu", "relu_hidden": "relu_sigmoid"}
SOURCE = yaml.safe_load((Path(__file__).parents[3] / "sources" / "blog.yaml").read_text())
SCOPE = {str(c["id"]): c.get("scope") for c in SOURCE["claims"]}
TEST = {str(c["id"]): c["test"] for c in SOURCE["claims"]}


def base_runs():
    """Healthy runs: every configuration x setting x init x seed reconstructs, epochs grow as the init falls."""
    rows = []
    for c in CONFIGS:
        for a in SETTINGS:
            for k, init in enumerate(INITS):
                for seed in SEEDS:
                    epochs = 1000 * (k + 1) + seed
                    rows.append({"configuration": c, "activation": a, "init_value": init, "seed": seed,
                                 "final_loss": 1e-5, "epochs": epochs, "stop_reason": "converged",
                                 "reconstructs_all": True, "binary_bijection": False, "symmetric_collapse": 0.0,
                                 "dead_units": 0, "n_code": 4, "binary_fraction": 0.5, "constant_units": 0,
                                 f"loss_at_tol_{STRICT_AGAINST:g}": 1e-4, "distance_from_start": epochs / 1000})
    return pd.DataFrame(rows)


def base_groups():
    return pd.DataFrame([{"configuration": c, "activation": a, "seed": s, "binary_fraction_mean": 0.5,
                          "consensus_binary_fraction": 0.9, "agreement_mean": 0.8, "agreement_chance_q95": 0.5}
                         for c in CONFIGS for a in SETTINGS for s in SEEDS])


def where(frame, configuration=None, activation=None, seed=None):
    mask = pd.Series(True, index=frame.index)
    for column, value in (("configuration", configuration), ("activation", activation), ("seed", seed)):
        if value is not None:
            mask &= frame[column] == value
    return mask


def decide(claim, runs, groups, roles=ROLES, scope=None):
    return claims.decide(TEST[claim], runs, groups, roles, SCOPE[claim] if scope is None else scope)


# Each case: claim id, a change to the healthy runs and groups, the state it must give.
def _set(frame_name, column, value, **at):
    def change(runs, groups):
        frame = runs if frame_name == "runs" else groups
        frame.loc[where(frame, **at), column] = value
    return change


def _both(*changes):
    def change(runs, groups):
        for c in changes:
            c(runs, groups)
    return change


def _epochs_by_seed_only(runs, groups):
    runs["epochs"] = 1000 + 10 * runs["seed"] + np.arange(len(runs)) % 2


def _same_epochs(runs, groups):
    runs["epochs"] = 1000


def _relu_erratic(runs, groups):
    relu = where(runs, activation="relu")
    runs.loc[relu, "epochs"] = np.where(runs.loc[relu, "init_value"] == 0.2, 100_000, 10)


CASES = [
    ("1", None, "holds"),
    ("1", _set("runs", "final_loss", 1e-2), "fails"),
    ("1", _set("runs", "final_loss", 1e-2, seed=1), "borderline"),
    ("2", None, "holds"),
    ("2", _set("groups", "consensus_binary_fraction", 0.5), "fails"),
    ("2", _set("groups", "consensus_binary_fraction", 0.5, seed=2), "borderline"),
    ("2", _set("groups", "consensus_binary_fraction", 0.76), "borderline"),  # within the tolerance
    ("3", None, "holds"),
    ("3", _same_epochs, "fails"),  # no effect, and the interval shows it negligible
    ("3", _epochs_by_seed_only, "fails"),  # every init the same epochs: the effect is shown negligible
    ("4", None, "holds"),
    ("4", _set("groups", "agreement_mean", 0.4), "fails"),
    ("4", _set("groups", "agreement_mean", 0.4, seed=0), "borderline"),
    ("5", _set("groups", "consensus_binary_fraction", 0.7, configuration="16-5-16"), "holds"),
    ("5", _set("groups", "consensus_binary_fraction", 0.7, configuration="16-4-16"), "fails"),
    ("5", _set("groups", "consensus_binary_fraction", 0.7, configuration="16-4-16", seed=0), "borderline"),
    ("6", None, "holds"),
    ("6", _set("runs", "binary_bijection", True, configuration="16-4-16"), "fails"),
    ("6", _set("runs", "binary_bijection", True, configuration="16-4-16", seed=1), "borderline"),
    ("7", _set("runs", "final_loss", 1e-3, configuration="16-4-16"), "holds"),
    ("7", _set("runs", "final_loss", 1e-3, configuration="16-5-16"), "fails"),
    ("7", _set("runs", "final_loss", 1e-3, configuration="16-4-16", seed=0), "borderline"),
    ("8", _set("runs", "epochs", 10**6, configuration="16-3-16"), "holds"),
    ("8", None, "fails"),
    ("8", _set("runs", "epochs", 10**6, configuration="16-3-16", seed=0), "borderline"),
    ("9", _set("groups", "agreement_mean", 0.3), "holds"),
    ("9", None, "fails"),
    ("9", _set("groups", "agreement_mean", 0.3, seed=0), "borderline"),
    ("10", None, "holds"),
    ("10", _set("runs", "reconstructs_all", False, configuration="16-3-16"), "fails"),
    ("10", _set("runs", "reconstructs_all", False, configuration="16-3-16", seed=2), "borderline"),
    ("12", _set("runs", "reconstructs_all", False, activation="relu"), "holds"),
    ("12", None, "fails"),
    ("12", _set("runs", "reconstructs_all", False, activation="relu", seed=0), "borderline"),
    ("13", None, "holds"),
    ("13", _set("runs", "reconstructs_all", False, activation="relu_sigmoid"), "fails"),
    ("13", _set("runs", "reconstructs_all", False, activation="relu_sigmoid", seed=1), "borderline"),
    ("15", _set("groups", "consensus_binary_fraction", 0.5, configuration="16-3-16"), "holds"),
    ("15", None, "fails"),
    ("15", _set("groups", "consensus_binary_fraction", 0.5, configuration="16-3-16", seed=0), "borderline"),
    ("16", None, "holds"),
    ("16", _set("runs", "constant_units", 1, configuration="16-5-16"), "fails"),
    ("16", _set("runs", "constant_units", 1, configuration="16-5-16", seed=0), "borderline"),
    ("18", _relu_erratic, "holds"),
    ("18", None, "fails"),
]


@pytest.mark.parametrize("claim, change, state", CASES,
                         ids=[f"claim{c}-{s}-{i}" for i, (c, _, s) in enumerate(CASES)])
def test_each_claim_reaches_each_state(claim, change, state):
    runs, groups = base_runs(), base_groups()
    if change is not None:
        change(runs, groups)
    verdict = decide(claim, runs, groups)
    assert verdict.state == state, verdict.evidence


def test_every_claim_test_reaches_holds_and_fails_in_the_cases():
    reached = {(TEST[c], s) for c, _, s in CASES}
    for test in set(TEST.values()) - {"all_reconstruct"} - set(claims.NOT_TESTABLE):  # 11 shares 10's test
        assert {(test, "holds"), (test, "fails")} <= reached, test


def test_every_claim_of_the_blog_data_file_has_a_test_and_a_scope():
    assert {c["test"] for c in SOURCE["claims"]} == set(CLAIMS)
    assert [c["id"] for c in SOURCE["claims"]] == list(range(1, len(SOURCE["claims"]) + 1))
    assert all(c.get("scope") for c in SOURCE["claims"])


CODE_CLAIMS = sorted((c for c in SCOPE if CLAIMS[TEST[c]].reads_codes), key=int)
OTHER_CLAIMS = sorted((c for c in SCOPE if not CLAIMS[TEST[c]].reads_codes), key=int)


def test_the_claims_read_off_codes_are_the_code_measures():
    assert CODE_CLAIMS == ["2", "4", "5", "6", "9", "15", "16"]


@pytest.mark.parametrize("claim", CODE_CLAIMS)
def test_runs_on_the_symmetric_plateau_make_every_code_claim_na(claim):
    runs = base_runs().assign(symmetric_collapse=1.0)  # identical units, not dead
    verdict = decide(claim, runs, base_groups())
    assert verdict.state == "n/a" and "ignores the input" in verdict.evidence and "symmetric plateau" in verdict.evidence


@pytest.mark.parametrize("claim", OTHER_CLAIMS)
def test_runs_on_the_symmetric_plateau_are_evidence_for_every_other_claim(claim):
    # a stuck run is what a claim about losses, epochs or reconstruction is about: it counts, and is named
    runs = base_runs().assign(symmetric_collapse=1.0)
    verdict = decide(claim, runs, base_groups())
    assert verdict.state != "n/a" or "plateau" not in verdict.evidence, verdict.evidence
    if verdict.state != "n/a":
        assert "on the symmetric plateau" in verdict.evidence and "counted" in verdict.evidence


def test_plateau_runs_that_reconstruct_nothing_fail_a_reconstruction_claim():
    runs = base_runs().assign(symmetric_collapse=1.0, reconstructs_all=False)
    verdict = decide("11", runs, base_groups())
    assert verdict.state == "fails" and "15 on the symmetric plateau of 15 runs in scope: counted" in verdict.evidence


def test_the_clip_and_the_plateau_are_two_states():
    runs = base_runs()
    relu = where(runs, activation="relu")
    runs.loc[relu, ["final_loss", "reconstructs_all", "symmetric_collapse"]] = [15.11157, False, 1.0]
    states = claims.stuck_states(runs)
    assert set(states[relu]) == {"clip"} and set(states[~relu]) == {""}
    verdict = decide("12", runs, base_groups())  # ReLU everywhere reconstructs nothing: the clip is the evidence
    assert verdict.state == "holds" and "at the clip" in verdict.evidence and "plateau" not in verdict.evidence
    runs.loc[relu, "final_loss"] = 0.2338
    assert set(claims.stuck_states(runs)[relu]) == {"plateau"}


def test_a_spread_over_one_run_is_na_with_its_reason():
    runs = base_runs()
    one = runs[(runs["activation"] != "relu") | (runs["init_value"] == 1.0)]  # one ReLU run per seed
    verdict = decide("18", one, base_groups())
    assert verdict.state == "n/a" and "1 by definition" in verdict.evidence


def test_dead_units_are_not_the_plateau_relu_claims_still_decide():
    runs = base_runs()
    relu = where(runs, activation="relu")
    runs.loc[relu, ["symmetric_collapse", "dead_units", "reconstructs_all"]] = [1.0, 4, False]
    assert decide("12", runs, base_groups()).state == "holds"


@pytest.mark.parametrize("claim", sorted(SCOPE, key=int))
def test_every_claim_is_na_without_runs_in_scope(claim):
    runs, groups = base_runs(), base_groups()
    assert decide(claim, runs.iloc[:0], groups.iloc[:0]).state == "n/a"


def test_a_claim_about_a_setting_the_study_lacks_is_na_and_says_so():
    verdict = decide("12", base_runs(), base_groups(), roles={**ROLES, "relu_everywhere": None})
    assert verdict.state == "n/a" and "relu_everywhere" in verdict.evidence


def test_a_claim_on_numbers_the_blog_did_not_print_is_na():
    runs = base_runs().drop(columns=["seed", "binary_bijection"])
    assert decide("6", runs, base_groups()).state == "n/a"


def test_the_init_effect_needs_seeds_to_be_told_from_noise():
    runs = base_runs()
    verdict = decide("3", runs[runs["seed"] == 0].drop(columns="seed"), base_groups())
    assert verdict.state == "n/a" and "cannot be told apart" in verdict.evidence


def test_scope_decides_on_exactly_its_runs():
    runs = base_runs()
    runs.loc[where(runs, configuration="16-5-16", activation="relu"), "reconstructs_all"] = False
    # claim 12's scope is 16-8-4-8-16 only: the 16-5-16 ReLU runs do not count ...
    assert decide("12", runs, base_groups()).state == "fails"
    # ... and a wider scope sees them
    wide = {"configurations": ["16-5-16"], "activations": ["relu_everywhere"]}
    assert decide("12", runs, base_groups(), scope=wide).state == "holds"
    picked = in_scope(runs, SCOPE["12"], ROLES)
    assert set(picked["configuration"]) == {"16-8-4-8-16"} and set(picked["activation"]) == {"relu"}


def test_judge_reports_the_median_margin_and_the_range():
    verdict = judge([0.6, 0.8, 1.0], Measure(None, 0.5, 0.05), "share")
    assert verdict.state == "holds" and verdict.margin == pytest.approx(0.3)
    assert "median 0.8" in verdict.evidence and "range 0.6..1 over 3 seeds" in verdict.evidence
    below = judge([0.1, 0.2], Measure(None, 0.5, 0.05, above=False), "share")
    assert below.state == "holds" and below.margin == pytest.approx(0.35)


@pytest.mark.parametrize("values, state", [([0, 0, 0], "holds"), ([0, 1, 0], "borderline"), ([1, 2, 1], "fails")])
def test_an_inclusive_measure_holds_at_its_threshold(values, state):
    verdict = judge(values, Measure(None, 0.0, 0.0, above=False, inclusive=True), "count")
    assert verdict.state == state and "holds if <= 0" in verdict.evidence


def test_unknown_test_is_a_key_error_naming_the_known_ones():
    with pytest.raises(KeyError, match="loss_range_at_stop"):
        claims.decide("nope", None, None, ROLES)


def test_an_input_blind_jittered_run_is_on_the_plateau_though_its_units_differ():
    runs = base_runs().assign(distinct_codes=16)
    sel = where(runs, configuration="16-8-4-8-16", activation="sigmoid")
    runs.loc[sel, ["distinct_codes", "reconstructs_all"]] = [1, False]  # units a hair apart: not collapsed
    assert on_plateau(runs).sum() == sel.sum()
    deep = {"configurations": ["16-8-4-8-16"], "activations": ["blog_activation"]}
    assert decide("15", runs, base_groups(), scope=deep).state == "n/a"  # read off codes: none left to read
    assert decide("11", runs, base_groups()).state == "fails"  # about reconstruction: they are the evidence
    runs.loc[sel, "reconstructs_all"] = True  # one snapped code that still reconstructs is not blind
    assert decide("11", runs, base_groups()).state == "holds" and "plateau" not in decide("11", runs, base_groups()).evidence


def test_a_few_plateau_runs_are_left_out_and_named():
    runs, groups = base_runs(), base_groups()
    on = where(runs, configuration="16-5-16", activation="sigmoid", seed=0)
    runs.loc[on, "symmetric_collapse"] = 1.0
    groups.loc[where(groups, configuration="16-5-16", activation="sigmoid", seed=0), "agreement_mean"] = 1.0
    verdict = decide("4", runs, groups)  # the plateau group's perfect agreement is not counted
    assert verdict.state == "holds" and "5 of 15 runs in scope with an input-blind code left out" in verdict.evidence
    assert "5 on the symmetric plateau" in verdict.evidence
    assert "over 2 seeds" in verdict.evidence


def test_claims_2_and_5_read_the_consensus_table_as_the_blog_did_not_the_runs_own_codes():
    runs, groups = base_runs(), base_groups()
    groups["binary_fraction_mean"] = 0.1  # each run's own code far from binary-like
    assert decide("2", runs, groups).state == "holds"  # its consensus table is binary-like (0.9)
    groups["consensus_binary_fraction"] = 0.5
    assert decide("2", runs, groups).state == "fails" and "consensus" in decide("2", runs, groups).evidence


@pytest.mark.parametrize("values, state, robust", [
    ([0.7, 0.8, 0.9], "holds", True),     # far above the threshold: any tolerance agrees
    ([0.58, 0.6, 0.62], "holds", False),  # above by more than 0.05 but not by the doubled 0.1
    ([0.53, 0.6, 0.62], "borderline", False),  # within 0.05, not within the halved 0.025: a free choice decides
    ([0.1, 0.2, 0.3], "fails", True),
])
def test_a_verdict_says_whether_a_halved_or_doubled_tolerance_keeps_it(values, state, robust):
    verdict = judge(values, Measure(None, 0.5, 0.05), "share")
    assert (verdict.state, verdict.tolerance_robust) == (state, robust)
    assert verdict.low == pytest.approx(min(values) - 0.5) and verdict.high == pytest.approx(max(values) - 0.5)


def test_decide_all_names_each_free_choice_that_changes_a_verdict_and_the_state_under_it():
    from aerepro.blog.verdicts import decide_all, sensitivity_table, state_metrics

    runs, groups = base_runs(), base_groups()
    failing = runs.copy()
    failing.loc[where(failing, configuration="16-3-16"), "reconstructs_all"] = False
    claim = next(c for c in SOURCE["claims"] if c["id"] == 10)
    columns = {"own": (runs, groups), "own+shared": (runs, groups), "own~p10": (failing, groups)}
    twins = {"own": {"shared draw": "own+shared", "p10": "own~p10"}}
    table = decide_all([claim], columns, ROLES, twins)
    own = table[table["column"] == "own"].iloc[0]
    assert own["state"] == "holds" and own["sensitivity"] == {"shared draw": "holds", "p10": "fails"}
    assert own["depends_on"] == ["p10"] and not own["robust"]
    assert state_metrics(table)["own"]["claim10_all_reconstruct"] == "holds"  # the evidence is the page's
    assert sensitivity_table(table, ["own"]).iloc[0]["own"] == "holds — p10: fails"
    same = decide_all([claim], {**columns, "own~p10": (runs, groups)}, ROLES, twins)
    robust = same[same["column"] == "own"].iloc[0]
    assert robust["robust"] and robust["depends_on"] == []
    assert sensitivity_table(same, ["own"]).iloc[0]["own"] == "holds — robust"
    # a column without twins is robust on its tolerance alone
    assert state_metrics(same)["own_p10"]["claim10_all_reconstruct"] == "holds"


@pytest.mark.parametrize("claim", ["14", "17"])
def test_claims_the_runs_cannot_decide_are_na_with_the_reason(claim):
    verdict = decide(claim, base_runs(), base_groups())
    assert verdict.state == "n/a" and verdict.evidence.startswith("not testable here: the blog")


def _one_init(runs, groups):
    return runs[runs["init_value"] == 1.0].reset_index(drop=True), groups


def _no_stop(runs, groups):
    return runs.assign(stop_reason="max_iter"), groups


def _zero_epochs(runs, groups):
    return runs.assign(epochs=0), groups


def _no_groups(runs, groups):
    return runs, groups.iloc[:0]


@pytest.mark.parametrize("claim", sorted(SCOPE, key=int))
@pytest.mark.parametrize("degenerate", [_one_init, _no_stop, _zero_epochs, _no_groups],
                         ids=["one-init", "nothing-stopped", "zero-epochs", "no-groups"])
def test_a_measure_on_degenerate_runs_is_a_state_with_finite_numbers_never_an_error(claim, degenerate):
    runs, groups = degenerate(base_runs(), base_groups())
    verdict = decide(claim, runs, groups)
    assert verdict.state in claims.STATES
    assert verdict.margin is None or np.isfinite(verdict.margin), verdict.evidence
    if verdict.state == "n/a":
        assert verdict.evidence and verdict.margin is None


def test_a_ratio_over_zero_epochs_is_na_not_infinite():
    runs = base_runs().assign(epochs=0)
    verdict = decide("8", runs, base_groups())
    assert verdict.state == "n/a" and "nothing to measure" in verdict.evidence


def test_a_seed_undefined_is_left_out_and_counted():
    verdict = judge([0.8, np.nan, 0.9], Measure(None, 0.5, 0.05), "share")
    assert verdict.state == "holds" and "undefined on 1 of 3 seeds" in verdict.evidence
    assert judge([np.inf, 0.9], Measure(None, 0.5, 0.05), "ratio").state == "n/a"


def test_a_large_p_value_is_not_evidence_of_no_effect():
    runs = base_runs()
    rng = np.random.default_rng(1)
    runs["epochs"] = 1000 + rng.integers(0, 500, len(runs))  # noise, no effect of the init
    verdict = decide("3", runs, base_groups())
    assert verdict.state == "borderline" and "95% interval" in verdict.evidence
    assert verdict.low < 0 < verdict.high  # the interval straddles the negligible effect
    assert "p = " in verdict.evidence and claims.SIGNIFICANT < float(verdict.evidence.split("p = ")[1].split(";")[0])


def test_the_loss_at_the_stop_counts_only_runs_the_blogs_rule_stopped():
    runs = base_runs().assign(blogs_rule=False)  # a protocol with a rule of its own
    verdict = decide("1", runs, base_groups())
    assert verdict.state == "n/a" and "this protocol's own rule" in verdict.evidence
    assert decide("1", runs.assign(blogs_rule=True), base_groups()).state == "holds"


def test_the_consensus_claims_set_the_chance_level_beside_the_blogs_measure():
    groups = base_groups().assign(consensus_binary_chance=0.6, consensus_binary_chance_q95=0.7)
    groups.loc[where(groups, configuration="16-5-16", seed=0), "consensus_binary_chance_q95"] = 0.95
    verdict = decide("2", base_runs(), groups)
    assert verdict.state == "holds"  # the state is the blog's measure against its threshold; chance is beside it
    # in scope: 16-5-16 with the blog's setting, a group per seed; seed 0's null reaches past the observed 0.9
    assert f"16-5-16 0.600, observed above its 95th percentile in {len(SEEDS) - 1} of {len(SEEDS)} groups" \
        in verdict.evidence
    five = decide("5", base_runs(), groups).evidence
    assert "against chance" in five and "16-4-16 0.600" in five and "16-5-16 0.600" in five
    assert "against chance" not in decide("2", base_runs(), base_groups()).evidence  # no null drawn: no words
