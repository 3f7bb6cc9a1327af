"""When a model stops training: the stop rules, one per reading of ``tol``.

A :class:`StopRule` takes one model's loss after each epoch and says when it
stops: diverged, converged (``n_iter_no_change`` calm epochs in a row) or out
of budget (``max_iter``). What "calm" means is the reading of ``tol`` that
the estimator's ``stop_rule`` parameter names in :data:`STOP_RULES`.
:func:`ae.training.fit_stack` keeps one rule per model of a stack.
"""

from math import isfinite

import numpy as np

__all__ = ["StopRule", "ImprovementStopRule", "STOP_RULES"]


class StopRule:
    """When one model stops training, and the state that decides it.

    After each epoch :meth:`update` takes the epoch's loss. The model stops
    when the loss is NaN or infinite (``"diverged"``), when it changed by
    less than ``tol`` from the epoch before for ``patience`` epochs in a row
    (``"converged"``), or at epoch ``max_iter`` (``budget``). This is the
    ``"change"`` reading of ``tol`` (the blog's words read literally); for the
    ``"improvement"`` reading see :class:`ImprovementStopRule` and
    :data:`STOP_RULES`.

    Parameters
    ----------
    tol : float
        A change of the loss below this is calm.
    patience : int or float
        Calm epochs in a row that stop the model (``inf``: never).
    max_iter : int
        The last epoch.
    budget : str, default="max_iter"
        The reason given at epoch ``max_iter``.

    Attributes
    ----------
    previous : float
        The loss of the last epoch (NaN before the first: the first epoch
        is never calm).
    calm : int
        Consecutive calm epochs so far.

    Examples
    --------
    >>> rule = StopRule(tol=0.1, patience=2, max_iter=10)
    >>> [rule.update(loss, epoch) for epoch, loss in enumerate([1.0, 0.95, 0.5, 0.45, 0.44], start=1)]
    [None, None, None, None, 'converged']
    """

    #: How a ``ConvergenceWarning`` names the rule that did not fire, formatted with the estimator's parameters.
    never_calm = "the loss changed by less than tol={tol} for {n_iter_no_change} epoch(s) in a row"

    def __init__(self, tol, patience, max_iter, budget="max_iter"):
        self.tol, self.patience, self.max_iter, self.budget = tol, patience, max_iter, budget
        self.previous = np.nan
        self.calm = 0

    @classmethod
    def of(cls, estimator):
        """The rule of ``estimator``: its ``stop_rule`` reading of ``tol``, ``n_iter_no_change``, ``max_iter``.

        Parameters
        ----------
        estimator : AutoEncoder

        Returns
        -------
        rule : StopRule
            A new rule of the class :data:`STOP_RULES` gives the estimator's
            ``stop_rule``.
        """
        return STOP_RULES[estimator.stop_rule](estimator.tol, estimator.n_iter_no_change, estimator.max_iter)

    @classmethod
    def epochs(cls, epochs):
        """Exactly ``epochs`` epochs, reason ``"epochs"`` (``partial_fit``); a NaN loss still stops."""
        return StopRule(-np.inf, np.inf, epochs, budget="epochs")

    def update(self, loss, epoch):
        """Record epoch ``epoch``'s ``loss``.

        Parameters
        ----------
        loss : float
            The epoch's loss.
        epoch : int
            Its number, from 1.

        Returns
        -------
        reason : {"diverged", "converged", budget} or None
            Why the model stops after this epoch; None: it goes on.
        """
        if not isfinite(loss):  # NaN or infinite
            return "diverged"
        self.calm = self.calm + 1 if self._is_calm(loss) else 0
        if self.calm >= self.patience:
            return "converged"
        if epoch >= self.max_iter:
            return self.budget
        return None

    def _is_calm(self, loss):
        """The ``"change"`` reading: the loss moved by less than ``tol`` since the epoch before."""
        calm = abs(self.previous - loss) < self.tol
        self.previous = loss
        return calm


class ImprovementStopRule(StopRule):
    """The ``"improvement"`` reading: Keras' ``EarlyStopping(monitor="loss", min_delta=tol, patience=patience)``.

    The first epoch improves (Keras starts with no best); a later one
    improves when its loss beats the best so far by more than ``tol``
    (``loss + tol < best``, Keras' own arithmetic), and its loss becomes
    the best. Every other epoch is calm, and ``patience`` calm epochs in a
    row stop the model (Keras' ``wait`` counter: reset by an improvement,
    else incremented; stop when ``wait >= patience``). Unlike the
    ``"change"`` reading, a loss that keeps moving without beating the best
    (oscillating, or rising) stops the model too, and one that falls by
    less than ``tol`` an epoch does not, once the falls add up to more
    than ``tol``. Divergence and the budget are as in :class:`StopRule`.

    Parameters
    ----------
    tol : float
        The improvement on the best loss that resets the count (``min_delta``).
    patience : int or float
        Calm epochs in a row that stop the model.
    max_iter : int
        The last epoch.
    budget : str, default="max_iter"
        The reason given at epoch ``max_iter``.

    Attributes
    ----------
    best : float or None
        The best loss so far (the last one that improved); None before the
        first epoch.
    calm : int
        Consecutive epochs without improvement so far (Keras' ``wait``).

    Examples
    --------
    A loss that moves by more than ``tol`` without beating the best: calm
    here, not under the ``"change"`` reading.

    >>> losses = [1.0, 0.95, 1.2]
    >>> rule = ImprovementStopRule(tol=0.1, patience=2, max_iter=10)
    >>> [rule.update(loss, epoch) for epoch, loss in enumerate(losses, start=1)]
    [None, None, 'converged']
    >>> rule = StopRule(tol=0.1, patience=2, max_iter=10)
    >>> [rule.update(loss, epoch) for epoch, loss in enumerate(losses, start=1)]
    [None, None, None]
    """

    never_calm = (
        "the loss failed to improve on its best by more than tol={tol} for {n_iter_no_change} epoch(s) in a row"
    )

    def __init__(self, tol, patience, max_iter, budget="max_iter"):
        super().__init__(tol, patience, max_iter, budget)
        del self.previous
        self.best = None

    def _is_calm(self, loss):
        """The ``"improvement"`` reading: the loss did not beat the best so far by more than ``tol``."""
        if self.best is None or loss + self.tol < self.best:
            self.best = loss
            return False
        return True


#: ``stop_rule`` -> the :class:`StopRule` class of that reading of ``tol``
#: and ``n_iter_no_change``.
STOP_RULES = {"change": StopRule, "improvement": ImprovementStopRule}
