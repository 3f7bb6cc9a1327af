"""The stop rules (ae/stopping.py): the "change" and "improvement" readings of tol, by hand and in a fit."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from ae import AutoEncoder
from ae.stopping import STOP_RULES, ImprovementStopRule, StopRule


def _reasons(rule, losses):
    return [rule.update(loss, epoch) for epoch, loss in enumerate(losses, start=1)]


def test_stop_rule_needs_patience_calm_epochs_in_a_row():
    rule = StopRule(tol=0.1, patience=3, max_iter=100)
    # calm, calm, a jump (the count restarts), then three calm epochs in a row
    assert _reasons(rule, [5.0, 4.95, 4.9, 3.0, 2.99, 2.98, 2.97]) == [None] * 6 + ["converged"]
    assert rule.calm == 3 and rule.previous == 2.97


def test_stop_rule_first_epoch_is_never_calm():
    rule = StopRule(tol=1e9, patience=1, max_iter=100)
    assert _reasons(rule, [1.0, 1.0]) == [None, "converged"]


def test_stop_rule_budget_and_divergence():
    assert _reasons(StopRule(tol=0.0, patience=1, max_iter=3), [3.0, 2.0, 1.0]) == [None, None, "max_iter"]
    # calm == tol is not calm: the change must be smaller
    assert _reasons(StopRule(tol=0.5, patience=1, max_iter=9), [2.0, 1.5, 1.2]) == [None, None, "converged"]
    for bad in (np.nan, np.inf, -np.inf):
        assert _reasons(StopRule(tol=1e9, patience=5, max_iter=9), [1.0, bad]) == [None, "diverged"]


def test_stop_rule_for_partial_fit_runs_exactly_its_epochs():
    rule = StopRule.epochs(4)
    assert _reasons(rule, [1.0] * 4) == [None, None, None, "epochs"]
    assert _reasons(StopRule.epochs(3), [1.0, np.nan]) == [None, "diverged"]


def test_stop_rule_of_an_estimator_reads_its_parameters():
    rule = StopRule.of(AutoEncoder(tol=0.25, n_iter_no_change=7, max_iter=40))
    assert (rule.tol, rule.patience, rule.max_iter, rule.budget) == (0.25, 7, 40, "max_iter")
    assert type(rule) is StopRule
    rule = StopRule.of(AutoEncoder(tol=0.25, n_iter_no_change=7, max_iter=40, stop_rule="improvement"))
    assert type(rule) is ImprovementStopRule and (rule.tol, rule.patience, rule.max_iter) == (0.25, 7, 40)


def test_every_stop_rule_is_a_valid_reading_and_back():
    assert set(STOP_RULES) == set(AutoEncoder._parameter_constraints["stop_rule"][0].options)
    assert all(issubclass(cls, StopRule) for cls in STOP_RULES.values())


# Losses and tol are binary fractions, so every difference and sum below is exact.
LOSSES_BY_HAND = [4.0, 3.0, 2.9375, 3.5, 3.0, 2.96875, 2.9375, 2.0, 1.9375, 1.875, 1.8125]


def test_stop_readings_on_a_hand_computed_sequence():
    # change (|previous - loss| < 0.125 is calm): calm at epochs 3 | 6, 7 | 9, 10, 11: the third in a row is 11.
    change = _reasons(StopRule(tol=0.125, patience=3, max_iter=100), LOSSES_BY_HAND)
    assert change == [None] * 10 + ["converged"]
    # improvement (calm unless loss + 0.125 < best): best 4, 3, then epochs 3, 4, 5 (2.9375, 3.5, 3.0)
    # beat 3 by at most 0.0625: the third non-improving epoch in a row stops at 5.
    rule = ImprovementStopRule(tol=0.125, patience=3, max_iter=100)
    assert _reasons(rule, LOSSES_BY_HAND[:5]) == [None] * 4 + ["converged"]
    assert (rule.best, rule.calm) == (3.0, 3)


def test_improvement_counts_against_the_best_not_the_last_epoch():
    # Down 0.0625 an epoch, tol 0.125: every epoch is calm for the change reading, while
    # every third epoch beats the best by more than tol and restarts the improvement count.
    losses = [4.0 - 0.0625 * k for k in range(12)]
    assert _reasons(StopRule(tol=0.125, patience=3, max_iter=100), losses)[:4] == [None] * 3 + ["converged"]
    rule = ImprovementStopRule(tol=0.125, patience=3, max_iter=100)
    # best 4.0; 3.9375 and 3.875 are within tol of it (calm 1, 2); 3.8125 + 0.125 < 4 improves; and so on.
    assert _reasons(rule, losses) == [None] * 12
    assert rule.best == losses[-3] and rule.calm == 2


def test_improvement_by_exactly_tol_is_not_an_improvement():
    rule = ImprovementStopRule(tol=0.125, patience=1, max_iter=100)
    assert _reasons(rule, [1.0, 0.875]) == [None, "converged"]  # 0.875 + 0.125 < 1.0 is false, as in Keras
    assert _reasons(ImprovementStopRule(tol=0.125, patience=1, max_iter=100), [1.0, 0.75]) == [None, None]


def test_improvement_first_epoch_always_improves():
    # Keras starts with no best: even with tol = inf the first epoch sets it, and the count starts after.
    rule = ImprovementStopRule(tol=np.inf, patience=2, max_iter=9)
    assert rule.best is None
    assert _reasons(rule, [1.0, 0.5, 0.25]) == [None, None, "converged"]
    assert rule.best == 1.0


def test_improvement_budget_and_divergence():
    assert _reasons(ImprovementStopRule(tol=0.0, patience=5, max_iter=3), [3.0, 2.0, 1.0]) == [None, None, "max_iter"]
    for bad in (np.nan, np.inf, -np.inf):
        assert _reasons(ImprovementStopRule(tol=0.0, patience=5, max_iter=9), [1.0, bad]) == [None, "diverged"]


def test_a_fit_stops_where_its_reading_says():
    X = np.eye(8)
    kw = dict(hidden_layer_sizes=(3,), solver="sgd", learning_rate_init=0.5, random_state=0, max_iter=500, tol=1e-3,
              n_iter_no_change=4)
    for reading, cls in STOP_RULES.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model = AutoEncoder(stop_rule=reading, **kw).fit(X)
        # Replaying the curve through the rule stops at the same epoch.
        assert _reasons(cls(1e-3, 4, 500), model.loss_curve_)[-1] == model.stop_reason_
        assert _reasons(cls(1e-3, 4, 500), model.loss_curve_[:-1]).count(None) == model.n_iter_ - 1


def test_max_iter_warning_names_the_reading():
    with pytest.warns(ConvergenceWarning, match="changed by less than tol=0.0"):
        AutoEncoder((2,), tol=0.0, max_iter=3).fit(np.eye(4))
    with pytest.warns(ConvergenceWarning, match="failed to improve on its best by more than tol=0.0"):
        AutoEncoder((2,), tol=0.0, max_iter=3, stop_rule="improvement", solver="sgd").fit(np.eye(4))
