"""aerepro.loss.schema: the loss block's rules, each a line naming the key."""

import pytest

from aerepro.loss.schema import MAX_READINGS, SCHEMA
from aerepro.loss.train import PARAMS
from aerepro.params import SCHEMA as SHARED
from aerepro.params import resolve, select
from aerepro.schema import check_params
from tests.aerepro.loss.conftest import tiny_params


def problems(params):
    keys = resolve(list(PARAMS), params)
    return check_params(select(params, keys), SCHEMA | SHARED, keys, params)


def test_the_tiny_study_is_valid():
    assert problems(tiny_params()) == []


@pytest.mark.parametrize("edit, expected", [
    (lambda p: p["loss"]["budgets"].pop("8-4-8"), "loss.budgets.8-4-8: missing (every configuration"),
    (lambda p: p["loss"]["budgets"].update({"16-5-16": 100}), "loss.budgets.16-5-16: expected one of study.configurations"),
    (lambda p: p["loss"]["budgets"].update({"8-3-8": 0}), "loss.budgets.8-3-8: expected an int in the range"),
    (lambda p: p["loss"].update(compared=["mse"]), "loss.compared: expected two losses"),
    (lambda p: p["loss"].update(compared=["mse", "hinge"]), "loss.compared: item 1: 'hinge' is not one of"),
    (lambda p: p["loss"].update(protocol="jiter"), "loss.protocol: expected one of study.protocols"),
    (lambda p: p["loss"]["estimator"].update(loss="mse"), "loss.estimator.loss: has no effect: loss.compared sets it"),
    (lambda p: p["loss"]["estimator"].update(tol="1e-7"), "loss.estimator.tol: expected"),
    (lambda p: p["loss"].update(checkpoint_every=1),
     f"kept epochs a run at loss.checkpoint_every=1: at most {MAX_READINGS}"),
    (lambda p: p["loss"].update(stop=True), "loss.stop: unknown key"),
    # a budget of any size is counted, never listed: 10**30 epochs is one line, not a list of 10**28 readings
    (lambda p: p["loss"]["budgets"].update({"8-3-8": 10**30}), "loss.budgets.8-3-8: 20000000000000000000000000001 kept"),  # every 50
])
def test_a_bad_value_is_one_line_naming_its_key(edit, expected):
    params = tiny_params()
    edit(params)
    found = problems(params)
    assert any(expected in line for line in found), found


def test_a_merged_run_the_estimator_refuses_is_named():
    params = tiny_params()
    params["loss"]["estimator"].update(noise=2.0, noise_type="masking")
    assert any(line.startswith("loss run 8-3-8/binary_crossentropy/c1/seed0: noise must be in [0, 1]")
               for line in problems(params))
