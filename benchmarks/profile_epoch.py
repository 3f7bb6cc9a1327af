"""Where a stacked epoch's time goes: matrix products, activations, loss, optimizer, Python.

The setup of ``_common.py`` (``X = np.eye(16)``, sigmoid everywhere,
binary cross-entropy, RMSProp, full batch), for 16-5-16 and 16-8-4-8-16,
at stacks of R = 25 and 100 models (``--stacks``), in float64 (and
float32 with ``--dtype float32``).

Two measurements per case, interleaved over ``--repeats``:

* the epoch as ``fit_many`` runs it: the wall time of a call of ``E``
  epochs minus that of a one-epoch call, divided by ``E - 1`` (the loop
  alone, no setup), per epoch of the whole stack;
* the same kernel (:meth:`ae.network.Stack.loss_and_gradient` and the
  optimizer's ``update_params``) run for ``E`` epochs with each of its
  NumPy calls timed by category: the matrix products and copies of
  :mod:`ae.network` (``np.matmul``, ``np.copyto``, through a timing proxy of
  its ``np``), the activations and their derivatives (the stack's
  ``act``/``deriv`` functions), the loss with its output delta (the fused
  loss, or the loss and its derivative), and the optimizer.

"Python and the rest" is the first figure minus the sum of the categories:
the interpreter's glue between the NumPy calls, the training loop's
bookkeeping (stop rules, loss curves) and the timers' own cost. Figures are
us per *epoch of the stack* (divide by R for a model-epoch) and each
category's share of the epoch; medians over the repeats. BLAS is pinned to
one thread. Nothing is asserted; the script only prints. Run from anywhere::

    python benchmarks/profile_epoch.py [--repeats 5] [--stacks 25 100] [--dtype float64]
"""

import argparse
import platform
import statistics
import time
import types
import warnings

import numpy as np
from _common import NETWORKS, N_FEATURES, machine_lines, timed_autoencoder
from sklearn.exceptions import ConvergenceWarning
from threadpoolctl import threadpool_limits

import ae
import ae.network
from ae.training import _optimizer

#: Epochs of a timed call, per stack size (a call takes ~0.2-0.5 s here).
EPOCHS = {1: 4000, 5: 3000, 25: 1500, 100: 600}
CATEGORIES = ("matrix products", "copies", "activations", "derivatives", "loss", "optimizer")


def models(hidden, R, epochs, dtype):
    """``R`` benchmarked estimators (seeds ``0..R-1``)."""
    return [timed_autoencoder(hidden, epochs, random_state=k, dtype=dtype) for k in range(R)]


def time_fit_many(hidden, R, epochs, X, dtype):
    """Wall seconds of one ``fit_many`` call of ``epochs`` epochs on ``R`` models."""
    ests = models(hidden, R, epochs, dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        t0 = time.perf_counter()
        ae.fit_many(ests, X)
        return time.perf_counter() - t0


class _Clock:
    """Seconds spent per category, and timed wrappers that add to them."""

    def __init__(self):
        self.seconds = dict.fromkeys(CATEGORIES, 0.0)

    def wrap(self, function, category):
        seconds, clock = self.seconds, time.perf_counter

        def timed(*args, **kwargs):
            t0 = clock()
            result = function(*args, **kwargs)
            seconds[category] += clock() - t0
            return result

        return timed


def _timing_numpy(clock):
    """A stand-in for :mod:`ae.network`'s ``np`` whose products and copies are timed."""
    proxy = types.SimpleNamespace(**{k: getattr(np, k) for k in dir(np) if not k.startswith("__")})
    proxy.matmul = clock.wrap(np.matmul, "matrix products")
    proxy.dot = clock.wrap(np.dot, "matrix products")
    proxy.einsum = clock.wrap(np.einsum, "matrix products")
    proxy.copyto = clock.wrap(np.copyto, "copies")
    return proxy


def instrumented_epochs(hidden, R, epochs, X, dtype):
    """Seconds per category of ``epochs`` epochs of the kernel, each NumPy call timed."""
    ests = models(hidden, R, epochs, dtype)
    data = ae.fit_many.__globals__["validate_stack_data"](ests, X)
    arch = ests[0].architecture_
    rng = np.random.default_rng(0)
    params = np.stack([ae.training.initial_params(e, arch, rng) for e in ests])
    stack = ae.network.Stack(arch, ests[0].loss, params, [e.alpha for e in ests])
    optimizer = _optimizer(ests, stack.params.shape, keep_state=False)
    clock = _Clock()
    stack.act = [clock.wrap(f, "activations") for f in stack.act]
    stack.deriv = [clock.wrap(f, "derivatives") for f in stack.deriv]
    if stack._fused is not None:
        prepare, fused, *work = stack._fused
        stack._fused = (prepare, clock.wrap(fused, "loss"), *work)
    else:
        stack.loss = clock.wrap(stack.loss, "loss")
        stack._loss_derivative = clock.wrap(stack._loss_derivative, "loss")
    update = clock.wrap(optimizer.update_params, "optimizer")
    Xa, prepared = stack.augment(data), stack.prepare(data)
    saved, ae.network.np = ae.network.np, _timing_numpy(clock)
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for _ in range(epochs):
                stack.loss_and_gradient(Xa, data, prepared)
                update(stack.params, stack.grads)
    finally:
        ae.network.np = saved
    return clock.seconds


def measure(hidden, R, repeats, X, dtype):
    """Medians over interleaved repeats: us per stack-epoch of ``fit_many``, and per category."""
    E = EPOCHS[R]
    time_fit_many(hidden, R, 2, X, dtype)  # warm-up
    loop, parts = [], {c: [] for c in CATEGORIES}
    for _ in range(repeats):
        long, short = time_fit_many(hidden, R, E, X, dtype), time_fit_many(hidden, R, 1, X, dtype)
        loop.append(1e6 * (long - short) / (E - 1))
        seconds = instrumented_epochs(hidden, R, E, X, dtype)
        for c in CATEGORIES:
            parts[c].append(1e6 * seconds[c] / E)
    return statistics.median(loop), {c: statistics.median(v) for c, v in parts.items()}


def print_case(net, R, dtype, epoch_us, parts):
    print()
    print(f"{net}, R = {R}, {dtype}: {epoch_us:.1f} us per stack-epoch = {epoch_us / R:.2f} us per model-epoch")
    print(f"  {'category':<26}{'us/epoch':>10}{'share':>8}")
    for c in CATEGORIES:
        print(f"  {c:<26}{parts[c]:>10.1f}{100 * parts[c] / epoch_us:>7.0f}%")
    rest = epoch_us - sum(parts.values())
    print(f"  {'Python and the rest':<26}{rest:>10.1f}{100 * rest / epoch_us:>7.0f}%")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--stacks", type=int, nargs="+", default=[25, 100], choices=sorted(EPOCHS))
    parser.add_argument("--dtype", default="float64", choices=["float64", "float32"])
    args = parser.parse_args()
    print("\n".join(machine_lines(f"python {platform.python_version()}, numpy {np.__version__}")))
    print(f"repeats : {args.repeats}, interleaved; BLAS threads 1; us per stack-epoch, medians")
    X = np.eye(N_FEATURES)
    with threadpool_limits(1):
        for net, hidden in NETWORKS.items():
            for R in args.stacks:
                epoch_us, parts = measure(hidden, R, args.repeats, X, args.dtype)
                print_case(net, R, args.dtype, epoch_us, parts)


if __name__ == "__main__":
    main()
