"""The leave-one-out measures, on constructed patterns and models."""

import numpy as np
import pandas as pd
import pytest

from aerepro.paper.grid import LEAVE_ONE_OUT, expand_leave_one_out, leave_one_out_seeds, subset_variant
from aerepro.paper.subsets import (
    left_out_facts,
    left_out_frame,
    left_out_summary,
    leave_one_out,
    pattern_names,
    worst_ratio,
)

X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


class Fixed:
    """A model whose outputs are given: its loss on a row is the binary cross-entropy of them."""

    def __init__(self, P):
        self.P = np.asarray(P, dtype=float)

    def predict(self, X):
        return self.P

    def score_samples(self, X):
        P = np.clip(self.P, 1e-12, 1 - 1e-12)
        return (X * np.log(P) + (1 - X) * np.log(1 - P)).mean(axis=1)


def test_leave_one_out_drops_exactly_the_named_row():
    subsets = leave_one_out(X)
    assert list(subsets) == pattern_names(X) == ["00", "01", "10", "11"]
    np.testing.assert_array_equal(subsets["10"], X[[0, 1, 3]])
    assert all(len(rows) == len(X) - 1 for rows in subsets.values())


def test_leave_one_out_refuses_a_repeated_pattern():
    with pytest.raises(ValueError, match="repeat"):
        leave_one_out(np.vstack([X, X[:1]]))


def test_worst_ratio_is_against_the_median_of_the_others():
    assert worst_ratio([0.1, 0.2, 3.0, 0.3]) == pytest.approx(3.0 / 0.2)
    assert worst_ratio([0.1, 0.2, 3.0, 0.3], index=0) == pytest.approx(0.1 / 0.3)


def test_left_out_facts_read_the_left_out_row_apart_from_the_rest():
    P = np.where(X == 1, 0.9, 0.1)
    P[2] = [0.4, 0.6]  # pattern 10 comes out as 01: not reconstructed, and its loss is the highest
    facts = left_out_facts(Fixed(P), X, "10")
    assert not facts["left_out_reconstructed"] and facts["in_sample_reconstructed"]
    assert facts["left_out_loss"] == pytest.approx(-np.log(0.4))
    assert facts["in_sample_loss"] == pytest.approx(-np.log(0.9))
    assert facts["left_out_ratio"] == pytest.approx(np.log(0.4) / np.log(0.9))
    assert left_out_facts(Fixed(P), X, "01")["left_out_reconstructed"]
    assert not left_out_facts(Fixed(P), X, "01")["in_sample_reconstructed"]


def test_left_out_frame_pairs_each_run_with_the_trained_run_of_its_seed():
    good, bad = Fixed(np.where(X == 1, 0.99, 0.01)), Fixed(np.where(X == 1, 0.6, 0.4))
    runs = pd.DataFrame({"run": ["a", "b"], "seed": [0, 1], "pattern": ["00", "11"]})
    frame = left_out_frame(runs, {"a": bad, "b": good}, X, trained={0: good, 1: bad})
    assert frame["trained_loss"].tolist() == pytest.approx([-np.log(0.99), -np.log(0.6)])
    assert frame["left_out_loss"].tolist() == pytest.approx([-np.log(0.6), -np.log(0.99)])


def test_left_out_summary_counts_and_places_the_printed_worst():
    frame = pd.DataFrame({"seed": [0, 0, 1, 1, 2, 2], "left_out_loss": [1.0, 2.0, 0.05, 3.0, 4.0, 5.0],
                          "left_out_reconstructed": [False, False, True, False, False, False],
                          "in_sample_loss": [0.1] * 6, "trained_loss": [0.01, 0.02, 0.5, 0.03, 0.04, 0.05],
                          "left_out_ratio": [50.0, 60.0, 1.0, 70.0, 80.0, 5.0]})
    printed = [0.2, 0.01, 0.01, 0.01]  # its worst is 0.2, 20 times the others' median
    out = left_out_summary(frame, printed, trained_ratios=[2.0, 30.0, 3.0])
    assert (out["runs"], out["seeds"], out["reconstructed"]) == (6, 3, 1)
    assert out["printed_worst"] == 0.2 and out["printed_ratio"] == pytest.approx(20.0)
    assert out["left_out_below_printed"] == 1 and out["trained_above_printed"] == 1
    assert out["left_out_ratio_above"] == 4 and out["trained_ratio_above"] == 1 and out["trained_runs"] == 3
    # medians over seeds of the per-seed medians (seed 0: 1.5, seed 1: 1.525, seed 2: 4.5), not over the 6 runs (2.5)
    assert out["left_out_loss"][0] == pytest.approx(1.525) and out["difference"][0] == pytest.approx(1.485)
    assert out["left_out_loss"][3:] == pytest.approx((1.5, 4.5))


