"""aerepro.family.grid: code widths, the grid, and fitting it in stacks."""

import numpy as np
import pytest

from ae import AutoEncoder
from aerepro.family.grid import code_width, expand_family

from .conftest import FAMILY


@pytest.mark.parametrize("n, extra, k", [(2, 0, 1), (8, 0, 3), (16, 1, 5), (1024, 0, 10)])
def test_code_width(n, extra, k):
    assert code_width(n, extra) == k


@pytest.mark.parametrize("n, extra", [(6, 0), (1, 0), (0, 0), (8.5, 0), (8, -1)])
def test_code_width_rejects(n, extra):
    with pytest.raises(ValueError):
        code_width(n, extra)




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
