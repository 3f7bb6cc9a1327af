"""The autoencoder's training length, chosen on validation images among a few epoch budgets.

The candidates are budgets of epochs, shares of the estimator's ``max_iter``
(``anomaly.epoch_fractions``). A fit with ``max_iter=k`` ends exactly where a
longer fit of the same seed stood after epoch ``k`` (nothing of a fit depends
on ``max_iter`` but where it stops), or where that fit stopped by its stop
rule if earlier; so one fit per run, keeping its weights after each budget
(``checkpoint_epochs``), gives every candidate. The candidate with the highest
validation ROC AUC is chosen, a tie going to the fewest epochs.
"""

import copy

import numpy as np

from .scoring import reconstruction_error, roc_auc

__all__ = ["epoch_budgets", "at_epochs", "choose", "choose_epochs"]


def epoch_budgets(fractions, max_iter):
    """The candidate budgets: each share of ``max_iter`` in epochs (at least 1), distinct, ascending.

    >>> epoch_budgets([0.5, 0.1, 1.0], 300)
    [30, 150, 300]
    """
    return sorted({max(1, round(f * max_iter)) for f in fractions})


def at_epochs(model, epochs):
    """A fitted ``model`` as a fit with ``max_iter=epochs`` would have left it: a copy holding its weights
    after that epoch (``checkpoints_``), or the model itself when its fit stopped there or earlier."""
    if epochs >= model.n_iter_:
        return model
    if epochs not in model.checkpoints_:
        raise ValueError(f"no weights kept after epoch {epochs}: fit with checkpoint_epochs including it")
    coefs, intercepts = model.checkpoints_[epochs]
    shorter = copy.copy(model)
    shorter.coefs_, shorter.intercepts_ = list(coefs), list(intercepts)
    shorter.n_iter_, shorter.loss_curve_ = epochs, model.loss_curve_[:epochs]
    return shorter


def choose(scores):
    """Index of the highest of ``scores``, the first on a tie.

    >>> choose([0.9, 0.95, 0.95, 0.8])
    1
    """
    return int(np.argmax(scores))


def choose_epochs(model, budgets, X_validation, is_anomaly):
    """``(budget, aucs)``: the budget of ``budgets`` (ascending) whose model has the highest validation ROC AUC,
    scored by the squared reconstruction error, and the validation ROC AUC of every budget."""
    aucs = [roc_auc(is_anomaly, reconstruction_error(at_epochs(model, b), X_validation)) for b in budgets]
    return budgets[choose(aucs)], aucs