def test_left_out_intervals_are_over_seeds_and_undefined_with_five():
    def frame(seeds, runs_per_seed):
        seed = np.repeat(np.arange(seeds), runs_per_seed)
        loss = np.arange(seed.size, dtype=float)
        return pd.DataFrame({"seed": seed, "pattern": "00", "left_out_loss": loss, "left_out_reconstructed": False,
                             "in_sample_loss": loss, "trained_loss": 0.0, "left_out_ratio": 1.0})
    five = left_out_summary(frame(5, 8), [0.2, 0.01, 0.01, 0.01], trained_ratios=[1.0])
    assert np.isnan(five["left_out_loss"][1]) and np.isnan(five["left_out_loss"][2])  # 40 runs, but 5 seeds
    six = left_out_summary(frame(6, 8), [0.2, 0.01, 0.01, 0.01], trained_ratios=[1.0])
    assert six["left_out_loss"][1:3] == pytest.approx((3.5, 43.5))  # the lowest and highest per-seed median


def test_the_printed_worst_pattern_is_also_read_against_that_pattern_alone_and_failed_fits_are_counted():
    frame = pd.DataFrame({"seed": [0, 0, 1, 1, 2, 2], "pattern": ["00", "11"] * 3,
                          "left_out_loss": [0.5, 0.01, 0.3, 0.02, 0.1, 0.03], "left_out_reconstructed": False,
                          "in_sample_loss": 0.1, "trained_loss": [0.3, 0.01, 0.1, 0.01, 0.05, 0.01],
                          "left_out_ratio": 1.0})
    printed = [0.2, 0.01, 0.01, 0.01]  # its worst is pattern "00"
    out = left_out_summary(frame, printed, trained_ratios=[1.0] * 3, patterns=["00", "01", "10", "11"],
                           trained_reconstructs={0: False, 1: True, 2: True, 3: False})
    assert out["worst_pattern"] == "00" and out["pattern_runs"] == 3 and out["pattern_trained_runs"] == 3
    assert out["pattern_left_out_below"] == 1 and out["pattern_trained_above"] == 1  # 0.1 below; 0.3 above
    assert out["pattern_left_out_range"] == pytest.approx((0.1, 0.5))
    assert out["failed_seeds"] == [0]  # seed 3 failed too, but it has no leave-one-out runs
    # differences without seed 0: seed 1 (0.2, 0.01) -> 0.105, seed 2 (0.05, 0.02) -> 0.035
    assert out["difference_fitted"][0] == pytest.approx(0.07)


def test_expand_leave_one_out_names_each_pattern_over_the_first_seeds():
    paper = {"estimator": {"batch_size": 1, "max_iter": 5}, "seeds": [4, 7, 9], "leave_one_out": {"seeds": 2}}
    assert leave_one_out_seeds(paper) == [4, 7]
    runs = expand_leave_one_out(paper, ["00", "11"])
    assert [r.name for r in runs] == ["paper/without00/seed4", "paper/without00/seed7", "paper/without11/seed4",
                                      "paper/without11/seed7"]
    assert {r.coords["comparison"] for r in runs} == {LEAVE_ONE_OUT}
    assert runs[2].coords["variant"] == subset_variant("11") and runs[2].params["random_state"] == 4
