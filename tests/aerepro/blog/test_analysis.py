"""Tests of aerepro.blog.analysis: group-by-group alignment and summaries of a study's codes."""

import numpy as np
import pandas as pd
import pytest

from aerepro.blog.analysis import analyse_codes, code_matrix

BIJECTIVE = np.array([[0.02, 0.97], [0.95, 0.9], [0.1, 0.05], [0.99, 0.01]])


def long(run, H):
    n, k = H.shape
    return pd.DataFrame({"run": run, "input": np.repeat(np.arange(n), k), "unit": np.tile(np.arange(k), n),
                         "value": H.ravel()})


def study(codes, activation="sigmoid", protocol="p", reconstructs=None):
    names = list(codes)
    records = pd.DataFrame({"run": names, "configuration": "4-2-4", "activation": activation, "protocol": protocol,
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
