"""The training loop, shared by ``AutoEncoder.fit`` and ``ae.fit_many``.

:func:`fit_stack` trains a list of estimators of one architecture as one
:class:`~ae.network.Stack`. A single ``fit`` is the case of one model, so
a model gives the same bits whether it is trained alone or in a stack.
Each model keeps its own stop rule (:class:`~ae.stopping.StopRule`, one
reading of ``tol`` per :data:`~ae.stopping.STOP_RULES` entry); a model that
stops is removed from the stack and the others go on. Per epoch,
:func:`_train` makes one update per batch, with each model's own shuffling,
noise (:data:`~ae.corruption.NOISES`) and dropout drawn from its own
generator; at the epochs a model asks for, it records quantities of
:data:`~ae.records.RECORDS` and keeps checkpoints of its weights.

Models that differ only in when they stop (:data:`STOP_PARAMS`) and draw
nothing while they train go the same way until each stops: they share one
row of the stack (:func:`trajectory_key`), which trains on until the last of
them stops, and each keeps its own stop, weights, curve and records, as its
lone ``fit`` would leave them.
"""

import bisect
import time
import warnings
from array import array
from numbers import Integral

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state

from .corruption import corrupted, dropout_masks
from .initializers import INITIALIZERS
from .network import Stack, pack, unpack
from .optimizers import SOLVERS
from .records import RECORDS
from .stopping import STOP_RULES, StopRule

__all__ = [
    "fit_stack",
    "stack_key",
    "trajectory_key",
    "rows_of",
    "TrainingDivergedError",
    "SymmetricInitWarning",
]


class SymmetricInitWarning(UserWarning):
    """Every weight starts at one constant: the hidden units start identical.

    In exact arithmetic they get equal gradients and stay identical. In
    floating point that symmetric state is an unstable equilibrium: rounding
    that treats some units differently (it depends on the BLAS kernel the CPU
    selects and on the layer widths) can seed a difference that training
    amplifies, so whether and when the units separate differs by machine.
    The ``record=("unit_spread",)`` parameter of :class:`~ae.AutoEncoder`
    watches it (:func:`ae.records.unit_spread`).
    """


class TrainingDivergedError(FloatingPointError):
    """The loss became NaN or infinite during ``fit``."""


#: Estimator parameters besides the architecture that must agree for models to share a stack.
STACK_KEYS = ("loss", "solver", "batch_size", "shuffle", "dtype")


def stack_key(estimator, n_features):
    """What decides whether two estimators can be trained in one stack.

    Parameters
    ----------
    estimator : AutoEncoder
    n_features : int
        Width of the data it is to be trained on.

    Returns
    -------
    key : tuple
        Its :class:`~ae.network.Architecture` on ``n_features`` inputs,
        then its :data:`STACK_KEYS` parameters; hashable.
    """
    p = estimator.get_params()
    return (estimator.resolve_architecture(n_features),) + tuple(p[k] for k in STACK_KEYS)


#: Estimator parameters that decide when a model stops (and what it prints), not the way it trains.
STOP_PARAMS = ("tol", "n_iter_no_change", "stop_rule", "max_iter", "verbose")


def trajectory_key(estimator, n_samples):
    """What decides the way a model trains, epoch by epoch, when another model can share it; None when none can.

    Two models of one stack with equal keys start from the same weights and
    take the same steps: they differ only in :data:`STOP_PARAMS`, their
    ``random_state`` is the same integer (the same start) and training draws
    nothing after the start (no shuffled minibatches, no noise, no dropout),
    so each is the other stopped sooner or later. A model warm-started from
    its fitted weights has None, as has one whose ``random_state`` is None or
    a generator.

    Parameters
    ----------
    estimator : AutoEncoder
    n_samples : int
        Rows of the data it is to be trained on (a batch at least this large is the full batch).

    Returns
    -------
    key : tuple or None
        Hashable: its other parameters, by name, each exactly (:func:`_exact`).
    """
    p = estimator.get_params()
    seeded = isinstance(p["random_state"], Integral) and not isinstance(p["random_state"], bool)
    shuffled = p["shuffle"] and p["batch_size"] is not None and p["batch_size"] < n_samples
    continued = p["warm_start"] and hasattr(estimator, "coefs_")
    if not seeded or shuffled or p["noise"] or p["dropout"] or continued:
        return None
    key = tuple(sorted((name, _exact(value)) for name, value in p.items() if name not in STOP_PARAMS))
    try:
        hash(key)
    except TypeError:  # a parameter value of a kind no key can hold: the model trains on a row of its own
        return None
    return key


