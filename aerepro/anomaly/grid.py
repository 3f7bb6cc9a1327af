"""The anomaly study's runs: each digit in turn as the normal class, one run per seed (its split and its model)."""

from ..grid import GridRun, make_estimator
from .selection import epoch_budgets

__all__ = ["budgets", "anomaly_runs"]


def budgets(anomaly):
    """The candidate epoch budgets: ``anomaly.epoch_fractions`` of the estimator's ``max_iter``, ascending."""
    return epoch_budgets(anomaly["epoch_fractions"], make_estimator(anomaly["estimator"]).max_iter)


def anomaly_runs(anomaly, normal_class):
    """The runs of one normal class, one per seed of ``anomaly.seeds``: named ``anomaly/digit<class>/seed<seed>``.

    The seed is the run's split seed and its ``random_state``; the run keeps
    its weights after each candidate budget (:mod:`.selection`).
    """
    epochs = budgets(anomaly)
    return [GridRun(f"anomaly/digit{normal_class}/seed{seed}",
                    {"experiment": "anomaly", "normal_class": normal_class, "seed": seed},
                    {**anomaly["estimator"], "random_state": seed, "checkpoint_epochs": epochs})
            for seed in anomaly["seeds"]]
