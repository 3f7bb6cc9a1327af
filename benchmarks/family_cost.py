"""Microseconds per model-epoch of ``ae.fit_many`` on the N-log2(N)-N encoder family, and how it grows.

For each N (default 4, 8, ..., 256): ``R`` models (default 1 and 40, the
family study's stack: 2 inits x 20 seeds) of N-log2(N)-N on ``X = eye(N)``,
sigmoid, binary cross-entropy, Adam full batch (the family study's
solver), uniform +-0.1 init with seeds ``0..R-1``, a fixed number of epochs
(``tol=0``), trained as one stack by ``fit_many(models, X)`` in this
process, BLAS pinned to one thread. A figure is the wall time of the call
divided by ``R x epochs``; the epochs per call are calibrated so that one
call takes about ``--seconds``. Medians (and mins) over ``--repeats``
interleaved calls (every N in turn, so machine noise hits all alike).

Then the growth exponent ``p`` of ``time per model-epoch ~ N**p``, the
least-squares slope of log(time) on log(N) (``aerepro.family.analysis.growth_exponent``),
fitted on every N and on N >= ``--fit-from``. Nothing is asserted; the
script only prints. Run from anywhere::

    python benchmarks/family_cost.py [--repeats 5] [--sizes 4 8 16 ...] [--stacks 1 40] [--quick]

``--quick``: 3 repeats, sizes up to 64, ~0.1 s per call.
"""

import argparse
import platform
import statistics
import time
import warnings

import numpy as np
from _common import machine_lines
from sklearn.exceptions import ConvergenceWarning
from threadpoolctl import threadpool_limits

import ae
from aerepro.family.analysis import growth_exponent
from aerepro.family.grid import code_width


def family_models(n, R, epochs):
    """``R`` unfitted N-log2(N)-N models for exactly ``epochs`` epochs."""
    return [
        ae.AutoEncoder((code_width(n),), activation="sigmoid", output_activation="sigmoid",
                       loss="binary_crossentropy", solver="adam", learning_rate_init=0.2, init="uniform",
                       init_value=0.1, random_state=s, max_iter=epochs, tol=0.0, n_iter_no_change=epochs)
        for s in range(R)
    ]


def time_call(n, R, epochs):
    """Wall seconds of one ``fit_many`` call."""
    X = np.eye(n)
    models = family_models(n, R, epochs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        t0 = time.perf_counter()
        ae.fit_many(models, X)
        return time.perf_counter() - t0


def calibrate(n, R, seconds):
    """Epochs per call so that one call takes about ``seconds``."""
    epochs = 10
    while True:
        elapsed = time_call(n, R, epochs)
        if elapsed > seconds / 4 or epochs >= 100_000:
            return max(5, int(epochs * seconds / elapsed))
        epochs *= 4


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[4, 8, 16, 32, 64, 128, 256])
    parser.add_argument("--stacks", type=int, nargs="+", default=[1, 40], help="models per stack (R)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=1.0, help="target seconds per timed call")
    parser.add_argument("--fit-from", type=int, default=16, help="smallest N of the second exponent fit")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.repeats, args.seconds = 3, 0.1
        args.sizes = [n for n in args.sizes if n <= 64]

    print("\n".join(machine_lines(f"python {platform.python_version()}, numpy {np.__version__}")))
    print(f"repeats : {args.repeats} per N and R, interleaved; ~{args.seconds} s per call; BLAS threads 1"
          + ("; --quick" if args.quick else ""))
    cases = [(n, R) for R in args.stacks for n in args.sizes]
    with threadpool_limits(1):
        epochs = {case: calibrate(*case, args.seconds) for case in cases}
        times = {case: [] for case in cases}
        for _ in range(args.repeats):
            for case in cases:
                times[case].append(time_call(*case, epochs[case]) / (case[1] * epochs[case]))

    for R in args.stacks:
        print()
        print(f"R = {R} model(s) per stack (fit_many, one process): microseconds per model-epoch")
        print(f"  {'N-k-N':<12}{'epochs/call':>12}{'median':>10}{'min':>10}")
        for n in args.sizes:
            t = times[n, R]
            print(f"  {f'{n}-{code_width(n)}-{n}':<12}{epochs[n, R]:>12d}"
                  f"{1e6 * statistics.median(t):>10.2f}{1e6 * min(t):>10.2f}")
        medians = [statistics.median(times[n, R]) for n in args.sizes]
        if len(args.sizes) >= 2:
            print(f"  growth exponent p (time per model-epoch ~ N^p), medians, every N: "
                  f"{growth_exponent(args.sizes, medians):.2f}")
        upper = [(n, m) for n, m in zip(args.sizes, medians) if n >= args.fit_from]
        if len(upper) >= 2:
            print(f"  growth exponent p, medians, N >= {args.fit_from}: {growth_exponent(*zip(*upper)):.2f}")
    if len(args.sizes) >= 2:
        flops = [n * n * code_width(n) for n in args.sizes]
        print()
        print(f"  for reference: the flops of one epoch grow as N^2 log2(N), exponent "
              f"{growth_exponent(args.sizes, flops):.2f} fitted over these N; per-call overheads flatten small N")


if __name__ == "__main__":
    main()