def _exact(value):
    """``value`` as a hashable key that tells apart any two values a model could train differently under.

    Each scalar with its type, NumPy scalars as the Python number they
    hold (``np.float32(0.1)`` is 0.10000000149011612, not 0.1), and
    sequences and arrays element by element, whatever their length (a
    ``repr`` elides the middle of a long array, and shows a NumPy 1.x
    float32 as ``0.1``).

    >>> _exact([1, np.float32(0.5)])
    (('int', 1), ('float', 0.5))
    """
    if isinstance(value, (list, tuple, np.ndarray)):
        return tuple(_exact(item) for item in value)
    if isinstance(value, np.generic):
        value = value.item()
    return (type(value).__name__, value)


def initial_params(estimator, architecture, rng):
    """One model's starting parameter vector, drawn from ``rng`` (in float64) and rounded to its ``dtype``."""
    init = INITIALIZERS[estimator.init]
    blocks = []
    for n_in, n_out in architecture.shapes:
        W = init(n_in - 1, n_out, rng, estimator.init_value, estimator.init_jitter)
        blocks.append(np.vstack([W, np.zeros((1, n_out))]).ravel())
    return np.concatenate(blocks).astype(estimator.dtype, copy=False)


def is_symmetric_init(estimator, architecture):
    """True when every hidden unit of a layer starts identical (see :class:`SymmetricInitWarning`)."""
    return (
        estimator.init == "constant"
        and not estimator.init_jitter
        and any(h > 1 for h in architecture.hidden_layer_sizes)
    )


def _batches(Xa, X, batch_size, shuffle, rngs):
    """Yield ``(Xa_batch, X_batch, weight)`` for one epoch.

    A full batch is shared by every model; shuffled minibatches are drawn
    per model from its own generator and have a leading model axis.
    """
    n = X.shape[0]
    if batch_size is None or batch_size >= n:
        yield Xa, X, None
        return
    if shuffle:
        order = np.stack([rng.permutation(n) for rng in rngs])
    for start in range(0, n, batch_size):
        stop = min(start + batch_size, n)
        w = (stop - start) / n
        if shuffle:
            sel = order[:, start:stop]
            yield Xa[sel], X[sel], w
        else:
            yield Xa[start:stop], X[start:stop], w


def _starting_points(estimators, architecture, reset, warn):
    """Each model's random generator and starting parameter vector.

    A model continues from its ``coefs_`` when warm-started (or, with
    ``reset=False``, when already fitted); otherwise it is initialised from
    its own generator, warning when the init is symmetric, and its learned
    history starts afresh.
    """
    starts, rngs = [], []
    for est in estimators:
        if reset or not hasattr(est, "_rng"):
            est._rng = check_random_state(est.random_state)
        rngs.append(est._rng)
        if hasattr(est, "coefs_") and (est.warm_start or not reset):
            starts.append(pack(est.coefs_, est.intercepts_).astype(est.dtype, copy=False))
            if not hasattr(est, "loss_curve_"):  # weights set by hand on a new estimator
                _new_history(est)
            continue
        if is_symmetric_init(est, architecture):
            warn(
                f"init='constant' with init_jitter=0 gives every hidden unit of a layer the same "
                f"weights (init_value={est.init_value}). In exact arithmetic their gradients are equal, "
                "so they stay identical and the code collapses to one value per sample; in floating "
                "point this symmetry is unstable, and rounding may or may not separate the units "
                "(it depends on the machine's BLAS kernel), so the outcome is not reproducible across "
                "machines; record=('unit_spread',) shows whether and when they separate. Set "
                "init_jitter > 0 (e.g. 0.01) or use a random init to break the symmetry by a seeded draw.",
                SymmetricInitWarning,
                stacklevel=4,
            )
        starts.append(initial_params(est, architecture, est._rng))
        _new_history(est)
    return starts, rngs


def _new_history(est):
    """Start ``est``'s learned history afresh: no epochs, losses, records or checkpoints."""
    est.loss_curve_, est.n_iter_ = np.empty(0), 0
    est.records_, est.record_epochs_, est.checkpoints_ = {}, np.empty(0, dtype=np.intp), {}


