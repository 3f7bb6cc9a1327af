"""Tests of aerepro.blog.claims: each claim's measurement decides both ways, and says why."""

import pandas as pd
import pytest

from aerepro.blog import claims
from aerepro.blog.claims import AGREE, BINARY_LIKE, CLAIMS, MUCH_MORE

CONFIGS = ["16-5-16", "16-4-16", "16-3-16", "16-8-4-8-16"]
#: The activation settings' parts, as params.yaml's report.roles names them.
ROLES = {"blog_activation": "sigmoid", "relu_everywhere": "relu", "relu_hidden": "relu_sigmoid"}


def decide(test, runs, groups, roles=ROLES):
    return claims.decide(test, runs, groups, roles)


def runs_frame(loss=None, epochs=None, bijection=None, stop="converged"):
    """Five sigmoid runs per configuration; ``loss``/``epochs``/``bijection``: configuration -> list of 5."""
    rows = []
    for c in CONFIGS:
        for k, init in enumerate([1.0, 0.8, 0.6, 0.4, 0.2]):
            rows.append({"configuration": c, "activation": "sigmoid", "init_value": init, "stop_reason": stop,
                         "final_loss": (loss or {}).get(c, [1e-5] * 5)[k],
                         "epochs": (epochs or {}).get(c, [1000 * (k + 1)] * 5)[k],
                         "binary_bijection": (bijection or {}).get(c, [False] * 5)[k]})
    return pd.DataFrame(rows)


def groups_frame(**columns):
    """One row per configuration x activation; ``columns``: name -> {(configuration, activation): value}."""
    rows = []
    for c in CONFIGS:
        for a in ["sigmoid", "relu", "relu_sigmoid"]:
            row = {"configuration": c, "activation": a, "n_runs": 5, "reconstruct_all": 5,
                   "binary_fraction_mean": 0.9, "agreement_mean": 0.8}
            row.update({name: values[(c, a)] for name, values in columns.items() if (c, a) in values})
            rows.append(row)
    return pd.DataFrame(rows)


def test_every_claim_of_the_blog_data_file_has_a_test():
    from pathlib import Path

    import yaml

    claims = yaml.safe_load((Path(__file__).parents[3] / "sources" / "blog.yaml").read_text())["claims"]
    assert {c["test"] for c in claims} == set(CLAIMS)
    assert [c["id"] for c in claims] == list(range(1, len(claims) + 1))


@pytest.mark.parametrize("test", sorted(CLAIMS))
def test_every_claim_is_undecided_without_its_columns(test):
    empty = pd.DataFrame({"configuration": [], "activation": []})
    assert decide(test, empty, empty).holds is None


def test_unknown_test_is_a_key_error_naming_the_known_ones():
    with pytest.raises(KeyError, match="loss_range_at_stop"):
        decide("nope", None, None)


def test_loss_range_counts_only_runs_the_rule_stopped():
    inside = runs_frame()
    assert decide("loss_range_at_stop", inside, None).holds
    outside = runs_frame(loss={c: [0.2] * 5 for c in CONFIGS})
    verdict = decide("loss_range_at_stop", outside, None)
    assert verdict.holds is False and "0 of 15" in verdict.evidence
    assert decide("loss_range_at_stop", runs_frame(stop="max_iter"), None).holds is None


@pytest.mark.parametrize("value, holds", [(BINARY_LIKE, True), (BINARY_LIKE - 0.01, False)])
def test_binary_like_threshold(value, holds):
    groups = groups_frame(binary_fraction_mean={("16-5-16", "sigmoid"): value})
    assert decide("binary_like_16_5_16", None, groups).holds is holds


def test_four_more_binary_than_five_compares_the_two_configurations():
    more = groups_frame(binary_fraction_mean={("16-4-16", "sigmoid"): 0.95, ("16-5-16", "sigmoid"): 0.9})
    less = groups_frame(binary_fraction_mean={("16-4-16", "sigmoid"): 0.85, ("16-5-16", "sigmoid"): 0.9})
    assert decide("four_more_binary_than_five", None, more).holds
    assert not decide("four_more_binary_than_five", None, less).holds


