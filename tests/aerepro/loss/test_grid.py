"""aerepro.loss.grid: every configuration x loss x init x seed, paired on the blog study's own starts."""

import numpy as np
import pytest

from aerepro.blog.grid import expand_study
from aerepro.loss.grid import PAIRED_BY, expand_loss, reading_epochs
from tests.aerepro.loss.conftest import REAL, tiny_params


@pytest.fixture(scope="module")
def real_runs():
    """The grid on the real study block, with the tiny loss block's settings and a budget per real configuration."""
    loss = {**tiny_params()["loss"], "budgets": {c: 300 for c in REAL["study"]["configurations"]}}
    return loss, expand_loss(loss, REAL["study"])


def test_the_grid_covers_configurations_losses_inits_and_seeds_once(real_runs):
    loss, runs = real_runs
    study = REAL["study"]
    assert len(runs) == len(study["configurations"]) * 2 * len(study["inits"]) * len(study["seeds"])
    assert len({r.name for r in runs}) == len(runs)
    pairs = {}
    for run in runs:
        pairs.setdefault(tuple(run.coords[k] for k in PAIRED_BY), []).append(run.coords["loss"])
    assert all(sorted(v) == sorted(loss["compared"]) for v in pairs.values())


def test_a_run_starts_where_the_blog_studys_run_of_the_protocol_starts(real_runs):
    loss, runs = real_runs
    blog = {(r.coords["configuration"], r.coords["init_value"], r.coords["seed"]): r.params
            for r in expand_study(REAL["study"]) if r.coords["protocol"] == loss["protocol"]
            and r.coords["activation"] == loss["activation"]}
    for run in runs:
        theirs = blog[tuple(run.coords[k] for k in PAIRED_BY)]
        for key in ("random_state", "init", "init_value", "init_jitter", "hidden_layer_sizes", "activation",
                    "output_activation", "solver", "learning_rate_init"):
            assert run.params[key] == theirs[key], (run.name, key)


def test_a_run_trains_its_configurations_budget_with_no_stop_rule_and_keeps_its_readings(real_runs):
    loss, runs = real_runs
    for run in runs:
        assert run.params["loss"] == run.coords["loss"] and run.params["tol"] == 0.0
        assert run.params["max_iter"] == loss["budgets"][run.coords["configuration"]]
        assert run.params["checkpoint_epochs"] == reading_epochs(run.params["max_iter"], loss["checkpoint_every"])


def test_the_two_losses_of_a_pair_start_from_the_same_weights():
    params = tiny_params()
    runs = expand_loss(params["loss"], params["study"])
    first = next(r for r in runs if r.coords["loss"] == params["loss"]["compared"][0])
    second = next(r for r in runs if r.coords["loss"] == params["loss"]["compared"][1]
                  and all(r.coords[k] == first.coords[k] for k in PAIRED_BY))
    X = np.eye(8)
    starts = []
    for run in (first, second):
        est = run.estimator().set_params(max_iter=1, checkpoint_epochs=[0])
        with pytest.warns(Warning):  # max_iter reached
            est.fit(X)
        starts.append(est.checkpoints_[0])
    for a, b in zip(*[coefs for coefs, _ in starts]):
        np.testing.assert_array_equal(a, b)
    assert not np.allclose(starts[0][0][0], starts[0][0][0][0, 0])  # the jitter moved the constant


def test_reading_epochs_end_at_the_budget():
    assert reading_epochs(300, 100) == [0, 100, 200, 300]
    assert reading_epochs(250, 100)[-1] == 250
