"""The encoder family: the grid, success over seeds, cost and growth, and the family block's validation."""

import copy

import numpy as np
import pandas as pd
import pytest
import yaml

from ae import AutoEncoder
from aerepro.family.analysis import (
    PLATEAU_MARGIN,
    cost_table,
    family_success,
    growth_exponent,
    literature_table,
    plateau_loss,
    power_law,
    summarize_family,
)
from aerepro.family.grid import code_width, expand_family, family_stacks, fit_family
from aerepro.runs import run_record
from aerepro.params import validate_params
from tests.aerepro.test_params import REAL, ROOT, assert_rejected, run_stage

# Hand-made 4-pattern codes of width 2 (raw values: snap rounds to 0, 0.5, 1; binarising to 0, 1).
BIJECTION = [[0.02, 0.1], [0.1, 0.97], [0.9, 0.05], [0.96, 0.9]]        # every 2-bit word once
DISTINCT_NOT_BINARY = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.5, 0.0]]   # 4 rows, one at 0.5
BINARISED_ONLY = [[0.0, 0.0], [0.0, 0.6], [1.0, 0.0], [0.55, 0.9]]      # snapped: 0.5s; binarised: 4 words
REPEATED = [[0.0, 0.0], [0.0, 0.0], [1.0, 0.0], [1.0, 1.0]]             # rows 0 and 1 equal


def test_success_counts_hand_made_codes():
    rates = family_success([BIJECTION, DISTINCT_NOT_BINARY, BINARISED_ONLY, REPEATED])
    assert rates == {"n_seeds": 4, "n_diverged": 0,
                     "distinct_share": 0.75,     # all but REPEATED
                     "bijection_share": 0.25,    # BIJECTION only
                     "binarised_share": 0.5}     # BIJECTION and BINARISED_ONLY (0.5 binarises to 0)


def test_a_diverged_seed_counts_as_a_failure_of_every_measure():
    rates = family_success([BIJECTION, None, BIJECTION, None])
    assert rates["n_seeds"] == 4 and rates["n_diverged"] == 2
    assert rates["distinct_share"] == rates["bijection_share"] == rates["binarised_share"] == 0.5
    assert family_success([None])["distinct_share"] == 0.0
    with pytest.raises(ValueError):
        family_success([])


def test_a_wider_code_is_never_a_bijection():
    wide = [row + [0.0] for row in BIJECTION]  # 4 patterns, 3 units: distinct but 2**3 != 4
    rates = family_success([wide])
    assert rates["distinct_share"] == 1.0 and rates["bijection_share"] == 0.0


@pytest.mark.parametrize("n, extra, k", [(2, 0, 1), (8, 0, 3), (16, 1, 5), (1024, 0, 10)])
def test_code_width(n, extra, k):
    assert code_width(n, extra) == k


@pytest.mark.parametrize("n, extra", [(6, 0), (1, 0), (0, 0), (8.5, 0), (8, -1)])
def test_code_width_rejects(n, extra):
    with pytest.raises(ValueError):
        code_width(n, extra)


FAMILY = {
    "sizes": [4, 8],
    "extra_code_units": [0, 1],
    "n_seeds": 3,
    "estimator": {"solver": "adam", "learning_rate_init": 0.1, "max_iter": 50, "tol": 0.0},
    "inits": {"uniform": {"init": "uniform", "init_value": 0.1},
              "jitter": {"init": "constant", "init_value": 0.5, "init_jitter": 0.01}},
    "checks": {"gd": {"sizes": [8], "inits": ["uniform"], "n_seeds": 2,
                      "estimator": {"solver": "sgd", "learning_rate_init": 1.0}}},
}


def test_expand_family_grid_order_names_and_parameters():
    runs = expand_family(FAMILY)
    main, checks = runs[:24], runs[24:]
    assert len(main) == 2 * 2 * 2 * 3 and len(checks) == 1 * 2 * 1 * 2
    assert [r.name for r in main[:4]] == ["4-2-4/uniform/seed0", "4-2-4/uniform/seed1", "4-2-4/uniform/seed2",
                                          "4-2-4/jitter/seed0"]
    assert len({r.name for r in runs}) == len(runs)
    r = next(r for r in main if r.name == "8-4-8/jitter/seed2")
    assert (r.coords["n_inputs"], r.coords["code_units"], r.coords["extra"], r.coords["seed"]) == (8, 4, 1, 2)
    assert r.params["hidden_layer_sizes"] == (4,) and r.params["random_state"] == 2
    assert r.params["init"] == "constant" and r.params["init_jitter"] == 0.01 and r.params["solver"] == "adam"
    c = checks[0]
    assert c.name == "8-3-8/uniform+gd/seed0" and c.coords["check"] == "gd"
    # a check's estimator replaces the shared one's values, keeps the rest
    assert c.params["solver"] == "sgd" and c.params["learning_rate_init"] == 1.0 and c.params["max_iter"] == 50
    assert c.params["init"] == "uniform"
    assert isinstance(r.estimator(), AutoEncoder) and r.estimator().get_params()["hidden_layer_sizes"] == (4,)