def fit_stack(estimators, X, *, epochs=None, on_diverge="raise", reset=True, labels=None, verbose=False, warn=None):
    """Train ``estimators`` (one architecture) together on ``X``, in place.

    Parameters
    ----------
    estimators : list of AutoEncoder
        Estimators with equal :func:`stack_key`, validated on ``X`` as
        ``fit`` does (:meth:`~ae.AutoEncoder.prepare_fit`), which resolved
        their ``architecture_``, the network trained. Their learned attributes
        (``coefs_``, ``intercepts_``, ``loss_curve_``, ``n_iter_``,
        ``stop_reason_``, ``train_seconds_``: wall time from the start of
        the stack to this model's stop, ``stack_size_``: models in the
        stack) are set on return.
    X : ndarray of shape (n_samples, n_features)
        Training data validated as the estimators' ``dtype`` (float64 or
        float32), the dtype of all the stack's math.
    epochs : int, default=None
        Train exactly this many epochs with no stop rule and keep the
        optimizer state on the estimator (``partial_fit``); ``None`` trains
        each model until its own stop rule or ``max_iter``.
    on_diverge : {"raise", "record"}
        What a NaN or infinite loss does: raise
        :class:`TrainingDivergedError`, or stop that model with
        ``stop_reason_ = "diverged"`` while the others go on.
    reset : bool, default=True
        Start from fresh weights unless ``warm_start`` (``False``: continue
        from the fitted weights, as ``partial_fit`` does).
    labels : list of str, default=None
        Names of the models in progress lines.
    verbose : bool, default=False
        Print a line when each model stops (also done for estimators whose
        own ``verbose`` is set).
    warn : callable, default=None
        Called as ``warn(message, category, stacklevel=...)`` for each warning
        (``warnings.warn`` when None); lets a caller collect them without the
        process-wide warning filters, which threads would race on.
    """
    architecture = estimators[0].architecture_
    if architecture.n_features != X.shape[1]:
        raise ValueError(f"X has {X.shape[1]} features, the network {architecture.n_features} inputs.")
    if X.dtype != np.dtype(estimators[0].dtype):
        raise ValueError(f"X is {X.dtype}, the estimators' dtype {estimators[0].dtype}.")
    warn = warn or warnings.warn
    starts, rngs = _starting_points(estimators, architecture, reset, warn)
    rows = _rows(estimators, X.shape[0], share=epochs is None and reset)
    stack = Stack(
        architecture,
        estimators[0].loss,
        np.stack([starts[row[0]] for row in rows]),
        [estimators[row[0]].alpha for row in rows],
        sparsity_weight=[estimators[row[0]].sparsity_weight for row in rows],
        sparsity_target=[estimators[row[0]].sparsity_target for row in rows],
    )
    optimizer = _optimizer([estimators[row[0]] for row in rows], stack.params.shape,
                           keep_state=epochs is not None and not reset)
    runs = []
    for row in rows:
        members = [_Member(estimators[i], StopRule.of(estimators[i]) if epochs is None else StopRule.epochs(epochs),
                           labels[i] if labels else f"model {i}") for i in row]
        runs.append(_Run(members, rngs[row[0]]))
    _train(stack, optimizer, X, runs, verbose)
    for run in runs:
        for k, member in enumerate(run.members):
            est, n = member.estimator, member.n_epochs
            est.coefs_, est.intercepts_ = unpack(member.final, architecture.layer_sizes)
            est.loss_curve_ = np.concatenate([est.loss_curve_, np.frombuffer(run.curve)[:n]])
            est.n_iter_ = est.n_iter_ + n
            last = run.offset + n
            kept = bisect.bisect_right(run.record_epochs, last)
            est.records_ = {name: np.array(values[:kept], dtype=np.float64) for name, values in run.records.items()}
            est.record_epochs_ = np.array(run.record_epochs[:kept], dtype=np.intp)
            est.checkpoints_ = {e: _copied(c, k > 0) for e, c in run.checkpoints.items() if e <= last}
            est.stop_reason_, est.train_seconds_, est.stack_size_ = member.reason, member.seconds, len(estimators)
            est.n_features_in_ = X.shape[1]
            if epochs is not None and len(estimators) == 1:
                est._optimizer = optimizer
            _raise_or_warn(member, run.curve[n - 1], on_diverge, warn)
    return estimators


def _rows(estimators, n_samples, share):
    """The stack's rows: lists of indices into ``estimators``, those of one :func:`trajectory_key` together when
    ``share`` (:func:`rows_of`)."""
    return rows_of([trajectory_key(est, n_samples) if share else None for est in estimators])


