"""Tests of aerepro.blog.analysis: group-by-group alignment and summaries of a study's codes."""

import os

import numpy as np
import pandas as pd
import pytest

from aerepro.blog.analysis import (
    analyse_codes,
    code_matrix,
    constant_units,
)
from aerepro.codes import summarize_codes

BIJECTIVE = np.array([[0.02, 0.97], [0.95, 0.9], [0.1, 0.05], [0.99, 0.01]])


def long(run, H):
    n, k = H.shape
    return pd.DataFrame({"run": run, "input": np.repeat(np.arange(n), k), "unit": np.tile(np.arange(k), n),
                         "value": H.ravel()})


def study(codes, activation="sigmoid", protocol="p", reconstructs=None, seed=0):
    names = list(codes)
    records = pd.DataFrame({"run": names, "configuration": "4-2-4", "activation": activation, "protocol": protocol,
                            "seed": seed,
                            "init_value": np.linspace(1, 0.2, len(names)),
                            "reconstructs_all": reconstructs or [True] * len(names)})
    return records, pd.concat([long(r, H) for r, H in codes.items()], ignore_index=True)


def test_code_matrix_round_trips_long_form_in_any_row_order():
    H = np.arange(6.0).reshape(3, 2) / 10
    shuffled = long("a", H).sample(frac=1, random_state=0)
    np.testing.assert_array_equal(code_matrix(shuffled), H)


def test_a_permuted_copy_aligns_to_the_first_run_and_agrees_fully():
    records, codes = study({"a": BIJECTIVE, "b": BIJECTIVE[:, ::-1]})
    runs, groups, aligned, consensus = analyse_codes(records, codes)
    g = groups.iloc[0]
    assert (g["n_runs"], g["n_valid"], g["bijections"], g["collapsed"], g["dead"]) == (2, 2, 2, 0, 0)
    assert g["agreement_mean"] == 1.0 and g["distinct_codes_mean"] == 4 and g["binary_fraction_mean"] == 1.0
    b = aligned[aligned["run"] == "b"].pivot(index="input", columns="unit", values="value").to_numpy()
    np.testing.assert_array_equal(b, BIJECTIVE)  # columns swapped back
    assert runs["binary_bijection"].tolist() == [True, True]
    table = consensus.pivot(index="input", columns="unit", values="value").to_numpy()
    np.testing.assert_array_equal(table, np.round(BIJECTIVE))


def test_a_group_row_is_the_summary_of_its_valid_runs():
    rng = np.random.default_rng(3)
    group = {"a": BIJECTIVE, "b": rng.uniform(size=(4, 2)), "c": BIJECTIVE[:, ::-1], "gone": np.full((4, 2), np.nan)}
    records, codes = study(group)
    runs, groups, _, consensus = analyse_codes(records, codes)
    summary = summarize_codes([group[r] for r in "abc"])
    g = groups.iloc[0]
    assert g["distinct_codes_mean"] == np.mean(summary["distinct_codes"])
    assert g["binary_fraction_mean"] == np.mean(summary["binary_fraction"])
    assert g["agreement_mean"] == summary["mean_agreement"]
    assert g["consensus_agreement"] == summary["consensus_agreement"]
    assert g["bijections"] == sum(summary["binary_bijection"]) and g["collapsed"] == sum(summary["symmetric_collapse"])
    valid = runs.set_index("run").loc[list("abc")]
    assert valid["agreement_with_first"].tolist() == summary["agreement_with_first"]
    table = consensus.pivot(index="input", columns="unit", values="value").to_numpy()
    np.testing.assert_array_equal(table, summary["consensus"].to_numpy())


def test_a_diverged_run_is_counted_but_never_read():
    nan = np.full_like(BIJECTIVE, np.nan)
    records, codes = study({"a": BIJECTIVE, "gone": nan, "c": BIJECTIVE}, reconstructs=[True, False, True])
    runs, groups, aligned, _ = analyse_codes(records, codes)
    g = groups.iloc[0]
    assert (g["n_runs"], g["n_valid"], g["reconstruct_all"]) == (3, 2, 2)
    assert set(aligned["run"]) == {"a", "c"}
    gone = runs.set_index("run").loc["gone"]
    assert not gone["aligned"] and np.isnan(gone["agreement_with_first"]) and np.isnan(gone["dead_units"])


def test_collapsed_and_dead_codes_are_told_apart():
    same = np.repeat([[0.3], [0.6], [0.5], [0.4]], 2, axis=1)  # identical units, alive
    zeros = np.zeros((4, 2))                                    # dead ReLUs: identical too
    records, codes = study({"same": same, "zeros": zeros}, activation="relu")
    runs, groups, _, _ = analyse_codes(records, codes)
    assert (groups.iloc[0]["collapsed"], groups.iloc[0]["dead"]) == (2, 1)
    assert runs.set_index("run")["dead_units"].to_dict() == {"same": 0, "zeros": 2}