@pytest.fixture(scope="module")
def fitted():
    family = {**FAMILY, "extra_code_units": [0]}
    runs = expand_family(family)
    estimators = [r.estimator() for r in runs]
    with pytest.warns(Warning):  # max_iter reached (tol=0): re-emitted from the workers
        stack_of = fit_family(runs, estimators, n_jobs=2, max_stack=4)
    return runs, estimators, stack_of


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_fit_family_matches_fit_alone_bit_for_bit(fitted):
    runs, estimators, stack_of = fitted
    for k in (0, 7, len(runs) - 1):
        alone = runs[k].estimator().fit(np.eye(runs[k].coords["n_inputs"]))
        for a, b in zip(alone.coefs_, estimators[k].coefs_):
            np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(alone.loss_curve_, estimators[k].loss_curve_)
    # 6 runs per N in the main grid: two stacks of 3 each (max_stack=4); the check's 2 runs (sgd) apart
    members = {}
    for r, k in zip(runs, stack_of):
        members.setdefault(k, set()).add((r.coords["n_inputs"], r.coords["check"]))
    assert all(len(m) == 1 for m in members.values()) and len(members) == 5
    assert sorted(e.stack_size_ for e in estimators) == [2] * 2 + [3] * 12


def test_records_summary_and_cost_from_fitted_runs(fitted):
    runs, estimators, stack_of = fitted
    records = pd.DataFrame([run_record(r, e, np.eye(r.coords["n_inputs"])) for r, e in zip(runs, estimators)])
    records["stack"] = stack_of
    assert list(records.columns[:8]) == ["run", "architecture", "n_inputs", "code_units", "extra", "init", "check",
                                         "seed"]
    codes = {r.name: e.transform(np.eye(r.coords["n_inputs"])) for r, e in zip(runs, estimators)}
    summary = summarize_family(records, codes.get)
    assert list(summary["init"]) == ["uniform", "jitter", "uniform", "jitter", "uniform+gd"]
    row = summary[(summary["architecture"] == "8-3-8") & (summary["init"] == "uniform")].iloc[0]
    mine = [codes[r.name] for r in runs if r.coords["architecture"] == "8-3-8" and r.coords["init"] == "uniform"]
    expected = family_success(mine)
    assert row["n_seeds"] == 3 and row["distinct_share"] == expected["distinct_share"]
    assert row["binarised_share"] == expected["binarised_share"]
    assert row["median_epochs"] == 50 and row["converged_share"] == 0.0  # tol=0 never converges
    cost = cost_table(records)
    assert list(cost["architecture"]) == ["4-2-4", "8-3-8"]  # the check is another stack: left out
    assert list(cost["models"]) == [6, 6] and list(cost["stacks"]) == [2, 2]
    assert list(cost["model_epochs"]) == [300, 300]
    main = records[(records["architecture"] == "8-3-8") & (records["check"] == "")]
    assert cost["stack_seconds"].iloc[1] == main.groupby("stack")["train_seconds"].max().sum()


def test_family_stacks_split_evenly_largest_first():
    family = {**FAMILY, "extra_code_units": [0], "n_seeds": 5, "checks": {}}
    runs = expand_family(family)  # 4-2-4 and 8-3-8, 10 runs each
    estimators = [r.estimator() for r in runs]
    whole = family_stacks(runs, estimators)
    assert [len(m) for m in whole] == [10, 10] and runs[whole[0][0]].coords["n_inputs"] == 8
    split = family_stacks(runs, estimators, max_stack=4)
    assert [len(m) for m in split] == [4, 3, 3, 4, 3, 3]
    assert sorted(i for m in split for i in m) == list(range(20))
    assert all(len({runs[i].coords["n_inputs"] for i in m}) == 1 for m in split)


def test_summary_counts_plateau_and_budget_from_records():
    records = pd.DataFrame({
        "run": ["a", "b", "c", "d"], "architecture": "16-4-16", "n_inputs": 16, "code_units": 4, "extra": 0,
        "init": "u", "check": "", "seed": [0, 1, 2, 3], "epochs": [10, 20, 30, 1000],
        "stop_reason": ["converged", "converged", "diverged", "max_iter"],
        "final_loss": [plateau_loss(16), 0.01, np.nan, PLATEAU_MARGIN * plateau_loss(16) * 0.999],
        "train_seconds": [1.0, 2.0, 3.0, 4.0], "binary_fraction": [1.0, 0.5, np.nan, 0.75],
    })
    code = np.eye(16)[:, :4]  # 16 rows, only 5 distinct
    summary = summarize_family(records, {"a": code, "b": code, "c": None, "d": code}.get)
    row = summary.iloc[0]
    assert row["n_seeds"] == 4 and row["n_diverged"] == 1
    assert row["plateau_share"] == 0.25 and row["converged_share"] == 0.5
    assert row["median_epochs"] == 25 and row["median_binary_fraction"] == 0.75
    assert row["distinct_share"] == 0.0


