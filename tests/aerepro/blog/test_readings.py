"""Tests of aerepro.blog.readings: what the training stage reads off each fitted model."""

import warnings

import numpy as np
import pytest

from aerepro.blog.readings import STOP_READINGS, StopReading, distance_from_start, stop_at, stop_under


@pytest.mark.parametrize("tol, expected", [(0.3, (3, 0.4)), (0.05, (4, 0.37)), (1e-9, (5, np.nan))])
def test_stop_under_finds_the_first_calm_epoch(tol, expected):
    curve = [1.0, 0.5, 0.4, 0.37, 0.3]  # changes 0.5, 0.1, 0.03, 0.07
    epochs, loss = stop_under(curve, tol)
    assert epochs == expected[0] and (loss == expected[1] or np.isnan(loss) and np.isnan(expected[1]))


def test_stop_under_agrees_with_the_estimator_stop_rule():
    from ae import AutoEncoder

    X = np.eye(6)
    model = AutoEncoder(hidden_layer_sizes=(3,), init="constant", init_value=0.5, init_jitter=0.01,
                        solver="rmsprop", learning_rate_init=0.01, tol=1e-4, n_iter_no_change=1,
                        max_iter=5000, random_state=0).fit(X)
    longer = AutoEncoder(**{**model.get_params(), "tol": 0.0, "max_iter": model.n_iter_ + 50}).fit(X)
    assert model.stop_reason_ == "converged"
    assert stop_under(longer.loss_curve_, 1e-4) == (model.n_iter_, model.loss_curve_[-1])


def test_distance_from_start_is_zero_for_an_untrained_constant_network():
    from ae import AutoEncoder

    model = AutoEncoder(hidden_layer_sizes=(2,), init="constant", init_value=0.3, max_iter=1, tol=0.0,
                        learning_rate_init=1e-12).fit(np.eye(4))
    assert distance_from_start(model) == pytest.approx(0.0, abs=1e-9)
    model.coefs_[0][0, 0] += 3.0
    model.coefs_[1][1, 2] -= 4.0
    assert distance_from_start(model) == pytest.approx(5.0, abs=1e-9)


def test_fit_readings_are_each_models_distance_and_looser_stops_in_the_order_of_the_models():
    import warnings

    from ae import AutoEncoder
    from aerepro.blog.readings import LOOSER_TOLS, READINGS, fit_readings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        models = [AutoEncoder(hidden_layer_sizes=(2,), init="constant", init_value=c, max_iter=n, tol=0.0,
                              random_state=0).fit(np.eye(4)) for c, n in [(0.3, 40), (0.6, 5)]]
    readings = fit_readings(models)
    assert list(readings) == list(READINGS)
    assert readings["distance_from_start"] == [distance_from_start(m) for m in models]
    for tol in LOOSER_TOLS:
        expected = [stop_under(m.loss_curve_, tol)[1] for m in models]
        np.testing.assert_array_equal(readings[f"loss_at_tol_{tol:g}"], expected)
    assert readings["distance_from_start"][0] != readings["distance_from_start"][1]


@pytest.mark.parametrize("rule", ["change", "improvement"])
@pytest.mark.parametrize("patience", [1, 3, 10])
def test_stop_at_agrees_with_the_estimator_stop_rule_of_each_reading(rule, patience):
    from ae import AutoEncoder

    X = np.eye(6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = AutoEncoder(hidden_layer_sizes=(3,), init="constant", init_value=0.5, init_jitter=0.01,
                            solver="rmsprop", learning_rate_init=0.01, tol=1e-4, n_iter_no_change=patience,
                            stop_rule=rule, max_iter=5000, random_state=0).fit(X)
        longer = AutoEncoder(**{**model.get_params(), "tol": 0.0, "max_iter": model.n_iter_ + 50}).fit(X)
    assert model.stop_reason_ == "converged"
    assert stop_at(longer.loss_curve_, StopReading(rule, patience, 1, tol=1e-4)) == (model.n_iter_,
                                                                                    model.loss_curve_[-1])


def test_an_improvement_reading_is_not_fooled_by_a_loss_that_moves_without_beating_the_best():
    curve = [1.0, 0.5, 0.7, 0.6, 0.55, 0.4]  # after 0.5: 0.7, 0.6, 0.55 do not beat it; 0.4 does
    assert stop_at(curve, StopReading("improvement", 3, 1, tol=0.01)) == (5, 0.55)
    assert np.isnan(stop_at(curve, StopReading("improvement", 4, 1, tol=0.01))).all()  # 0.4 came in time
    assert np.isnan(stop_at(curve, StopReading("change", 1, 1, tol=0.01))).all()  # every epoch moved


def test_a_larger_scale_is_a_stricter_rule():
    curve = 1.0 / np.arange(1, 100_001)  # changes shrink as 1/n^2
    epochs = [stop_at(curve, StopReading("change", 1, scale))[0] for scale in (1, 16, 256)]
    assert epochs[0] < epochs[1] < epochs[2]
    loss = stop_at(curve, StopReading("change", 1, 16))[1]
    assert loss == pytest.approx(curve[epochs[1] - 1])  # the loss is ours, not the scaled one


def test_the_readings_are_every_rule_patience_and_scale_once():
    assert len({r.name for r in STOP_READINGS}) == len(STOP_READINGS) == 12
