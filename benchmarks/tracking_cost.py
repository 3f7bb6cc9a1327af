"""Milliseconds per MLflow run logged by ``ae.tracking``, and where they go.

Builds ``--runs`` realistic records, like those ``stages/track.py`` logs for
the blog's grid: a fitted 16-5-16 ``ae.AutoEncoder`` (a short fit on
``np.eye(16)``, seeds ``0..N-1``), its ``get_params()`` plus the grid's
columns (about 40 params, as strings), six final metrics, a 100-point loss
history (step = epoch), the hidden codes and snapped codes as CSV and one
PNG loss figure shared by every run. They are logged through the real code
path (``Tracker(...).log(records)``) into a fresh SQLite store in a temporary
folder, once per repeat; a figure is the wall time of ``log`` divided by the
number of runs. The fixed costs of a stage are printed apart: importing
MLflow and opening the store (``Tracker``: creating the database, the
experiment and the parent run).

The per-run cost is split by phase by timing, around every call, the MLflow
entry points the code path uses (create run, log_batch, saving the model,
logging artifacts, ending the run; table ``PHASES``); time outside them
(building entities, copying files) is "other". Medians (and mins) over
``--repeats``. Nothing is asserted; the script only prints. Run from
anywhere::

    python benchmarks/tracking_cost.py [--runs 50] [--repeats 5] [--profile]

``--profile`` also prints the 25 functions with the most cumulative time
(cProfile) of one extra repeat.
"""

import argparse
import cProfile
import functools
import io
import logging
import platform
import pstats
import statistics
import tempfile
import time
import warnings
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
from _common import machine_lines
from sklearn.exceptions import ConvergenceWarning

import ae

t0 = time.perf_counter()
import mlflow  # noqa: E402
import mlflow.sklearn  # noqa: E402
from mlflow import MlflowClient  # noqa: E402

IMPORT_SECONDS = time.perf_counter() - t0

from ae.analysis import binary_fraction, distinct_codes, is_symmetric_collapse, snap  # noqa: E402
from ae.plots import save_figure  # noqa: E402
from ae.tracking import MLflowRecord, Tracker  # noqa: E402

#: Phase name -> (owner, attribute) of the MLflow entry points timed around each call.
PHASES = {
    "create run": (MlflowClient, "create_run"),
    "log_batch": (MlflowClient, "log_batch"),
    "model save": (mlflow.sklearn, "save_model"),
    "model log": (mlflow.sklearn, "log_model"),
    "artifacts": (MlflowClient, "log_artifacts"),
    "artifact": (MlflowClient, "log_artifact"),
    "set terminated": (MlflowClient, "set_terminated"),
    "update run": (MlflowClient, "update_run"),
}
HISTORY_POINTS = 100
GRID = {"configuration": "16-5-16", "activation": "sigmoid", "protocol": "jitter", "stop_reason": "converged"}