def test_plateau_loss_is_the_loss_of_answering_one_over_n():
    for n in (2, 8, 256):
        X = np.eye(n)
        P = np.full((n, n), 1.0 / n)
        bce = -np.mean(X * np.log(P) + (1 - X) * np.log(1 - P))
        assert plateau_loss(n) == pytest.approx(bce, rel=1e-12)
    with pytest.raises(ValueError):
        plateau_loss(1)


def test_power_law_recovers_exponent_and_constant():
    n = np.array([16, 32, 64, 128, 256])
    p, log_c = power_law(n, 3e-9 * n**2.3)
    assert p == pytest.approx(2.3, abs=1e-12) and np.exp(log_c) == pytest.approx(3e-9, rel=1e-9)
    assert growth_exponent(n, 5.0 * np.ones(5)) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("n, seconds", [([8, 8], [1.0, 2.0]), ([8, 16], [1.0]), ([8, 16], [1.0, 0.0]),
                                        ([8, 16], [1.0, np.nan])])
def test_power_law_rejects(n, seconds):
    with pytest.raises(ValueError):
        power_law(n, seconds)


def test_literature_table_sets_each_figure_beside_our_share():
    literature = yaml.safe_load((ROOT / "sources" / "encoder_literature.yaml").read_text())
    summary = pd.DataFrame({"architecture": ["8-3-8", "8-3-8", "16-4-16"], "init": ["uniform", "jitter", "uniform"],
                            "bijection_share": [0.25, 0.0, 0.0], "binarised_share": [0.35, 0.3, 0.0]})
    table = literature_table(literature, summary).set_index(["source", "architecture"])
    ackley = table.loc[("ackley1985", "8-3-8")]
    assert ackley["literature"] == "16 of 20" and ackley["literature_share"] == 0.8
    assert ackley["ours: uniform"] == 0.25 and ackley["ours: jitter"] == 0.0
    assert table.loc[("backprop_replication", "8-3-8"), "ours: uniform"] == 0.35
    big = table.loc[("ackley1985", "40-10-40")]
    assert big["literature"] == "98.6%" and np.isnan(big["ours: uniform"])  # nothing comparable run


def test_literature_source_cites_every_figure():
    literature = yaml.safe_load((ROOT / "sources" / "encoder_literature.yaml").read_text())
    assert all(fig["source"] in literature["sources"] for fig in literature["figures"])
    assert all(src["citation"].strip() for src in literature["sources"].values())


# -- the family block of params.yaml ---------------------------------------


def family_edited(**edits):
    params = copy.deepcopy(REAL)
    for dotted, value in edits.items():
        *parents, key = dotted.split("__")
        node = params["family"]
        for name in parents:
            node = node[name]
        node[key] = value
    return params


@pytest.mark.parametrize(
    "edits, expected",
    [
        ({"sizes": [4, 12]}, "family.sizes: item 1: expected a power of two >= 2, got 12"),
        ({"sizes": []}, "family.sizes: empty list (no runs to train)"),
        ({"n_seeds": 0}, "family.n_seeds: expected an integer >= 1, got 0"),
        ({"extra_code_units": [-1]}, "family.extra_code_units: item 0: expected an integer in 0..16, got -1"),
        ({"estimator__solver": "adamm"},
         "family.estimator.solver: 'adamm' is not one of adam, rmsprop, sgd (did you mean 'adam'?)"),
        ({"estimator__random_state": 3},
         "family.estimator.random_state: has no effect: family.n_seeds sets it for every run"),
        ({"inits__uniform__init": "unifrom"}, "family.inits.uniform.init: 'unifrom' is not one of "),
        ({"checks__gd_long__inits": ["glorot"]},
         "family.checks.gd_long.inits: unknown init 'glorot' (family.inits has uniform, constant_jitter)"),
        ({"checks__gd_long__n_seed": 3}, "family.checks.gd_long.n_seed: unknown key (did you mean 'n_seeds'?)"),
    ],
    ids=["size", "no-sizes", "seeds", "extra", "solver", "overridden", "init", "check-init", "check-key"],
)
def test_family_validation_one_problem_each(edits, expected):
    problems = validate_params(family_edited(**edits))
    assert len(problems) == 1 and problems[0].startswith(expected), problems


def test_family_block_is_required_and_checks_are_optional():
    params = copy.deepcopy(REAL)
    del params["family"]["checks"]
    assert validate_params(params) == []
    del params["family"]
    assert validate_params(params) == ["family: missing"]


def test_family_stage_rejects_a_bad_value_in_one_line(tmp_path):
    result = run_stage("family", tmp_path, family_edited(sizes=[4, 10]))
    assert_rejected(result, "family.sizes: item 1: expected a power of two >= 2, got 10", lines=1)


def test_family_report_stage_rejects_a_typo_in_one_line(tmp_path):
    result = run_stage("family_report", tmp_path, family_edited(n_seds=3))
    assert_rejected(result, "family.n_seds: unknown key (did you mean 'n_seeds'?)", lines=1)
