"""What the training stage reads off each fitted model, so that no later stage reads a model.

Kept as columns of the blog study's runs table (:func:`fit_readings`): the
distance the weights travelled, the loss where looser tols of the blog's
stop rule would have stopped the run, and, for every reading of the blog's
stop rule in :data:`STOP_READINGS`, the epoch and loss where it would have
stopped the run. Training is deterministic and a stop rule only reads the
loss, so a run that trained on (a stricter rule, or a budget) went through
the very epoch a looser rule would have stopped it at: its loss history
answers for every rule that fires within it.
"""

from dataclasses import dataclass

import numpy as np

__all__ = ["LOOSER_TOLS", "StopReading", "STOP_READINGS", "READINGS", "stop_under", "stop_at",
           "distance_from_start", "fit_readings"]

#: Looser readings of the blog's stop rule ("the loss changes by less than tol in one epoch"),
#: applied to each run's loss history after the fact.
LOOSER_TOLS = (1e-4, 1e-5, 1e-6)


@dataclass(frozen=True)
class StopReading:
    """One reading of "stop when the loss changes by less than ``tol`` in one epoch".

    ``rule``: ``"change"`` (the loss moved by less than ``tol`` since the
    epoch before) or ``"improvement"`` (Keras' ``EarlyStopping``: it did not
    beat the best so far by more than ``tol``); ``patience``: such epochs in
    a row; ``scale``: what the rule watches, as a multiple of our loss (the
    mean over samples and outputs): 1, the sum over the 16 samples (16), or
    over samples and outputs (256).
    """

    rule: str
    patience: int
    scale: int
    tol: float = 1e-7

    @property
    def name(self):
        """``change/p1/x1``: rule, patience, scale."""
        return f"{self.rule}/p{self.patience}/x{self.scale}"


#: The readings of the blog's stop rule searched for the one that reproduces its numbers.
STOP_READINGS = tuple(StopReading(rule, patience, scale) for rule in ("change", "improvement")
                      for patience in (1, 10) for scale in (1, 16, 256))

#: The columns :func:`fit_readings` adds to a training stage's runs table.
READINGS = ("distance_from_start", *(f"loss_at_tol_{tol:g}" for tol in LOOSER_TOLS),
            *(f"stop_{r.name}_{what}" for r in STOP_READINGS for what in ("epochs", "loss")))


def stop_at(loss_curve, reading):
    """Where ``reading`` stops a loss history, as the estimator's own rule would (:mod:`ae.stopping`).

    Parameters
    ----------
    loss_curve : array-like
        The loss of every epoch, from the first.
    reading : StopReading

    Returns
    -------
    epochs, loss : int, float
        The epoch the rule fires (1-based) and the loss there; NaN for both
        where it never fires within the history (or before a loss that is
        not finite: the estimator stops there as diverged).

    Examples
    --------
    >>> curve = [1.0, 0.5, 0.4, 0.39999999, 0.3999999]
    >>> stop_at(curve, StopReading("change", 1, 1))
    (4, 0.39999999)
    >>> stop_at(curve, StopReading("change", 2, 1))
    (5, 0.3999999)
    >>> stop_at(curve, StopReading("change", 1, 256))
    (nan, nan)
    """
    curve = np.asarray(loss_curve, dtype=np.float64) * reading.scale
    finite = np.isfinite(curve)
    if not finite.all():  # the run diverged there: a rule that has not fired by then never does
        curve = curve[:int(np.argmin(finite))]
    if reading.rule == "change":
        calm = np.abs(np.diff(curve)) < reading.tol  # calm[i]: epoch i + 2 moved less than tol
        stop = _first_run(calm, reading.patience)
        return (np.nan, np.nan) if stop is None else (stop + 2, float(curve[stop + 1] / reading.scale))
    stop = _first_idle(curve, reading.tol, reading.patience)
    return (np.nan, np.nan) if stop is None else (stop + 1, float(curve[stop] / reading.scale))


def _first_run(flags, length):
    """The index where the first run of ``length`` True values in a row ends, or None."""
    if len(flags) < length:
        return None
    full = np.flatnonzero(np.convolve(flags.astype(np.int64), np.ones(length, dtype=np.int64), "valid") == length)
    return int(full[0]) + length - 1 if len(full) else None


def _first_idle(curve, tol, patience):
    """The index of the epoch at which ``patience`` epochs in a row have not beaten the best by more than tol.

    Keras' arithmetic: epoch 0 sets the best; a later epoch improves when
    ``loss + tol < best`` and becomes the best. Each stretch of improving
    epochs is found at once (while every epoch improves, the best is the
    epoch before); a Python step per epoch only between them.
    """
    n, best, i = len(curve), curve[0] if len(curve) else np.nan, 0
    improving = np.concatenate([[True], curve[1:] + tol < curve[:-1]])
    while i < n - 1:
        if improving[i + 1]:
            stretch = np.flatnonzero(~improving[i + 1:])
            i = n - 1 if not len(stretch) else i + int(stretch[0])  # the last epoch of the improving stretch
            best = curve[i]
            continue
        idle = 0
        while i < n - 1:
            i += 1
            if curve[i] + tol < best:
                best = curve[i]
                break
            idle += 1
            if idle >= patience:
                return i
    return None


def stop_under(loss_curve, tol):
    """Where the rule "the loss changes by less than ``tol`` in one epoch" stops a loss history.

    Training is deterministic and the rule only reads the loss, so a run
    stopped by a stricter rule (or not at all) went through the very epoch a
    looser rule would have stopped it at: its history answers for both.

    Returns
    -------
    epochs, loss : int, float
        The epoch the rule fires (1-based) and the loss there; the history's
        end, with NaN loss, where it never fires.
    """
    curve = np.asarray(loss_curve, dtype=np.float64)
    calm = np.flatnonzero(np.abs(np.diff(curve)) < tol)
    return (int(calm[0]) + 2, float(curve[calm[0] + 1])) if len(calm) else (len(curve), np.nan)


def distance_from_start(estimator):
    """Euclidean distance of the fitted weights from the constant start ``init_value`` (jitter and biases left out)."""
    c = float(estimator.get_params()["init_value"])
    return float(np.sqrt(sum(((np.asarray(W) - c) ** 2).sum() for W in estimator.coefs_)))


def fit_readings(estimators):
    """Per fitted model: the distance travelled, the loss where each of :data:`LOOSER_TOLS` would have stopped it,
    and the epoch and loss where each of :data:`STOP_READINGS` would have.

    Read by the training stage, where the models are, and kept as columns
    of its runs table, so that the analysis reads no model.

    Returns
    -------
    readings : dict of str to list
        :data:`READINGS`: ``distance_from_start``, ``loss_at_tol_<tol>`` per
        looser tol and ``stop_<reading>_epochs`` / ``_loss`` per stop
        reading, one value per estimator, in order.
    """
    readings = {column: [] for column in READINGS}
    for model in estimators:
        readings["distance_from_start"].append(distance_from_start(model))
        for tol in LOOSER_TOLS:
            readings[f"loss_at_tol_{tol:g}"].append(stop_under(model.loss_curve_, tol)[1])
        for reading in STOP_READINGS:
            epochs, loss = stop_at(model.loss_curve_, reading)
            readings[f"stop_{reading.name}_epochs"].append(epochs)
            readings[f"stop_{reading.name}_loss"].append(loss)
    return readings
