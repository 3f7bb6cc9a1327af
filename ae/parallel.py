"""``fit_many``: train many autoencoders at once.

Estimators whose architecture and activations match are trained together
as one stack (:func:`ae.training.fit_stack`), paying NumPy's per-call
overhead once for all of them; independent stacks (or parts of one) can be
spread over processes with joblib, and so over a dask cluster.
"""

import sys
import warnings
from numbers import Integral

import numpy as np
from joblib import Parallel, delayed, effective_n_jobs
from joblib.parallel import get_active_backend
from threadpoolctl import threadpool_limits

from .training import fit_stack, rows_of, stack_key, trajectory_key

__all__ = ["fit_many", "fit_stacks"]


def _fit_chunk(key, estimators, X, labels, verbose):
    caught = []

    def collect(message, category, stacklevel=1):
        caught.append((category, str(message)))

    with threadpool_limits(limits=1):
        fit_stack(estimators, X, on_diverge="record", labels=labels, verbose=verbose, warn=collect)
    # Warnings raised in a worker are sent home and re-emitted there.
    return key, estimators, caught


def _cost(group):
    """Rough work of a stack (a list of bundles, :func:`_bundled`): rows x epochs at most x parameters per row x
    samples."""
    est, _, _, X = group[0][0]
    return len(group) * max(e.max_iter for bundle in group for e, *_ in bundle) * est.architecture_.n_params * len(X)


def _return_as():
    """Results as they finish where the active joblib backend hands them so (loky, dask); else all at the end."""
    backend, _ = get_active_backend()
    return "generator_unordered" if getattr(backend, "supports_return_generator", False) else "list"


#: Tasks per worker that :func:`_chunks` makes at least, splitting stacks when there are fewer.
TASKS_PER_WORKER = 2


