"""What sharing a trajectory saves: the blog study's sensitivity arms trained as rows of their own, and shared.

The arms ``p10``, ``improvement`` and ``improvement_p10`` rerun the
``as_written`` and ``jitter`` runs from the same starts under other stop
rules: the same trajectory, stopped elsewhere. ``ae.fit_many`` trains such
models as one row of their stack (``ae.training.trajectory_key``) until the
last of them stops. This script trains one configuration's runs of
``params.yaml`` on this machine's kernel (the ``haswell`` arm, which trains
in a process of its own, left out) in one process, with the rows shared and
with every model a row of its own (the key switched off), the two
interleaved, and prints the medians, their ratio and the model-epochs and
row-epochs each trained. The models are checked bit for bit between the two.

    python benchmarks/shared_rows.py [--configuration 16-5-16] [--repeats 3]
"""

import argparse
import statistics
import time
import warnings

import numpy as np
import yaml
from _common import ROOT, machine_lines

import ae.parallel
import ae.training
from ae import fit_many
from aerepro.blog.grid import core_type_of, expand_study


def runs_of(study, configuration):
    """The configuration's runs on this machine's kernel, as fresh estimators."""
    return [run.estimator() for run in expand_study(study, [configuration])
            if not core_type_of(study, run.coords["protocol"])]


def fit(estimators, shared):
    """Seconds to fit ``estimators`` in this process, with trajectories shared or not."""
    key = ae.training.trajectory_key if shared else (lambda estimator, n_samples: None)
    saved = ae.training.trajectory_key, ae.parallel.trajectory_key
    ae.training.trajectory_key = ae.parallel.trajectory_key = key
    try:
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit_many(estimators, np.eye(16))
        return time.perf_counter() - start
    finally:
        ae.training.trajectory_key, ae.parallel.trajectory_key = saved


def row_epochs(estimators):
    """Epochs summed over the rows the shared fit trains: per trajectory, its longest model's."""
    longest = {}
    for k, est in enumerate(estimators):
        key = ae.training.trajectory_key(est, 16) or k
        longest[key] = max(longest.get(key, 0), est.n_iter_)
    return sum(longest.values())


def main():
    params = yaml.safe_load((ROOT / "params.yaml").read_text())
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--configuration", default="16-5-16")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print("\n".join(machine_lines(f"numpy {np.__version__}")))
    study = params["study"]
    times = {True: [], False: []}
    for _ in range(args.repeats):
        fitted = {}
        for shared in (False, True):
            fitted[shared] = runs_of(study, args.configuration)
            times[shared].append(fit(fitted[shared], shared))
        for a, b in zip(fitted[False], fitted[True]):
            assert a.n_iter_ == b.n_iter_ and all(np.array_equal(p, q) for p, q in zip(a.coefs_, b.coefs_))
    models = fitted[True]
    print(f"{args.configuration}: {len(models)} models, {sum(m.n_iter_ for m in models):,} model-epochs as rows of "
          f"their own, {row_epochs(models):,} in shared rows; bit-identical models")
    own, shared = statistics.median(times[False]), statistics.median(times[True])
    print(f"rows of their own: median {own:.1f} s  ({', '.join(f'{t:.1f}' for t in times[False])})")
    print(f"shared rows:       median {shared:.1f} s  ({', '.join(f'{t:.1f}' for t in times[True])})")
    print(f"shared / own: {shared / own:.2f}")


if __name__ == "__main__":
    main()