def rows_of(keys):
    """Positions of equal ``keys`` together, in order of first appearance; a None key is a row of its own.

    >>> rows_of(["a", None, "b", "a", None])
    [[0, 3], [1], [2], [4]]
    """
    rows, by_key = [], {}
    for i, key in enumerate(keys):
        if key is None:
            rows.append([i])
        elif key in by_key:
            by_key[key].append(i)
        else:
            rows.append(by_key.setdefault(key, [i]))
    return rows


def _copied(checkpoint, copy):
    """A checkpoint ``(coefs, intercepts)``, its arrays copied when ``copy`` (a second model's own)."""
    return tuple([a.copy() for a in arrays] for arrays in checkpoint) if copy else checkpoint


def _optimizer(estimators, shape, keep_state):
    """The solver of a stack: a fresh one, or for one model trained on (``partial_fit``) its own, if of its dtype."""
    first = estimators[0]
    kept = getattr(first, "_optimizer", None)
    if keep_state and len(estimators) == 1 and kept is not None and kept.learning_rate.dtype == np.dtype(first.dtype):
        return kept
    cls, names = SOLVERS[first.solver]
    return cls(shape, dtype=first.dtype, **{k: [getattr(est, v) for est in estimators] for k, v in names.items()})


class _Member:
    """One model of a row of the stack: its stop rule and where it stopped (the row may train on)."""

    def __init__(self, estimator, rule, label):
        self.estimator, self.rule, self.label = estimator, rule, label
        self.reason, self.final, self.seconds, self.n_epochs = None, None, 0.0, 0


