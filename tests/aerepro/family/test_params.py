"""The family block of params.yaml: one clear problem per bad value, through validate_params and the real stages."""

import copy

import pytest

from aerepro.studies import validate_params
from tests.aerepro.test_validation import REAL, assert_rejected, run_stage


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
