"""The stacked kernel against the C loop and the issue's targets, optionally against an older revision.

Per network (16-5-16 and 16-8-4-8-16, the setup of ``_common.py``): us per
model-epoch of ``ae.fit_many`` on one model (R = 1, float64) and on a stack
of R = 100 (float64 and float32), next to the C loop (one model, float64)
measured in the same run, the repeats interleaved. A figure is the wall time
of one ``fit_many`` call divided by R x epochs (setup included, as in
``fit_many_speed.py``). With ``--baseline REV`` the ``ae`` package of git
revision ``REV`` is imported beside this checkout's (as ``ae_baseline``) and
timed in the same rounds, and each pair of fits is checked bit for bit.

The targets (ratio ours / C per model-epoch, medians): R = 100 float64 at
most 0.35, R = 100 float32 at most 0.2, R = 1 at most 2.5. Nothing is
asserted; the script prints. Run from anywhere::

    python benchmarks/kernel_speed.py [--repeats 7] [--baseline main] [--quick]
"""

import argparse
import importlib.util
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
from _common import NETWORKS, N_FEATURES, ROOT, build_c, machine_lines, time_c, timed_autoencoder
from sklearn.exceptions import ConvergenceWarning
from threadpoolctl import threadpool_limits

import ae

#: (label, R, dtype, epochs per timed call), and the target ratio to the C loop.
CASES = [("R=1 float64", 1, "float64", 4000, 2.5),
         ("R=100 float64", 100, "float64", 600, 0.35),
         ("R=100 float32", 100, "float32", 600, 0.2)]
C_EPOCHS = 50000
QUICK_DIVISOR = 5


def load_baseline(rev, folder):
    """The ``ae`` package of git revision ``rev``, imported as ``ae_baseline``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "ae"], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
    init = Path(folder) / "ae" / "__init__.py"
    spec = importlib.util.spec_from_file_location("ae_baseline", init, submodule_search_locations=[str(init.parent)])
    module = importlib.util.module_from_spec(spec)
    sys.modules["ae_baseline"] = module
    spec.loader.exec_module(module)
    return module


def fit_timed(package, hidden, R, epochs, X, dtype):
    """Fit ``R`` benchmarked models with ``package.fit_many``; return (us per model-epoch, models)."""
    models = [timed_autoencoder(hidden, epochs, random_state=k, dtype=dtype) for k in range(R)]
    if package is not ae:
        models = [package.AutoEncoder(**m.get_params()) for m in models]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        t0 = time.perf_counter()
        package.fit_many(models, X)
        elapsed = time.perf_counter() - t0
    return 1e6 * elapsed / (R * epochs), models


def same_bits(a, b):
    """True when two lists of fitted models hold the same weights and loss curves, bit for bit."""
    return all(
        np.array_equal(x, y)
        for m, n in zip(a, b)
        for x, y in zip(m.coefs_ + m.intercepts_ + [m.loss_curve_], n.coefs_ + n.intercepts_ + [n.loss_curve_])
    )


def measure(hidden, packages, repeats, divisor, X):
    """Interleaved repeats: {(package, case label): [us]}, the C loop's [us] and the bit checks."""
    times, c_us, equal = {}, [], []
    for name, package in packages.items():  # warm-up
        for label, R, dtype, _, _ in CASES:
            fit_timed(package, hidden, R, 2, X, dtype)
    for _ in range(repeats):
        c_us.append(time_c(hidden, C_EPOCHS // divisor))
        for label, R, dtype, epochs, _ in CASES:
            fitted = {}
            for name, package in packages.items():
                us, fitted[name] = fit_timed(package, hidden, R, max(2, epochs // divisor), X, dtype)
                times.setdefault((name, label), []).append(us)
            if len(fitted) == 2:
                equal.append(same_bits(*fitted.values()))
    return times, c_us, equal


def print_network(net, packages, times, c_us, equal):
    c = statistics.median(c_us)
    print()
    print(f"{net}: C loop {c:.2f} us per epoch (median, min {min(c_us):.2f})")
    print(f"  {'case':<16}{'package':<12}{'median us':>10}{'min':>8}{'/ C':>7}{'target':>8}  verdict")
    for label, _, _, _, target in CASES:
        for name in packages:
            values = times[(name, label)]
            ratio = statistics.median(values) / c
            verdict = "met" if ratio <= target else "NOT met"
            print(f"  {label:<16}{name:<12}{statistics.median(values):>10.2f}{min(values):>8.2f}"
                  f"{ratio:>7.2f}{target:>8.2f}  {verdict}")
    if equal:
        print(f"  ours and baseline bit-identical: {sum(equal)}/{len(equal)} pairs of fits")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--baseline", metavar="REV", help="also time the ae package of this git revision")
    parser.add_argument("--quick", action="store_true", help="fewer epochs, for a smoke run")
    args = parser.parse_args()
    reason = build_c()
    if reason is not None:
        sys.exit(f"the C reference is needed: {reason}")
    divisor = QUICK_DIVISOR if args.quick else 1
    print("\n".join(machine_lines(f"python {platform.python_version()}, numpy {np.__version__}")))
    print(f"repeats : {args.repeats}, interleaved; BLAS threads 1" + ("; --quick" if args.quick else ""))
    X = np.eye(N_FEATURES)
    with tempfile.TemporaryDirectory() as folder, threadpool_limits(1):
        packages = {"ours": ae}
        if args.baseline:
            packages[args.baseline] = load_baseline(args.baseline, folder)
        for net, hidden in NETWORKS.items():
            print_network(net, packages, *measure(hidden, packages, args.repeats, divisor, X))


if __name__ == "__main__":
    main()
