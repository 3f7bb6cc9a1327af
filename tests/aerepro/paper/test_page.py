"""The paper page's readings and notes, on constructed numbers."""

import math

import pandas as pd
import pytest

from aerepro.paper.page import (
    _carriers,
    _closer,
    _confound_note,
    _defining_readings,
    _failed_note,
    _fewest_for_interval,
    _headline,
    _in_short,
    _over_seeds,
    _readings,
    _verdict,
)


def left(**kw):
    """A leave-one-out summary: the printed worst pattern (000) among 40 pooled runs and 5 of its own."""
    base = {"runs": 40, "seeds": 5, "reconstructed": 21, "left_out_below_printed": 9, "trained_above_printed": 9,
            "left_out_ratio_above": 8, "trained_ratio_above": 0, "trained_runs": 10, "worst_pattern": "000",
            "pattern_runs": 5, "pattern_trained_runs": 5, "pattern_left_out_below": 0, "pattern_trained_above": 2,
            "pattern_left_out_range": (0.275, 1.2), "printed_worst": 0.0959, "printed_ratio": 30.0,
            "failed_seeds": [0], "difference": (0.418, math.nan, math.nan, 0.24, 0.882),
            "difference_fitted": (0.352, math.nan, math.nan, 0.24, 0.536)}
    return {**base, **kw}


def test_a_tie_reads_as_neither():
    assert _closer(1 - 9 / 40, 9 / 40) == "neither"
    assert _closer(0.5, 0.1) == "left-out" and _closer(0.1, 0.5) == "trained-on"


def test_the_pooled_tie_is_exact_and_the_like_for_like_reading_is_the_printed_patterns_own():
    pooled, own, ratio = _readings(left())
    assert pooled == "neither"  # 9 of 40 below, 9 of 40 above: 0.225 each, no floating-point winner
    assert own == "trained-on"  # all 5 left-out losses above it, 2 of 5 trained ones above it
    assert ratio == "left-out"
    assert _readings(left(pattern_left_out_below=2, pattern_trained_above=0))[1] == "left-out"


def test_the_verdict_uses_the_like_for_like_reading_not_the_pooled_one():
    assert "disagree" in _verdict(left()) and "cannot decide" in _verdict(left())
    agree = _verdict(left(left_out_ratio_above=0, trained_ratio_above=5))  # ratio now trained-on
    assert "Both readings make it look like a trained-on pattern" in agree
    tie = _verdict(left(pattern_left_out_below=2, pattern_trained_above=2, pattern_runs=4, pattern_trained_runs=4))
    assert "cannot tell" in tie and "cannot decide" in tie


def test_intervals_over_too_few_seeds_print_na_with_the_spread_of_the_seeds():
    assert _fewest_for_interval() == 6
    assert _over_seeds((0.49, math.nan, math.nan, 0.261, 1.23)) == "0.49 (seeds' medians 0.261 to 1.23; interval n/a)"
    assert _over_seeds((0.49, 0.3, 1.0, 0.261, 1.23)) == "0.49 [0.3, 1] (seeds' medians 0.261 to 1.23)"


def test_the_failed_all_patterns_runs_are_counted_and_named():
    plain = pd.DataFrame({"seed": [0, 1, 2, 3, 4], "clean_loss": [0.2466, 0.05, 0.03, 0.03, 0.03]})
    note = _failed_note(left(), plain)
    assert note.startswith("1 of these 5 seeds' runs trained on all 8 fails to reconstruct all 8: seed 0 (clean loss 0.247)")
    assert "over the other 4 seeds" in note
    assert "Every one of the 5" in _failed_note(left(failed_seeds=[]), plain)


def test_the_rising_updates_are_attributed_to_their_seeds():
    row = {"rising_updates": 29, "rising_by_seed": ((0, 15), (9, 10), (1, 3), (2, 1)), "unfit_seeds": (0, 9),
           "unfit_rising_updates": 25}
    assert _carriers(row) == ("; the 29 rising updates by seed: seed 0 15, seed 9 10, seed 1 3, seed 2 1; 25 of the 29 "
                              "in the runs of seeds 0 and 9, which do not reconstruct all the patterns")
    assert _carriers({**row, "rising_updates": 0}) == ""


def test_the_in_short_list_compares_medians_over_seeds_and_says_where_the_rises_are():
    equal = pd.DataFrame({"batch_size": [1, 4], "reached": [7, 7], "seeds": [10, 10], "updates": [16000, 16000]})
    batches = pd.DataFrame({"batch_size": [1, 4], "reached": [7, 0], "seeds": [10, 10], "rising_share": [0.0, 0.02]})
    noise = pd.DataFrame({"batch_size": [1], "median_share": [0.0], "mean_share": [0.0725], "rising_updates": [29],
                          "unfit_rising_updates": [25], "unfit_seeds": [(0, 9)]})
    paper = {"estimator": {"batch_size": 1, "max_iter": 2000}, "loss_level": 0.05}
    text = _in_short(left(), equal, pd.DataFrame({"excludes_zero": [False]}), noise, batches, paper)
    assert "it rose after 0.0% of a seed's updates; 25 of the 29 rising updates over all seeds are in the runs of seeds 0 and 9" in text
    assert "7.2" not in text
    assert "cannot tell (a tie)" in text and "more typical of a trained-on pattern by its loss against our losses on 000" in text


PAPER = {"estimator": {"activation": "leaky_relu"},
         "variants": {"plain": {}, "sparse": {"activation": "sigmoid", "sparsity_weight": 0.05},
                      "l2": {"alpha": 0.001}}}


def test_a_variant_that_changes_the_activation_is_flagged_as_confounded():
    note = _confound_note(PAPER)
    assert "**sparse** also changes the hidden units from leaky_relu to sigmoid" in note and "cannot separate" in note
    assert "l2" not in note
    assert _confound_note({**PAPER, "variants": {"sparse": {"sparsity_weight": 0.05}}}) == ""


def test_the_sparse_reading_says_its_effect_mixes_penalty_and_activation():
    paper = {**PAPER, "variants": {"sparse": PAPER["variants"]["sparse"]}, "properties": {"levels": [0.2]},
             "estimator": {"activation": "leaky_relu", "hidden_layer_sizes": [4]}}
    effects = pd.DataFrame({"variant": ["sparse"], "column": ["silent_share"], "median": [-0.34], "low": [-0.66],
                            "high": [-0.16], "excludes_zero": [True], "pairs": [10]})
    properties = pd.DataFrame({"mean_code_activation": [0.4, 1.4]}, index=["sparse", "plain"])
    text = _defining_readings(pd.DataFrame({"variant": ["sparse"]}), properties, effects, paper)
    assert "the penalty's and the activation's together, not the penalty's alone" in text


def test_the_headline_names_the_training_loss_apart_from_the_clean_loss():
    plain = pd.DataFrame({"reconstructs_all": [True, False], "final_loss": [0.0131, 0.474],
                          "clean_loss": [0.01312, 0.473]})
    text = " ".join(_headline(plain).split())
    assert "final training losses (the last epoch's mean" in text and "range from 0.0131 to 0.474" in text
    assert "the clean loss of the trained models (below) from 0.01312 to 0.473" in text


@pytest.mark.parametrize("kind", ["left-out", "trained-on"])
def test_a_decided_reading_names_its_kind(kind):
    from aerepro.paper.page import _typical_of
    assert _typical_of(kind) == f"more typical of a **{kind}** pattern"
    assert "cannot tell" in _typical_of("neither")