def test_groups_are_analysed_separately_in_order():
    r1, c1 = study({"a": BIJECTIVE}, protocol="first")
    r2, c2 = study({"b": np.full((4, 2), 0.5)}, protocol="second")
    _, groups, _, consensus = analyse_codes(pd.concat([r1, r2], ignore_index=True), pd.concat([c1, c2]))
    assert groups["protocol"].tolist() == ["first", "second"]
    assert groups["bijections"].tolist() == [1, 0]
    assert set(consensus.loc[consensus["protocol"] == "second", "value"]) == {0.5}


@pytest.mark.parametrize("missing", ["all", "none"])
def test_a_group_without_any_code_still_has_a_row(missing):
    nan = np.full((4, 2), np.nan)
    records, codes = study({"x": nan, "y": nan} if missing == "all" else {"x": BIJECTIVE, "y": BIJECTIVE})
    _, groups, aligned, consensus = analyse_codes(records, codes)
    assert len(groups) == 1
    assert (groups.iloc[0]["n_valid"] == 0) == (missing == "all")
    assert aligned.empty == consensus.empty == (missing == "all")


def test_identical_runs_agree_far_above_their_chance_level():
    records, codes = study({r: BIJECTIVE for r in "abcde"})
    g = analyse_codes(records, codes)[1].iloc[0]
    assert g["agreement_mean"] == 1.0 and g["agreement_chance_q95"] < 1.0 and g["agreement_p"] < 0.05


def test_seeds_are_groups_of_their_own():
    r1, c1 = study({"a": BIJECTIVE, "b": BIJECTIVE}, seed=0)
    r2, c2 = study({"c": BIJECTIVE, "d": 1 - BIJECTIVE}, seed=1)
    groups = analyse_codes(pd.concat([r1, r2], ignore_index=True), pd.concat([c1, c2]))[1]
    assert groups["seed"].tolist() == [0, 1]
    assert groups["agreement_mean"].iloc[0] == 1.0 and groups["agreement_mean"].iloc[1] < 1.0


def test_plateau_counts_collapsed_units_that_are_alive():
    same = np.repeat([[0.3], [0.6], [0.5], [0.4]], 2, axis=1)
    records, codes = study({"same": same, "zeros": np.zeros((4, 2))})
    g = analyse_codes(records, codes)[1].iloc[0]
    assert (g["collapsed"], g["plateau"], g["dead"]) == (2, 1, 1)


def test_constant_units_count_units_snapped_to_one_value_everywhere():
    S = np.array([[0.0, 1.0, 0.5], [0.0, 0.0, 0.5], [0.0, 1.0, 0.5]])
    assert constant_units(S) == 2


def test_the_analysis_of_a_runs_table_without_the_fit_readings_names_the_stage_to_rerun(tmp_path):
    from aerepro.blog.analyse import analyse
    from aerepro.runs import RUNS, MissingInput

    runs_dir = tmp_path / "16-5-16"
    runs_dir.mkdir()
    pd.DataFrame({"run": ["a"], "final_loss": [0.1]}).to_csv(runs_dir / RUNS, index=False)
    with pytest.raises(MissingInput, match=r"no column 'distance_from_start'.*dvc repro train@16-5-16"):
        analyse(runs_dir, tmp_path / "out", tmp_path / "fig")


def _slow_square(x, delay):
    import time

    time.sleep(delay)
    return x * x, os.getpid()


def test_the_study_map_keeps_the_jobs_order_across_forked_workers():
    from aerepro.blog.analyse import _map

    jobs = [(1, 0.3), (2, 0.0), (3, 0.1), (4, 0.0)]  # the first finishes last
    results = _map(_slow_square, jobs, n_jobs=2)
    assert [r for r, _ in results] == [1, 4, 9, 16]
    assert len({pid for _, pid in results}) == 2 and os.getpid() not in {pid for _, pid in results}
    assert [r for r, _ in _map(_slow_square, jobs, n_jobs=None)] == [1, 4, 9, 16]  # None: here, in order
    assert {pid for _, pid in _map(_slow_square, jobs, n_jobs=1)} == {os.getpid()}


def test_the_study_map_fails_when_a_worker_dies_instead_of_waiting_for_it():
    from concurrent.futures.process import BrokenProcessPool

    from aerepro.blog.analyse import _map

    with pytest.raises(BrokenProcessPool):
        _map(os._exit, [(9,), (9,)], n_jobs=2)  # as the OOM killer would end it
