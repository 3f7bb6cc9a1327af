"""The family tests' shared grid, and its runs fitted once."""

import pytest

from aerepro.family.grid import expand_family, fit_family

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


@pytest.fixture(scope="module")
def fitted():
    family = {**FAMILY, "extra_code_units": [0]}
    runs = expand_family(family)
    estimators = [r.estimator() for r in runs]
    with pytest.warns(Warning):  # max_iter reached (tol=0): re-emitted from the workers
        stack_of = fit_family(runs, estimators, n_jobs=2, max_stack=4)
    return runs, estimators, stack_of