def _chunks(groups, n_workers):
    """The tasks for ``n_workers``: stacks, split when there are too few of them or one is too large; costliest
    first.

    A task lasts as long as its longest-training model, which is not known
    beforehand (stop rules decide it), so with one task per worker a worker
    that drew the long runs trains on while the others idle. Stacks are
    therefore split when there are fewer than :data:`TASKS_PER_WORKER` per
    worker, into just enough parts, and no further: splitting loses what
    stacking saves (the per-call overhead is paid once per part). A stack
    whose work (:func:`_cost`) is more than a worker's share of the whole is
    split too, into as many parts as it holds shares: one large stack among
    small ones (the encoder family's widest inputs) would otherwise keep one
    worker busy long after the others ran out of work. A stack's
    rows (bundles of models that share a trajectory, :func:`_bundled`) are
    dealt to its parts in turn, so runs that are alike (a grid
    lists them side by side, and they tend to train alike) are spread over
    the parts instead of filling one. The parts come costliest first. The
    results do not depend on the split: every model ends as it would alone.
    """
    tasks = TASKS_PER_WORKER * n_workers
    parts = -(-tasks // len(groups)) if len(groups) < tasks else 1
    total = sum(map(_cost, groups))
    chunks = []
    for group in groups:
        shares = -(-_cost(group) * n_workers // total) if total else 1  # ceil(cost / (total / n_workers)), exactly
        k = min(max(parts, shares), len(group))
        chunks += [group[first::k] for first in range(k)]
    return sorted(chunks, key=_cost, reverse=True)


class _Progress:
    """A one-line progress bar on a terminal; nothing elsewhere."""

    def __init__(self, total, stream=sys.stderr):
        self.total, self.done, self.stream = total, 0, stream
        self.active = total > 1 and hasattr(stream, "isatty") and stream.isatty()

    def update(self, n):
        self.done += n
        if self.active:
            width = 30
            filled = width * self.done // self.total
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} models")
            if self.done == self.total:
                self.stream.write("\n")
            self.stream.flush()


def fit_many(estimators, X, *, n_jobs=None, verbose=0, names=None, max_stack=None, return_stacks=False):
    """Fit a list of :class:`~ae.AutoEncoder` on ``X``, in place.

    Estimators that share an architecture (``hidden_layer_sizes``,
    activations, loss, solver, ``batch_size``, ``shuffle``, ``dtype``) and
    their data are trained as one stack; they may differ in every other
    parameter (init, seed, learning rate, tolerance, ``max_iter``, ...). Each
    keeps its own stop rule. Every estimator ends exactly as ``est.fit(X)``
    would leave it (same ``coefs_``, ``loss_curve_``, ``n_iter_``,
    ``records_`` and ``checkpoints_``, bit for bit, in either ``dtype``,
    whatever the stacking), except that a run whose loss becomes NaN or
    infinite is recorded with ``stop_reason_ = "diverged"`` instead of
    raising, so the others go on. Its ``train_seconds_`` is its stack's
    clock, and ``stack_size_`` the models in that stack.

    Estimators that differ only in when they stop (``tol``,
    ``n_iter_no_change``, ``stop_rule``, ``max_iter``, ``verbose``), with
    the same integer ``random_state``, no draws while training (full batch
    or no shuffle, no noise, no dropout) and not warm-started from fitted
    weights, take the same steps until
    each stops: they are trained once, as one row of their stack, until the
    last of them stops, and each is left as its own ``fit`` would leave it
    (:func:`ae.training.trajectory_key`). A grid of stop rules from the same
    starts costs what its longest-stopping rule does.

    Parameters
    ----------
    estimators : list of AutoEncoder
        The models to train, each object once; fitted in place.
    X : array-like of shape (n_samples, n_features), or list of such
        Training data shared by every model, or a list of one data set per
        estimator (each a 2-D array-like); estimators given the same object
        may share a stack, estimators given different objects never do.
    n_jobs : int, default=None
        Processes for independent stacks (and parts of stacks, when there are
        too few of them for the workers or one holds more than a worker's
        share of the work), via joblib; ``None`` means 1 unless
        in a ``joblib.parallel_config`` context, ``-1`` all cores. Each
        worker pins its BLAS to one thread. Under
        ``joblib.parallel_config(backend="dask")`` the work goes to a dask
        cluster.
    verbose : int, default=0
        ``1``: a line per finished model (name, epochs, final loss). A
        progress bar for the whole batch is shown on a terminal either way;
        under a joblib backend that cannot hand results back as they finish
        (``"multiprocessing"``), it and the workers' warnings come at the end.
    names : list of str, default=None
        Names of the models for those lines (default ``model <index>``).
    max_stack : int, default=None
        Rows per stack at most (models that share a trajectory are one row):
        a larger stack is dealt, row by row in turn, into the fewest parts of
        at most ``max_stack`` rows (as even as possible). Smaller stacks spread one architecture over more
        processes and hold less memory; ``None``: no limit.
    return_stacks : bool, default=False
        Also return which models were trained together.

    Returns
    -------
    estimators : list of AutoEncoder
        The same list, fitted.
    stacks : list of list of int
        Only when ``return_stacks``: the stacks trained, each a list of
        indices into ``estimators``, in the order they were started.
    """
    estimators = list(estimators)
    _check_distinct(estimators)
    if max_stack is not None and (isinstance(max_stack, bool) or not isinstance(max_stack, Integral) or max_stack < 1):
        raise ValueError(f"max_stack must be None or an int >= 1, got {max_stack!r}.")
    if not estimators:
        return (estimators, []) if return_stacks else estimators
    datasets = _data_per_model(X, len(estimators))
    names = list(names) if names is not None else [f"model {i}" for i in range(len(estimators))]
    data, groups = {}, {}  # each data set as each dtype's fit validates it; the stacks
    for i, (est, X_i, name) in enumerate(zip(estimators, datasets, names)):
        validated = est.prepare_fit(X_i)
        validated = data.setdefault((id(X_i), validated.dtype), validated)
        groups.setdefault((id(X_i), stack_key(est, est.n_features_in_)), []).append((est, name, i, validated))
    # Models that share a trajectory (ae.training.trajectory_key) are dealt together, to train as one row.
    groups = [part for group in groups.values() for part in _split(_bundled(group), max_stack)]
    n_workers = effective_n_jobs(n_jobs)
    chunks = groups if n_workers <= 1 else _chunks(groups, n_workers)
    chunks = [[entry for bundle in chunk for entry in bundle] for chunk in chunks]
    # A chunk's models share their data: the validated X of its first.
    stacks = [([est for est, *_ in c], c[0][3], [name for _, name, *_ in c]) for c in chunks]
    fit_stacks(stacks, n_jobs=n_jobs, verbose=verbose)
    return (estimators, [[i for _, _, i, _ in c] for c in chunks]) if return_stacks else estimators


def _check_distinct(estimators):
    """Refuse an estimator object listed twice: it would be trained twice over in place, its second fit
    continuing the first's history."""
    first = {}
    for i, est in enumerate(estimators):
        j = first.setdefault(id(est), i)
        if j != i:
            raise ValueError(f"estimators[{j}] and estimators[{i}] are the same object; "
                             "give each place a model of its own (sklearn.base.clone).")


def _data_per_model(X, n_models):
    """The training data of each of ``n_models`` models: ``X``, or its items when it is a list of data sets."""
    if isinstance(X, list) and X and all(np.ndim(item) == 2 for item in X):
        if len(X) != n_models:
            raise ValueError(f"X is a list of {len(X)} data sets for {n_models} estimators: give one per estimator.")
        return X
    return [X] * n_models


def _bundled(group):
    """``group``'s entries ``(estimator, name, index, X)`` as bundles, those of one
    :func:`~ae.training.trajectory_key` together (:func:`~ae.training.rows_of`)."""
    return [[group[i] for i in row] for row in rows_of([trajectory_key(est, X.shape[0]) for est, _, _, X in group])]


def _split(group, max_stack):
    """``group`` (of bundles) dealt in turn into the fewest parts of at most ``max_stack`` bundles (``None``:
    whole)."""
    k = 1 if max_stack is None else -(-len(group) // max_stack)
    return [group[first::k] for first in range(k)]


def validate_stack_data(estimators, X):
    """Check every estimator's parameters and ``X`` as ``fit`` would; return the validated ``X``.

    Each estimator's :meth:`~ae.AutoEncoder.prepare_fit` sets its input
    attributes (``n_features_in_``, ``architecture_``, ...) as ``fit`` does,
    so the models can then be trained by :func:`fit_stacks`.

    Parameters
    ----------
    estimators : list of AutoEncoder
        Models of one ``dtype`` (as the models of one stack are).
    X : array-like of shape (n_samples, n_features)

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        The data as the models' ``fit`` validates it, of their ``dtype``.

    Raises
    ------
    ValueError
        When the estimators' dtypes differ, or a parameter or ``X`` is invalid.
    """
    data = None
    for est in estimators:
        validated = est.prepare_fit(X)
        if data is not None and validated.dtype != data.dtype:
            raise ValueError(f"The models of one stack share a dtype, got {data.dtype} and {validated.dtype}.")
        data = validated if data is None else data
    return data


def fit_stacks(stacks, *, n_jobs=None, verbose=0):
    """Fit prepared stacks, in place: each one ``fit_stack`` call, spread over processes.

    Parameters
    ----------
    stacks : list of (list of AutoEncoder, ndarray, list of str)
        The models of one stack (equal :func:`ae.training.stack_key`), their
        training data as :func:`validate_stack_data` returns it, and their
        names; in the order to start them (largest first).
    n_jobs : int, default=None
        Processes, via joblib (``None``: this process, one stack after the
        other; a dask cluster under ``joblib.parallel_config(backend="dask")``).
        Each worker pins its BLAS to one thread.
    verbose : int, default=0
        ``1``: a line per finished model.

    Returns
    -------
    None
        A run that diverges is recorded (``stop_reason_ = "diverged"``);
        warnings raised in workers are re-emitted here.
    """
    progress = _Progress(sum(len(models) for models, _, _ in stacks))
    if effective_n_jobs(n_jobs) <= 1:
        for models, data, labels in stacks:
            fit_stack(list(models), data, on_diverge="record", labels=labels, verbose=verbose)
            progress.update(len(models))
        return
    tasks = (delayed(_fit_chunk)(k, models, data, labels, verbose) for k, (models, data, labels) in enumerate(stacks))
    for k, fitted, caught in Parallel(n_jobs=n_jobs, return_as=_return_as())(tasks):
        # Workers return pickled copies: carry their learned state home.
        for original, result in zip(stacks[k][0], fitted):
            if original is not result:
                original.__dict__.update(result.__dict__)
        for category, message in caught:
            warnings.warn(message, category, stacklevel=3)
        progress.update(len(fitted))
