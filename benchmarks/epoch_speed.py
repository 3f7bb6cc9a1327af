"""Microseconds per epoch of a full-batch autoencoder fit, ours against others.

Data: ``X = np.eye(16)`` (16 samples x 16 features). Networks: 16-5-16
(``hidden_layer_sizes=(5,)``) and 16-8-4-8-16 (``(8, 4, 8)``), sigmoid
everywhere, binary cross-entropy, RMSProp (lr 0.001, rho 0.9, eps 1e-8), one
update per epoch, a single model. Implementations, measured side by side in
one run (the repeats are interleaved, so machine noise hits all alike):

* ours    -- ``ae.AutoEncoder(...).fit(X)``, wall time / ``n_iter_``, in float64
  (the default ``dtype``);
* ours float32 -- the same with ``dtype="float32"``: every array of the
  training loop in float32 (the ratio float32 / float64 is printed);
* sklearn -- ``MLPRegressor`` on the same layer sizes, ``fit(X, X)`` with
  ``batch_size=16`` (one update per epoch). It has no RMSProp and no
  cross-entropy for regression, so it runs Adam on the squared error with an
  identity output: the same shapes, slightly different arithmetic;
* C       -- ``benchmarks/c_reference.c``, a plain C99 loop of exactly our
  per-epoch math (compiled with ``gcc -O2`` if gcc is found);
* torch   -- an eager PyTorch CPU loop (float64, one thread, ``nn.Sequential``,
  ``RMSprop``, ``binary_cross_entropy``), if ``torch`` is importable. Torch
  is optional and never a project dependency.

BLAS is pinned to one thread. Each figure is the median (and min) over the
repeats of (time of one fit) / (epochs of that fit). Nothing is asserted;
the script only prints.

Run from anywhere::

    python benchmarks/epoch_speed.py [--repeats 7] [--quick]

``--quick`` uses ~10x fewer epochs, for a smoke run (noisier figures).
"""

import argparse
import platform
import statistics
import time
import warnings

import numpy as np
import sklearn
from _common import EPS, LR, N_FEATURES, NETWORKS, RHO, build_c, machine_lines, time_c, timed_autoencoder
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPRegressor
from threadpoolctl import threadpool_limits

try:
    import torch
except ImportError:
    torch = None

#: Epochs per timed fit, chosen so one fit takes roughly 0.3-1 s here.
EPOCHS = {"ours": 10000, "ours float32": 10000, "sklearn": 5000, "C": 50000, "torch": 1000}
QUICK_DIVISOR = 10


# -- one timed fit per implementation: each returns microseconds per epoch --


def time_ours(hidden, epochs, X, dtype="float64"):
    est = timed_autoencoder(hidden, epochs, dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        t0 = time.perf_counter()
        est.fit(X)
        elapsed = time.perf_counter() - t0
    return 1e6 * elapsed / est.n_iter_


def time_ours_float32(hidden, epochs, X):
    return time_ours(hidden, epochs, X, dtype="float32")


def time_sklearn(hidden, epochs, X):
    est = MLPRegressor(
        hidden_layer_sizes=hidden,
        activation="logistic",
        solver="adam",
        batch_size=X.shape[0],
        shuffle=False,
        learning_rate_init=LR,
        max_iter=epochs,
        tol=0.0,
        n_iter_no_change=epochs + 1,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        t0 = time.perf_counter()
        est.fit(X, X)
        elapsed = time.perf_counter() - t0
    return 1e6 * elapsed / est.n_iter_


def time_torch(hidden, epochs, X):
    torch.manual_seed(0)
    sizes = [N_FEATURES, *hidden, N_FEATURES]
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers += [torch.nn.Linear(n_in, n_out, dtype=torch.float64), torch.nn.Sigmoid()]
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.RMSprop(model.parameters(), lr=LR, alpha=RHO, eps=EPS)
    Xt = torch.from_numpy(X)
    bce = torch.nn.functional.binary_cross_entropy
    t0 = time.perf_counter()
    for _ in range(epochs):
        opt.zero_grad()
        loss = bce(model(Xt), Xt)
        loss.backward()
        opt.step()
    elapsed = time.perf_counter() - t0
    return 1e6 * elapsed / epochs


# -- reporting ------------------------------------------------------------


def print_header(args, skipped):
    versions = (f"python {platform.python_version()}, numpy {np.__version__}, scikit-learn {sklearn.__version__}, "
                f"torch {torch.__version__ if torch else '-'}")
    print("\n".join(machine_lines(versions)))
    print(f"repeats : {args.repeats} per implementation and network, interleaved; BLAS threads 1"
          + ("; --quick" if args.quick else ""))
    print("note    : sklearn MLPRegressor has no RMSProp (nor cross-entropy for regression): "
          "it runs Adam on the squared error, identity output")
    for name, reason in skipped.items():
        print(f"skipped : {name} -- {reason}")


def print_table(net, results, epochs):
    print()
    print(f"{net}  (us/epoch)")
    print(f"  {'implementation':<16}{'median':>10}{'min':>10}{'epochs/fit':>12}")
    med = {}
    for name, times in results.items():
        med[name] = statistics.median(times)
        print(f"  {name:<16}{med[name]:>10.1f}{min(times):>10.1f}{epochs[name]:>12d}")
    ratios = [("sklearn / ours", "sklearn", "ours"), ("torch / ours", "torch", "ours"), ("ours / C", "ours", "C"),
              ("float32 / float64", "ours float32", "ours")]
    for label, a, b in ratios:
        value = f"{med[a] / med[b]:.2f}" if a in med and b in med else "n/a (skipped)"
        print(f"  {label:<18}{value:>8}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeats", type=int, default=7, help="timed fits per implementation and network (>= 5 advised)")
    parser.add_argument("--quick", action="store_true", help="fewer epochs, for a smoke run")
    args = parser.parse_args()

    epochs = {k: max(1, v // QUICK_DIVISOR) if args.quick else v for k, v in EPOCHS.items()}
    runners = {"ours": time_ours, "ours float32": time_ours_float32, "sklearn": time_sklearn}
    skipped = {}
    reason = build_c()
    if reason is None:
        runners["C"] = time_c
    else:
        skipped["C"] = reason
    if torch is not None:
        torch.set_num_threads(1)
        runners["torch"] = time_torch
    else:
        skipped["torch"] = "not importable (optional: pip install torch)"

    print_header(args, skipped)
    X = np.eye(N_FEATURES)
    with threadpool_limits(1):
        for net, hidden in NETWORKS.items():
            for run in runners.values():  # warm-up: imports, caches, lazy init
                run(hidden, 20, X)
            results = {name: [] for name in runners}
            for _ in range(args.repeats):
                for name, run in runners.items():
                    results[name].append(run(hidden, epochs[name], X))
            print_table(net, results, epochs)


if __name__ == "__main__":
    main()