def fitted_model(seed, X):
    """A 16-5-16 autoencoder fitted briefly on ``X``.

    Parameters
    ----------
    seed : int
        ``random_state`` of the glorot init.
    X : ndarray of shape (16, 16)
        Training data.

    Returns
    -------
    model : ae.AutoEncoder
    """
    model = ae.AutoEncoder(hidden_layer_sizes=(5,), solver="rmsprop", learning_rate_init=0.01,
                           loss="binary_crossentropy", max_iter=300, tol=0.0, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # a fixed number of epochs on purpose
        return model.fit(X)


def loss_figure(path, steps, values):
    """Write a PNG of one loss curve (log axes) to ``path``; return ``path``."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4.8))
    ax.loglog(steps, values)
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    save_figure(fig, path)
    return path


def record(seed, X, folder, figure):
    """One realistic :class:`ae.tracking.MLflowRecord`, its CSV files written into ``folder``.

    Parameters
    ----------
    seed : int
        Seed of the model, also its place in the run names.
    X : ndarray of shape (16, 16)
        Training data.
    folder : Path
        Where the run's code tables are written.
    figure : Path
        The PNG attached to the run.

    Returns
    -------
    record : ae.tracking.MLflowRecord
    """
    model = fitted_model(seed, X)
    H = model.transform(X)
    S = snap(H)
    columns = [f"unit{j}" for j in range(H.shape[1])]
    pd.DataFrame(H, columns=columns).to_csv(folder / f"hidden_codes_{seed}.csv")
    pd.DataFrame(S, columns=columns).to_csv(folder / f"snapped_codes_{seed}.csv")
    steps = np.unique(np.geomspace(1, len(model.loss_curve_), HISTORY_POINTS).astype(int))
    values = np.asarray(model.loss_curve_)[steps - 1]
    grid = {**GRID, "init_value": 1.0, "seed": seed, "curve_points": 1000, "data": "onehot16",
            "n_jobs": 2, "stage": "train@16-5-16", "history_points": HISTORY_POINTS}
    return MLflowRecord(
        f"16-5-16/sigmoid/jitter/s{seed}",
        params={**model.get_params(), **grid},
        metrics={"final_loss": float(model.loss_curve_[-1]), "epochs": float(model.n_iter_),
                 "train_seconds": 0.1, "distinct_codes": float(distinct_codes(S)),
                 "binary_fraction": float(binary_fraction(S)),
                 "symmetric_collapse": float(is_symmetric_collapse(H))},
        history={"loss": (steps, values)},
        tags=GRID,
        artifacts={"hidden_codes.csv": folder / f"hidden_codes_{seed}.csv",
                   "snapped_codes.csv": folder / f"snapped_codes_{seed}.csv", "loss.png": figure},
        model=model,
        failed=False,
    )


def build_records(n, folder):
    """``n`` records (seeds ``0..n-1``) with their files in ``folder``."""
    X = np.eye(16)
    model = fitted_model(0, X)
    figure = loss_figure(folder / "loss.png", np.arange(1, model.n_iter_ + 1), model.loss_curve_)
    return [record(seed, X, folder, figure) for seed in range(n)]


class PhaseTimer:
    """Accumulate the wall time spent inside the entry points of :data:`PHASES`.

    Used as a context manager: the entry points are wrapped on entry and
    restored on exit. A call made inside another timed call counts only
    for the outer one.
    """

    def __init__(self):
        self.seconds = defaultdict(float)
        self._depth = 0
        self._saved = []

    def _wrap(self, phase, func):
        @functools.wraps(func)
        def timed(*args, **kwargs):
            self._depth += 1
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self.seconds[phase] += time.perf_counter() - start

        return timed

    def __enter__(self):
        for phase, (owner, name) in PHASES.items():
            func = getattr(owner, name)
            self._saved.append((owner, name, func))
            setattr(owner, name, self._wrap(phase, func))
        return self

    def __exit__(self, *exc):
        for owner, name, func in reversed(self._saved):
            setattr(owner, name, func)
        self._saved.clear()


def one_repeat(records, profile=None):
    """Log ``records`` into a fresh store.

    Parameters
    ----------
    records : list of ae.tracking.MLflowRecord
    profile : cProfile.Profile or None
        Enabled around the logging only.

    Returns
    -------
    open_seconds : float
        Time of ``Tracker(...)`` on the fresh store.
    log_seconds : float
        Time of ``Tracker.log(records)``.
    phases : dict of str to float
        Seconds inside each phase during ``log``.
    ids : list of str
    """
    with tempfile.TemporaryDirectory() as tmp:
        uri = f"sqlite:///{Path(tmp, 'mlflow.db')}"
        start = time.perf_counter()
        tracker = Tracker("bench", "bench-parent", uri=uri)
        open_seconds = time.perf_counter() - start
        with PhaseTimer() as timer:
            if profile is not None:
                profile.enable()
            start = time.perf_counter()
            ids = tracker.log(records)
            log_seconds = time.perf_counter() - start
            if profile is not None:
                profile.disable()
        check_loadable(uri, ids[0])
        return open_seconds, log_seconds, dict(timer.seconds), ids


def check_loadable(uri, run_id):
    """Load the first run's model back with ``mlflow.sklearn.load_model`` (not timed)."""
    mlflow.set_tracking_uri(uri)
    model = mlflow.sklearn.load_model(f"runs:/{run_id}/model")
    model.transform(np.eye(16))


def report(n, opens, logs, phases):
    """Print the figures: fixed costs, ms per run, and the split by phase."""
    print(f"import mlflow        : {IMPORT_SECONDS * 1e3:8.0f} ms (once per stage process)")
    print(f"Tracker(...) open    : {statistics.median(opens) * 1e3:8.0f} ms median "
          f"(fresh store: database, experiment, parent run)")
    per_run = [s / n * 1e3 for s in logs]
    print(f"log, per run         : {statistics.median(per_run):8.1f} ms median, {min(per_run):.1f} min "
          f"({n} runs x {len(logs)} repeats)")
    print("split per run (median over repeats):")
    for phase in [p for p in PHASES if any(p in r for r in phases)]:
        ms = statistics.median(r.get(phase, 0.0) / n * 1e3 for r in phases)
        print(f"  {phase:18s} : {ms:6.1f} ms")
    other = statistics.median((log - sum(r.values())) / n * 1e3 for log, r in zip(logs, phases))
    print(f"  {'other':18s} : {other:6.1f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    versions = (f"versions: python {platform.python_version()}, numpy {np.__version__}, "
                f"mlflow {mlflow.__version__}")
    print("\n".join(machine_lines(versions)))
    with tempfile.TemporaryDirectory() as tmp:
        records = build_records(args.runs, Path(tmp))
        opens, logs, phases = [], [], []
        for _ in range(args.repeats):
            open_seconds, log_seconds, split, _ = one_repeat(records)
            opens.append(open_seconds)
            logs.append(log_seconds)
            phases.append(split)
        report(args.runs, opens, logs, phases)
        if args.profile:
            profile = cProfile.Profile()
            one_repeat(records, profile)
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(25)
            print(out.getvalue())


if __name__ == "__main__":
    logging.getLogger("mlflow.store.db.utils").setLevel(logging.WARNING)  # "Creating initial tables..."
    main()
