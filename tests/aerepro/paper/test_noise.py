"""The descent read update by update, on small constructed problems."""

import numpy as np
import pandas as pd
import pytest

from aerepro.grid import make_estimator
from aerepro.paper.batches import updates_per_epoch
from aerepro.paper.noise import noise_summary, set_loss, update_losses, update_rising_share

# A fixed number of epochs, by design.
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

X = np.array([[0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [1.0, 1.0, 1.0], [0.0, 1.0, 1.0]])


def trained(batch_size, learning_rate, epochs=30):
    model = make_estimator({"hidden_layer_sizes": [4], "activation": "leaky_relu", "output_activation": "sigmoid",
                            "loss": "binary_crossentropy", "solver": "sgd", "learning_rate_init": learning_rate,
                            "batch_size": batch_size, "max_iter": epochs, "tol": 0.0, "random_state": 0})
    return model.fit(X)


@pytest.mark.parametrize("batch_size", [1, 2, 5])
def test_one_loss_before_and_one_after_each_update_and_the_model_untouched(batch_size):
    model = trained(batch_size, 0.1)
    before = [W.copy() for W in model.coefs_]
    losses = update_losses(model, X, 3, np.random.default_rng(0))
    assert len(losses) == 1 + 3 * updates_per_epoch(len(X), batch_size)
    assert losses[0] == pytest.approx(set_loss(model, X))
    assert all(np.array_equal(a, b) for a, b in zip(before, model.coefs_))


def test_the_updates_are_the_models_own_training():
    # Full batch, no shuffling: continuing update by update is continuing the fit epoch by epoch.
    model = trained(None, 0.5, epochs=10)
    losses = update_losses(model, X, 4, np.random.default_rng(0))
    longer = trained(None, 0.5, epochs=14)
    assert losses[-1] == pytest.approx(set_loss(longer, X))


def test_small_full_batch_steps_never_raise_the_loss_and_large_single_sample_steps_do():
    assert update_rising_share(trained(None, 0.01), X, 5, seed=0) == 0.0
    assert update_rising_share(trained(1, 3.0), X, 5, seed=0) > 0.1


def test_noise_summary_per_batch_size():
    records = pd.DataFrame({"batch_size": [1, 1, 1, 8, 8], "update_rising_share": [0.0, 0.5, 0.25, 0.0, 0.0]})
    table = noise_summary(records).set_index("batch_size")
    assert table.loc[1, "runs"] == 3 and table.loc[1, "rising_runs"] == 2
    assert table.loc[1, "mean_share"] == pytest.approx(0.25) and table.loc[1, "max_share"] == 0.5
    assert table.loc[8, "rising_runs"] == 0


def test_noise_summary_gives_the_median_over_seeds_and_which_seeds_carry_the_rising_updates():
    records = pd.DataFrame({"batch_size": [1, 1, 1, 1, 8], "seed": [0, 1, 2, 9, 0],
                            "update_rising_share": [0.375, 0.025, 0.0, 0.25, 0.0],
                            "reconstructs_all": [False, True, True, False, False]})
    table = noise_summary(records, updates={1: 40, 8: 5}).set_index("batch_size")
    assert table.loc[1, "median_share"] == pytest.approx(0.1375) and table.loc[1, "mean_share"] == pytest.approx(0.1625)
    assert table.loc[1, "rising_updates"] == 26 and table.loc[1, "rising_by_seed"] == ((0, 15), (9, 10), (1, 1))
    assert table.loc[1, "unfit_seeds"] == (0, 9) and table.loc[1, "unfit_rising_updates"] == 25
    assert table.loc[8, "rising_updates"] == 0 and table.loc[8, "rising_by_seed"] == ()
