"""Milliseconds per MLflow run logged by ``aerepro.tracking``, and where they go.

Builds ``--runs`` realistic records, like those ``stages/track.py`` logs for
the blog's grid: a fitted 16-5-16 ``ae.AutoEncoder`` (a short fit on
``np.eye(16)``, seeds ``0..N-1``), its ``get_params()`` plus the grid's
columns (about 40 params, as strings), six final metrics, a 100-point loss
history (step = epoch), the hidden codes and snapped codes as CSV (the
figures of many runs go to the parent run, once: not timed here). They are
logged through the real code path (``Tracker(...).log(records)``) into a
fresh SQLite store in a temporary folder, once per repeat; a figure is the wall time of ``log`` divided by the
number of runs (the first run's model is then loaded back with
``mlflow.sklearn.load_model``, untimed). The fixed costs of a stage are
printed apart: importing MLflow, opening a fresh store (``Tracker``:
creating the database, the experiment and the parent run) and reopening it.

The per-run cost is split by phase by timing, around every call, the entry
points the code path uses (create run, log_batch, set terminated, model
save, artifact copy or log_artifacts; table ``PHASES``), in wall time and
in CPU time of the calling thread: wall minus CPU is mostly SQLite waiting
for the disk. Time outside them is "outside phases". Medians (and mins)
over ``--repeats``.

``--baseline REV`` also times the tracking module as it was at git revision
``REV`` (e.g. ``main``) on the same records, the repeats interleaved so
that the machine's noise hits both alike, and prints the ratio of the
medians. The machine is shared and its disk's fsync time swings several
fold within minutes: compare figures from one run, not across runs.

Nothing is asserted; the script only prints. Run from anywhere::

    python benchmarks/tracking_cost.py [--runs 50] [--repeats 5] [--baseline main] [--profile]

``--profile`` also prints the 25 functions with the most cumulative time
(cProfile) of one extra repeat of the current code.
"""

import argparse
import contextlib
import cProfile
import functools
import importlib.util
import io
import logging
import os
import platform
import pstats
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
from _common import ROOT, machine_lines
from sklearn.exceptions import ConvergenceWarning

import ae
import aerepro.tracking

t0 = time.perf_counter()
import mlflow  # noqa: E402
import mlflow.sklearn  # noqa: E402
from mlflow import MlflowClient  # noqa: E402

IMPORT_SECONDS = time.perf_counter() - t0

from aerepro.codes import binary_fraction, distinct_codes, is_symmetric_collapse, snap  # noqa: E402
from aerepro.tracking import MLflowRecord, Tracker  # noqa: E402