def test_epochs_vary_needs_a_spread_in_every_configuration():
    assert decide("epochs_vary_with_init", runs_frame(), None).holds
    flat = runs_frame(epochs={"16-3-16": [1000] * 5})
    verdict = decide("epochs_vary_with_init", flat, None)
    assert verdict.holds is False and "16-3-16 1.00" in verdict.evidence


def test_runs_agree_threshold():
    assert decide("runs_agree_16_5_16", None, groups_frame(agreement_mean={("16-5-16", "sigmoid"): AGREE})).holds
    assert not decide("runs_agree_16_5_16", None, groups_frame(agreement_mean={("16-5-16", "sigmoid"): 0.5})).holds


def test_no_binary_encoding_fails_when_one_run_finds_it():
    assert decide("no_binary_encoding_16_4_16", runs_frame(), None).holds
    found = runs_frame(bijection={"16-4-16": [False, True, False, False, False]})
    verdict = decide("no_binary_encoding_16_4_16", found, None)
    assert verdict.holds is False and verdict.evidence.startswith("1 of 5")


def test_loss_4_above_5_means_every_one_above():
    above = runs_frame(loss={"16-4-16": [1e-4] * 5, "16-5-16": [1e-6] * 5})
    overlap = runs_frame(loss={"16-4-16": [1e-4, 1e-4, 1e-4, 1e-4, 1e-7], "16-5-16": [1e-6] * 5})
    assert decide("loss_4_above_5", above, None).holds
    assert not decide("loss_4_above_5", overlap, None).holds


@pytest.mark.parametrize("factor, holds", [(MUCH_MORE, True), (1.2, False)])
def test_epochs_3_above_4_and_5_by_the_ratio_of_medians(factor, holds):
    runs = runs_frame(epochs={"16-3-16": [int(factor * 1000 * (k + 1)) for k in range(5)]})
    assert decide("epochs_3_above_4_and_5", runs, None).holds is holds


def test_no_shared_pattern_is_the_lowest_agreement():
    low = groups_frame(agreement_mean={("16-3-16", "sigmoid"): 0.5})
    high = groups_frame(agreement_mean={("16-3-16", "sigmoid"): 0.95})
    assert decide("no_shared_pattern_16_3_16", None, low).holds
    assert not decide("no_shared_pattern_16_3_16", None, high).holds


def test_reconstruction_claims_count_runs():
    groups = groups_frame(reconstruct_all={("16-3-16", "sigmoid"): 4, ("16-8-4-8-16", "sigmoid"): 5})
    verdict = decide("reconstructs_16_3_16", None, groups)
    assert verdict.holds is False and verdict.evidence.startswith("4 of 5")
    assert decide("reconstructs_16_8_4_8_16_sigmoid", None, groups).holds


def test_relu_claims():
    fails = groups_frame(reconstruct_all={(c, "relu"): 0 for c in CONFIGS})
    assert decide("relu_everywhere_fails", None, fails).holds
    assert decide("relu_hidden_sigmoid_output_works", None, fails).holds  # relu_sigmoid: 5 of 5 by default
    one = groups_frame(reconstruct_all={**{(c, "relu"): 0 for c in CONFIGS}, ("16-5-16", "relu"): 1})
    assert not decide("relu_everywhere_fails", None, one).holds
    dead = groups_frame(reconstruct_all={(c, "relu_sigmoid"): 0 for c in CONFIGS})
    assert not decide("relu_hidden_sigmoid_output_works", None, dead).holds


def test_claims_read_the_activation_settings_from_the_roles():
    renamed = {"sigmoid": "logistic", "relu": "rectifier", "relu_sigmoid": "rectifier_logistic"}
    roles = {role: renamed[name] for role, name in ROLES.items()}
    groups = groups_frame(reconstruct_all={(c, "relu"): 0 for c in CONFIGS})
    runs = runs_frame()
    for test in CLAIMS:
        same = decide(test, runs.replace(renamed), groups.replace(renamed), roles)
        assert same == decide(test, runs, groups), test
    # under the old names the renamed tables hold none of the roles' settings: nothing to decide
    assert decide("relu_everywhere_fails", None, groups.replace(renamed)).holds is None
