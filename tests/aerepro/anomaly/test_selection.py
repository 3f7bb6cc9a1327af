"""Choosing the epoch budget on validation images: the candidates, their weights, the choice."""

import numpy as np
import pytest

from aerepro.anomaly.selection import at_epochs, choose, choose_epochs, epoch_budgets
from aerepro.grid import make_estimator

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

SETTINGS = {"hidden_layer_sizes": [3], "batch_size": 8, "learning_rate_init": 0.05, "tol": 0.0, "random_state": 0}


def test_epoch_budgets_are_distinct_shares_of_max_iter_at_least_one():
    assert epoch_budgets([1.0, 0.25, 0.5], 100) == [25, 50, 100]
    assert epoch_budgets([0.001, 0.002, 1.0], 10) == [1, 10]


def test_a_budget_s_weights_are_those_of_a_fit_with_that_max_iter():
    X = np.random.default_rng(0).uniform(size=(30, 6))
    long = make_estimator({**SETTINGS, "max_iter": 20, "checkpoint_epochs": [5, 12]}).fit(X)
    for epochs in (5, 12, 20):
        short = make_estimator({**SETTINGS, "max_iter": epochs}).fit(X)
        at = at_epochs(long, epochs)
        assert at.n_iter_ == short.n_iter_ == epochs
        assert np.array_equal(at.predict(X), short.predict(X))
    assert long.n_iter_ == 20 and not np.array_equal(at_epochs(long, 5).predict(X), long.predict(X))  # a copy


def test_a_budget_beyond_where_the_fit_stopped_is_the_fit_itself():
    X = np.random.default_rng(1).uniform(size=(30, 6))
    stopped = make_estimator({**SETTINGS, "tol": 10.0, "n_iter_no_change": 2, "max_iter": 50}).fit(X)
    assert stopped.n_iter_ < 50
    assert at_epochs(stopped, 50) is stopped


def test_a_budget_without_kept_weights_is_an_error():
    X = np.random.default_rng(2).uniform(size=(20, 4))
    model = make_estimator({**SETTINGS, "max_iter": 10}).fit(X)
    with pytest.raises(ValueError, match="epoch 4"):
        at_epochs(model, 4)


def test_choose_takes_the_highest_and_the_first_on_a_tie():
    assert choose([0.2, 0.9, 0.5]) == 1
    assert choose([0.7, 0.7, 0.1]) == 0


class Scaling:
    """A stand-in model: reconstructs ``X * coefs_[0]``, with a scale kept after each epoch."""

    def __init__(self, scales):
        self.checkpoints_ = {e: ([np.asarray(s)], []) for e, s in scales.items()}
        self.n_iter_ = max(scales) + 1
        self.coefs_, self.intercepts_, self.loss_curve_ = [np.ones(2)], [], np.zeros(self.n_iter_)

    def predict(self, X):
        return X * self.coefs_[0]


@pytest.mark.parametrize("good", [1, 2, 3])
def test_choose_epochs_picks_the_candidate_with_the_best_validation_auc(good):
    rng = np.random.default_rng(3)
    normal = np.c_[rng.uniform(0.5, 1, 20), rng.uniform(0, 0.1, 20)]
    anomalies = np.c_[rng.uniform(0, 0.1, 20), rng.uniform(0.5, 1, 20)]
    X, is_anomaly = np.vstack([normal, anomalies]), np.r_[np.zeros(20), np.ones(20)]
    # keeping the first pixel reconstructs the normal images: errors small on them, large on the anomalies
    scales = {e: ([1.0, 0.0] if e == good else [0.0, 1.0] if e % 2 else [0.5, 0.5]) for e in (1, 2, 3)}
    chosen, aucs = choose_epochs(Scaling(scales), [1, 2, 3], X, is_anomaly)
    assert chosen == good
    assert aucs[good - 1] == 1.0 and max(a for e, a in zip((1, 2, 3), aucs) if e != good) < 1.0
