"""Tests of aerepro.blog.grid: seeds, the shared-draw control, control arms and runs that draw nothing."""

import numpy as np
import pytest

from aerepro.blog.grid import core_type_of, draws_nothing, expand_study, is_grid_protocol, source_protocol

STUDY = {
    "estimator": {"init": "constant", "solver": "rmsprop", "learning_rate_init": 0.01},
    "configurations": {"6-2-6": {"hidden_layer_sizes": [2], "protocols": {"long": {"max_iter": 300}}}},
    "activations": {"sig": {"activation": "sigmoid"}},
    "protocols": {"exact": {"init_jitter": 0.0, "max_iter": 50}, "long": {"init_jitter": 0.01, "max_iter": 50}},
    "inits": [1.0, 0.5, 0.2],
    "seeds": [0, 1, 2, 3],
    "shared_draw": ["long"],
    "controls": {"random": {"configurations": ["6-2-6"], "activations": ["sig"],
                            "estimator": {"init": "glorot_uniform", "max_iter": 40}}},
    "sensitivity": {"p10": {"protocols": ["exact", "long"], "estimator": {"n_iter_no_change": 10}},
                    "other_blas": {"protocols": ["long"], "core_type": "Haswell"}},
}


def by_protocol(runs, protocol):
    return [r for r in runs if r.coords["protocol"] == protocol]


def test_every_run_of_a_random_protocol_draws_its_own_state_and_is_named_with_its_seed():
    runs = by_protocol(expand_study(STUDY), "long")
    assert len(runs) == 3 * 4
    assert len({r.params["random_state"] for r in runs}) == len(runs)
    assert all(r.name.endswith(f"/seed{r.coords['seed']}") for r in runs)
    assert {r.params["max_iter"] for r in runs} == {300}  # the configuration's override of the protocol


def test_the_shared_draw_runs_every_init_with_the_first_seed_once():
    runs = by_protocol(expand_study(STUDY), "long+shared")
    assert [r.coords["init_value"] for r in runs] == [1.0, 0.5, 0.2]
    assert {r.params["random_state"] for r in runs} == {0} and {r.coords["seed"] for r in runs} == {0}


def test_a_control_arm_runs_once_per_seed_with_no_constant():
    runs = by_protocol(expand_study(STUDY), "random")
    assert [r.params["random_state"] for r in runs] == [0, 1, 2, 3]
    assert all(np.isnan(r.coords["init_value"]) and r.params["init"] == "glorot_uniform" for r in runs)


def test_a_run_that_draws_nothing_trains_once_and_its_seeds_would_be_copies():
    runs = by_protocol(expand_study(STUDY), "exact")
    assert [r.coords["seed"] for r in runs] == [0, 0, 0]
    params = runs[0].params
    assert draws_nothing(params)
    X = np.eye(6)
    fits = [runs[0].estimator().set_params(random_state=s) for s in (0, 7)]
    with pytest.warns(Warning):
        for model in fits:
            model.fit(X)
    for a, b in zip(fits[0].coefs_, fits[1].coefs_):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("change", [{"init_jitter": 0.01}, {"init": "glorot_uniform"}, {"batch_size": 2},
                                    {"noise": 0.1}, {"dropout": 0.1}])
def test_anything_random_gives_a_run_its_seeds(change):
    params = {"init": "constant", "init_jitter": 0.0, **change}
    assert not draws_nothing(params)


def test_a_sensitivity_arm_reruns_its_protocols_from_the_same_starts_with_its_parameters_on_top():
    runs = expand_study(STUDY)
    base = {(r.coords["init_value"], r.coords["seed"]): r for r in by_protocol(runs, "long")}
    arm = by_protocol(runs, "long~p10")
    assert len(arm) == len(base) and {r.params["n_iter_no_change"] for r in arm} == {10}
    for r in arm:
        twin = base[(r.coords["init_value"], r.coords["seed"])]
        assert r.params == {**twin.params, "n_iter_no_change": 10}  # the same start: random_state, jitter, budget
        assert r.name == twin.name.replace("/long/", "/long~p10/")
    assert len(by_protocol(runs, "exact~p10")) == 3  # draws nothing, like its protocol: trains once
    assert not by_protocol(runs, "exact~other_blas")  # only the protocols the arm names
    assert [r.params == t.params for r, t in zip(by_protocol(runs, "long~other_blas"), by_protocol(runs, "long"))] \
        == [True] * len(base)


def test_protocol_names_say_their_source_their_kernel_and_whether_they_are_the_grid():
    assert [source_protocol(p) for p in ("long", "long+shared", "long~p10")] == ["long"] * 3
    assert [is_grid_protocol(p) for p in ("long", "long+shared", "long~p10")] == [True, False, False]
    assert [core_type_of(STUDY, p) for p in ("long", "long~p10", "long~other_blas")] == ["", "", "Haswell"]