class _Run:
    """One row of a stack while it trains: its draws, its models' stop rules and what it learns.

    Its models (:class:`_Member`, one unless they share a
    :func:`trajectory_key`) stop by their own rules; the row trains until
    the last has stopped. Its records and checkpoints continue the first
    model's (``records_``, ``record_epochs_``, ``checkpoints_``), at epochs
    counted as ``n_iter_`` counts them; the records restart when ``record``
    names other quantities than those recorded so far.
    """

    def __init__(self, members, rng):
        self.members, self.live, self.rng = members, list(members), rng
        estimator = members[0].estimator
        self.noise = (estimator.noise, estimator.noise_type)
        self.dropout = estimator.dropout
        self.curve = array("d")
        self.offset = estimator.n_iter_  # epochs trained before this fit
        self.names = tuple(dict.fromkeys(estimator.record))  # what it records, each once
        self.every = estimator.record_every if self.names else None
        self.marks = sorted({int(e) for e in estimator.checkpoint_epochs})
        old = getattr(estimator, "records_", {})
        if set(old) == set(self.names):
            self.records = {name: array("d", old[name]) for name in self.names}
            self.record_epochs = list(getattr(estimator, "record_epochs_", ()))
        else:
            self.records, self.record_epochs = {name: array("d") for name in self.names}, []
        self.checkpoints = dict(getattr(estimator, "checkpoints_", {}))

    def next_watch(self, epoch):
        """The first epoch of this fit from ``epoch`` on at which the row records or checkpoints (inf: none)."""
        e = self.offset + epoch
        due = np.inf
        if self.every:
            due = -(-e // self.every) * self.every
        k = bisect.bisect_left(self.marks, e)
        if k < len(self.marks):
            due = min(due, self.marks[k])
        return due - self.offset

    def watch(self, params, epoch, layer_sizes):
        """Take a checkpoint of ``params`` (its row) at ``epoch`` if one is due; the names to record then."""
        e = self.offset + epoch
        if e in self.marks and e not in self.checkpoints:
            self.checkpoints[e] = unpack(params, layer_sizes)
        if self.every and e % self.every == 0 and not (self.record_epochs and self.record_epochs[-1] == e):
            self.record_epochs.append(e)
            return self.names
        return ()

    def record(self, loss, epoch):
        """Add the epoch's loss to the curve; True when one of the row's models stops."""
        self.curve.append(loss)
        stopping = False
        for member in self.live:
            member.reason = member.rule.update(loss, epoch)
            stopping = stopping or member.reason is not None
        return stopping

    def stop(self, params, seconds, verbose):
        """Keep the final parameters (a copy of the row ``params``) of the models that stop; True when none is left."""
        for member in self.live:
            if member.reason is None:
                continue
            member.final, member.seconds, member.n_epochs = params.copy(), seconds, len(self.curve)
            if not np.isfinite(member.final).all():  # the last update overflowed
                member.reason = "diverged"
            if verbose or member.estimator.verbose:
                print(
                    f"[ae] {member.label}: {member.reason} after {len(self.curve)} epochs, "
                    f"loss {self.curve[-1]:.4g} ({seconds:.1f}s)",
                    flush=True,
                )
        self.live = [member for member in self.live if member.final is None]
        return not self.live


def _train(stack, optimizer, X, runs, verbose):
    """Train ``stack`` (row ``r`` is ``runs[r]``) on ``X`` until every model has stopped.

    Each epoch is one update per batch; after it every model's stop rule
    sees its loss, and a row leaves the stack when its last model stops.
    """
    first = runs[0].members[0].estimator
    batch_size, shuffle = first.batch_size, first.shuffle
    hidden = stack.architecture.hidden_layer_sizes
    Xa, full = stack.augment(X), stack.prepare(X)
    # Decided once for the stack: a model at level 0 sees clean inputs and no mask either way.
    corrupt, drop = any(run.noise[0] for run in runs), any(run.dropout for run in runs)
    active, epoch, t0 = list(runs), 0, time.perf_counter()
    rngs, noise, rates = _draws(active, corrupt, drop)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        # The next epoch at which some model records or checkpoints (inf: never, and no work per epoch).
        due = min(run.next_watch(0) for run in active)
        if due == 0:
            due = _watch(stack, Xa, active, 0)
        while active:
            epoch += 1
            total = None
            for Xab, Xb, w in _batches(Xa, X, batch_size, shuffle, rngs):
                prepared = full if w is None else stack.prepare(Xb)
                if corrupt:
                    Xab = corrupted(Xab, noise, rngs)
                masks = dropout_masks(Xab.shape[-2], hidden, rates, rngs, stack.dtype) if drop else None
                loss = stack.loss_and_gradient(Xab, Xb, prepared, masks)
                optimizer.update_params(stack.params, stack.grads)
                total = loss if w is None else (loss * w if total is None else total + loss * w)
            stopped = [row for row, loss in enumerate(total.tolist()) if active[row].record(loss, epoch)]
            if epoch >= due:
                due = _watch(stack, Xa, active, epoch)
            if stopped:
                seconds = time.perf_counter() - t0
                done = {row for row in stopped if active[row].stop(stack.params[row], seconds, verbose)}
                if not done:
                    continue
                keep = np.array([row for row in range(len(active)) if row not in done], dtype=np.intp)
                active = [active[row] for row in keep]
                if active:
                    stack.take(keep)
                    optimizer.take(keep)
                    rngs, noise, rates = _draws(active, corrupt, drop)


def _watch(stack, Xa, active, epoch):
    """Record and checkpoint, after epoch ``epoch`` of this fit, the models due then.

    Each :data:`~ae.records.RECORDS` quantity some model records now is
    computed once for the whole stack, on the clean training data ``Xa``.
    Returns the next epoch at which a model of ``active`` is due (inf: none).
    """
    wanted = {}
    for row, run in enumerate(active):
        for name in run.watch(stack.params[row], epoch, stack.layer_sizes):
            wanted.setdefault(name, []).append(row)
    for name, rows in wanted.items():
        values = RECORDS[name](stack, Xa).tolist()
        for row in rows:
            active[row].records[name].append(values[row])
    return min(run.next_watch(epoch + 1) for run in active)


def _draws(active, corrupt, drop):
    """The active models' generators, noise ``(level, kind)`` and dropout rates (None when unused)."""
    noise = [run.noise for run in active] if corrupt else None
    rates = [run.dropout for run in active] if drop else None
    return [run.rng for run in active], noise, rates


def _raise_or_warn(member, last_loss, on_diverge, warn):
    """A diverged model raises (``on_diverge="raise"``); one stopped at ``max_iter`` warns."""
    est = member.estimator
    if member.reason == "diverged" and on_diverge == "raise":
        raise TrainingDivergedError(
            f"{type(est).__name__} diverged: the loss became {last_loss} (or the weights overflowed) "
            f"at epoch {est.n_iter_} "
            f"(learning_rate_init={est.learning_rate_init}, solver={est.solver!r}); "
            "lower the learning rate."
        )
    if member.reason == "max_iter":
        never = STOP_RULES[est.stop_rule].never_calm.format(tol=est.tol, n_iter_no_change=est.n_iter_no_change)
        warn(
            f"{type(est).__name__} stopped at max_iter={est.max_iter} before {never}.",
            ConvergenceWarning,
            stacklevel=4,
        )
