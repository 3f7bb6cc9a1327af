"""aerepro.symmetry.grid: the three arms from params.yaml, budgets, and the perturbed start."""

import numpy as np
import pytest
import yaml

from aerepro.symmetry.grid import epoch_budget, estimator_of, expand_symmetry
from tests.aerepro.test_validation import REAL


@pytest.fixture(scope="module")
def runs():
    return expand_symmetry(REAL["symmetry"], REAL["study"])


def test_the_arms_cover_their_grids(runs):
    symmetry, study = REAL["symmetry"], REAL["study"]
    arms = {}
    for run in runs:
        arms.setdefault(run.coords["arm"], []).append(run)
    configs, inits = len(study["configurations"]), len(study["inits"])
    assert len(arms["start"]) == configs * inits * len(symmetry["dtypes"])
    assert len(arms["perturbed"]) == len(symmetry["perturbation"]["sizes"]) * len(symmetry["dtypes"])
    rules = symmetry["stop_rules"]
    assert len(arms["stop_rule"]) == configs * inits * len(rules["readings"]) * len(rules["patience"]) * len(rules["mechanisms"])
    assert len({r.name for r in runs}) == len(runs)


def test_a_start_run_is_the_exact_constant_init_trained_to_its_budget(runs):
    run = next(r for r in runs if r.name == "start/16-3-16/c0.4/float32")
    assert run.params["init"] == "constant" and run.params["init_jitter"] == 0.0 and run.params["tol"] == 0.0
    assert run.params["max_iter"] == epoch_budget(REAL["study"], "16-3-16", REAL["symmetry"]["budget_protocol"])
    assert run.params["dtype"] == "float32" and run.params["init_value"] == 0.4
    est = run.estimator()
    assert est.hidden_layer_sizes == (3,) and tuple(est.record) == ("unit_spread",)


def test_a_stop_rule_run_reads_the_rule_as_its_coordinates_say(runs):
    run = next(r for r in runs if r.coords["arm"] == "stop_rule" and r.coords["stop_rule"] == "improvement"
               and r.coords["init_jitter"] > 0)
    assert run.params["stop_rule"] == "improvement" and run.params["init_jitter"] == run.coords["init_jitter"]
    assert run.params["n_iter_no_change"] == run.coords["patience"] and run.params["tol"] == 1e-7


def test_epoch_budget_takes_a_configurations_own_override_first():
    study = yaml.safe_load("""
protocols: {long: {max_iter: 100}}
configurations: {a: {hidden_layer_sizes: [2], protocols: {long: {max_iter: 7}}}, b: {hidden_layer_sizes: [2]}}
""")
    assert epoch_budget(study, "a", "long") == 7 and epoch_budget(study, "b", "long") == 100


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_a_perturbed_run_starts_constant_but_one_weight(runs, dtype):
    run = next(r for r in runs if r.coords["arm"] == "perturbed" and r.coords["dtype"] == dtype
               and r.coords["perturbation"] == 1e-6)
    est = estimator_of(run, 16)
    value = run.coords["init_value"]
    assert est.warm_start and [W.dtype for W in est.coefs_] == [np.dtype(dtype)] * 2
    W = est.coefs_[0].astype(np.float64)
    assert W[0, 0] == pytest.approx(value + 1e-6, rel=1e-7) and W[0, 0] != value
    rest = np.delete(W.ravel(), 0)
    assert np.all(rest == np.float64(np.dtype(dtype).type(value)))
    assert all(np.all(b == 0) for b in est.intercepts_)
    unperturbed = next(r for r in runs if r.coords["arm"] == "start")
    assert not hasattr(estimator_of(unperturbed, 16), "coefs_")