#: Phase name -> (owner, attribute) of the entry points timed around each call: MLflow's
#: API and the file writers of ``aerepro.tracking`` (skipped when a version has none).
PHASES = {
    "create run": (MlflowClient, "create_run"),
    "log_batch": (MlflowClient, "log_batch"),
    "set terminated": (MlflowClient, "set_terminated"),
    "update run": (MlflowClient, "update_run"),
    "model save": (mlflow.sklearn, "save_model"),
    "model log": (mlflow.sklearn, "log_model"),
    "artifact copy": (aerepro.tracking, "_copy_artifacts"),
    "log_artifacts": (MlflowClient, "log_artifacts"),
    "log_artifact": (MlflowClient, "log_artifact"),
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


def record(seed, X, folder):
    """One realistic :class:`aerepro.tracking.MLflowRecord`, its CSV files written into ``folder``.

    Parameters
    ----------
    seed : int
        Seed of the model, also its place in the run names.
    X : ndarray of shape (16, 16)
        Training data.
    folder : Path
        Where the run's code tables are written.

    Returns
    -------
    record : aerepro.tracking.MLflowRecord
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
                   "snapped_codes.csv": folder / f"snapped_codes_{seed}.csv"},
        model=model,
        failed=False,
    )


def build_records(n, folder):
    """``n`` records (seeds ``0..n-1``) with their files in ``folder``."""
    X = np.eye(16)
    return [record(seed, X, folder) for seed in range(n)]


class PhaseTimer:
    """Accumulate the wall time spent inside the entry points of :data:`PHASES`, per thread.

    Used as a context manager: the entry points are wrapped on entry and
    restored on exit. A call made inside another timed call of the same
    thread counts only for the outer one. ``seconds[thread, phase]`` is
    keyed by ``"main"`` or ``"other"`` thread (a logging code may write
    files in a worker thread while the main thread talks to the database);
    ``cpu_seconds`` is the same for the CPU time of the calling thread, so
    wall minus CPU is mostly waiting for the disk (SQLite's fsyncs).
    """

    def __init__(self):
        self.seconds = defaultdict(float)
        self.cpu_seconds = defaultdict(float)
        self._local = threading.local()
        self._saved = []

    def _wrap(self, phase, func):
        @functools.wraps(func)
        def timed(*args, **kwargs):
            depth = getattr(self._local, "depth", 0)
            self._local.depth = depth + 1
            start, cpu = time.perf_counter(), time.thread_time()
            try:
                return func(*args, **kwargs)
            finally:
                self._local.depth = depth
                if depth == 0:
                    thread = "main" if threading.current_thread() is threading.main_thread() else "other"
                    self.seconds[thread, phase] += time.perf_counter() - start
                    self.cpu_seconds[thread, phase] += time.thread_time() - cpu

        return timed

    def __enter__(self):
        for phase, (owner, name) in PHASES.items():
            func = getattr(owner, name, None)
            if func is not None:
                self._saved.append((owner, name, func))
                setattr(owner, name, self._wrap(phase, func))
        return self

    def __exit__(self, *exc):
        for owner, name, func in reversed(self._saved):
            setattr(owner, name, func)
        self._saved.clear()


def baseline_tracker(rev):
    """``Tracker`` of the tracking module as it was at git revision ``rev``, loaded beside the current one.

    The module is ``aerepro/tracking.py`` (``aerepro/tracking.py`` before the
    reproduction had its own package); its relative imports resolve to the
    current ``aerepro`` package.

    Parameters
    ----------
    rev : str
        A git revision of this checkout.

    Returns
    -------
    tracker_class : type
    """
    for where in ("aerepro/tracking.py", "aerepro/tracking.py"):
        shown = subprocess.run(["git", "show", f"{rev}:{where}"], cwd=ROOT, capture_output=True, text=True)
        if shown.returncode == 0:
            break
    shown.check_returncode()
    path = Path(tempfile.mkdtemp(), "tracking_baseline.py")
    path.write_text(shown.stdout)
    spec = importlib.util.spec_from_file_location("aerepro.tracking_baseline", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its classes pickle by module name (the model template does)
    spec.loader.exec_module(module)
    return module.Tracker


@contextlib.contextmanager
def own_environment():
    """Restore ``os.environ`` afterwards: a revision's settings for MLflow (a pool class) must not leak into another's."""
    saved = dict(os.environ)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def one_repeat(tracker_class, records, profile=None):
    """Log ``records`` into a fresh store.

    Parameters
    ----------
    tracker_class : type
        ``aerepro.tracking.Tracker`` or a baseline's.
    records : list of aerepro.tracking.MLflowRecord
    profile : cProfile.Profile or None
        Enabled around the logging only.

    Returns
    -------
    open_seconds : float
        Time of ``Tracker(...)`` on the fresh store.
    reopen_seconds : float
        Time of ``Tracker(...)`` again, on the store just written (what a
        stage pays when the database and the parent run exist).
    log_seconds : float
        Time of ``Tracker.log(records)``.
    phases, cpu : dict of (str, str) to float
        Wall and CPU seconds inside each phase during ``log``, by thread and phase.
    """
    with tempfile.TemporaryDirectory() as tmp, own_environment():
        uri = f"sqlite:///{Path(tmp, 'mlflow.db')}"
        start = time.perf_counter()
        tracker = tracker_class("bench", "bench-parent", uri=uri)
        open_seconds = time.perf_counter() - start
        with PhaseTimer() as timer:
            if profile is not None:
                profile.enable()
            start = time.perf_counter()
            ids = tracker.log(records)
            log_seconds = time.perf_counter() - start
            if profile is not None:
                profile.disable()
        start = time.perf_counter()
        tracker_class("bench", "bench-parent", uri=uri)
        reopen_seconds = time.perf_counter() - start
        check_loadable(uri, ids[0])
        return open_seconds, reopen_seconds, log_seconds, dict(timer.seconds), dict(timer.cpu_seconds)


def time_forked(records, n_jobs):
    """Seconds of ``Tracker.log(records, n_jobs=n_jobs)`` into a fresh store."""
    with tempfile.TemporaryDirectory() as tmp:
        tracker = Tracker("bench", "bench-parent", uri=f"sqlite:///{Path(tmp, 'mlflow.db')}")
        start = time.perf_counter()
        tracker.log(records, n_jobs=n_jobs)
        return time.perf_counter() - start


def check_loadable(uri, run_id):
    """Load the first run's model back with ``mlflow.sklearn.load_model`` (not timed)."""
    mlflow.set_tracking_uri(uri)
    model = mlflow.sklearn.load_model(f"runs:/{run_id}/model")
    model.transform(np.eye(16))


def report(label, n, opens, reopens, logs, phases, cpu):
    """Print one version's figures: opening the store, ms per run, and the split by phase.

    Returns
    -------
    ms : float
        Median milliseconds per run.
    """
    per_run = [s / n * 1e3 for s in logs]
    ms = statistics.median(per_run)
    print(f"{label}:")
    print(f"  Tracker(...) open      : {statistics.median(opens) * 1e3:6.0f} ms median "
          f"(fresh store: database, experiment, parent run)")
    print(f"  Tracker(...) reopen    : {statistics.median(reopens) * 1e3:6.0f} ms median (existing store)")
    print(f"  log, per run           : {ms:6.1f} ms median, {min(per_run):.1f} min "
          f"({n} runs x {len(logs)} repeats)")
    for thread in ("main", "other"):
        for phase in PHASES:
            if any((thread, phase) in r for r in phases):
                median = statistics.median(r.get((thread, phase), 0.0) / n * 1e3 for r in phases)
                median_cpu = statistics.median(r.get((thread, phase), 0.0) / n * 1e3 for r in cpu)
                print(f"    {thread:5s} {phase:16s} : {median:6.1f} ms ({median_cpu:.1f} ms CPU)")
    other = statistics.median((log - sum(v for (t, _), v in r.items() if t == "main")) / n * 1e3
                              for log, r in zip(logs, phases))
    print(f"    main  {'outside phases':16s} : {other:6.1f} ms")
    return ms


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--baseline", metavar="REV", help="also time the tracking module of this git revision")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2],
                        help="also time log(records, n_jobs=J) for each J, wall only (forked loggers)")
    args = parser.parse_args()
    versions = (f"versions: python {platform.python_version()}, numpy {np.__version__}, "
                f"mlflow {mlflow.__version__}")
    print("\n".join(machine_lines(versions)))
    print(f"import mlflow: {IMPORT_SECONDS * 1e3:.0f} ms (once per stage process)")
    print("split per run: medians over repeats; phases of the worker thread overlap the main thread's")
    trackers = {"current": Tracker}
    if args.baseline:
        trackers[f"baseline {args.baseline}"] = baseline_tracker(args.baseline)
    with tempfile.TemporaryDirectory() as tmp:
        records = build_records(args.runs, Path(tmp))
        results = {label: ([], [], [], [], []) for label in trackers}
        for repeat in range(args.repeats):
            order = list(trackers) if repeat % 2 == 0 else list(reversed(trackers))  # interleaved
            for label in order:
                for result, value in zip(results[label], one_repeat(trackers[label], records)):
                    result.append(value)
        ms = {label: report(label, args.runs, *results[label]) for label in trackers}
        if args.baseline:
            print(f"baseline / current: {ms[f'baseline {args.baseline}'] / ms['current']:.2f}x (medians)")
        forked = {j: [] for j in args.jobs}
        for repeat in range(args.repeats):
            for jobs in args.jobs if repeat % 2 == 0 else reversed(args.jobs):  # interleaved
                forked[jobs].append(time_forked(records, jobs))
        for jobs, seconds in forked.items():
            print(f"log(n_jobs={jobs}): {statistics.median(seconds) / args.runs * 1e3:6.1f} ms per run median, "
                  f"{min(seconds) / args.runs * 1e3:.1f} min")
        if args.profile:
            profile = cProfile.Profile()
            one_repeat(Tracker, records, profile)
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(25)
            print(out.getvalue())


if __name__ == "__main__":
    logging.getLogger("mlflow.store.db.utils").setLevel(logging.WARNING)  # "Creating initial tables..."
    main()
