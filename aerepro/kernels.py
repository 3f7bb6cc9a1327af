"""Train runs under another BLAS kernel: in a fresh process whose OpenBLAS picks the kernel ``OPENBLAS_CORETYPE`` names.

OpenBLAS chooses its kernel once, when it is loaded, from the CPU or from
``OPENBLAS_CORETYPE``; so runs under another kernel need another process.
:class:`KernelFit` starts this module as a script with that variable
set; the script fits the pickled estimators on the pickled data with
:func:`ae.fit_many` and pickles them back with the kernel it ran on.
:func:`fit_by_kernel` trains a study's runs, each under the core type it
names, the machine's own kernel in this process.
"""

import os
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

import joblib

__all__ = ["KernelFit", "blas_kernel", "fit_by_kernel"]


def blas_kernel():
    """The BLAS libraries loaded and the kernel each picked, e.g. ``openblas 0.3.31 SkylakeX`` (sorted: load order varies)."""
    from threadpoolctl import threadpool_info

    blas = sorted({f"{i['internal_api']} {i.get('version')} {i.get('architecture')}"
                   for i in threadpool_info() if i["user_api"] == "blas"})
    return ", ".join(blas) or "unknown"


class KernelFit:
    """Start fitting ``estimators`` on ``X`` in a child process with ``OPENBLAS_CORETYPE=core_type``.

    The child trains while this process goes on (children started together
    train at the same time); :meth:`result` waits for it and gives the fitted
    estimators and the kernel it ran on, :meth:`stop` ends it early.
    """

    def __init__(self, estimators, X, core_type):
        self.core_type = core_type
        self._tmp = tempfile.TemporaryDirectory()
        todo, self._done, self._log = (Path(self._tmp.name, name) for name in ("todo.joblib", "done.joblib", "stderr"))
        joblib.dump((estimators, X), todo)
        env = {**os.environ, "OPENBLAS_CORETYPE": core_type}
        with open(self._log, "w") as log:  # a file, not a pipe: nobody reads a pipe while the child trains
            self._process = subprocess.Popen([sys.executable, __file__, str(todo), str(self._done)], env=env,
                                             stdout=subprocess.DEVNULL, stderr=log)

    def result(self):
        """Wait for the child; return the fitted estimators and the kernel string it reported."""
        try:
            if self._process.wait() != 0:
                raise RuntimeError(f"training under OPENBLAS_CORETYPE={self.core_type} failed:\n"
                                   f"{self._log.read_text().strip()}")
            return joblib.load(self._done)
        finally:
            self._tmp.cleanup()

    def stop(self):
        """Kill the child if it is still training, and remove its files (after an error elsewhere)."""
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._tmp.cleanup()


def fit_by_kernel(estimators, X, core_types, n_jobs, names, quiet=(), verbose=0):
    """Fit ``estimators`` on ``X`` in place, each under the OpenBLAS core type of ``core_types`` ("": this process's).

    Each other core type trains in a child process of its own
    (:class:`KernelFit`, one job) while this process trains its own runs
    with :func:`ae.fit_many` in ``n_jobs``: the children fill the cores the
    local stacks leave idle as they finish. A failed child fails the call,
    naming its core type; the others are stopped.

    Parameters
    ----------
    estimators : list of AutoEncoder
    X : ndarray
    core_types : list of str
        One per estimator.
    n_jobs : int
        Jobs of the local training.
    names : list of str
        One per estimator, for the local training's progress.
    quiet : tuple of Warning classes
        Warnings the local training ignores (recorded per run by the caller).
    verbose : int
        :func:`ae.fit_many`'s progress, for the local training.

    Returns
    -------
    kernels : list of str
        The kernel each estimator trained on (:func:`blas_kernel` of its process).
    """
    from ae import fit_many

    here = blas_kernel()
    kernels = [here] * len(estimators)
    by_core = {}
    for i, core in enumerate(core_types):
        by_core.setdefault(core, []).append(i)
    local = by_core.pop("", [])
    children = {}
    try:
        for core, members in by_core.items():
            children[core] = KernelFit([estimators[i] for i in members], X, core)
        with warnings.catch_warnings():
            for category in quiet:
                warnings.simplefilter("ignore", category)
            fit_many([estimators[i] for i in local], X, n_jobs=n_jobs, verbose=verbose,
                     names=[names[i] for i in local])
        results = {core: child.result() for core, child in children.items()}
    finally:
        for child in children.values():
            child.stop()
    for core, members in by_core.items():
        fitted, kernel = results[core]
        for i, est in zip(members, fitted):
            estimators[i].__dict__.update(est.__dict__)
            kernels[i] = kernel
        print(f"{len(members)} runs under OPENBLAS_CORETYPE={core}: {kernel}", flush=True)
    return kernels


def _main(todo, done):
    from ae import fit_many

    estimators, X = joblib.load(todo)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # symmetric inits and spent budgets are the point here
        fit_many(estimators, X, n_jobs=1)
    joblib.dump((estimators, blas_kernel()), done)


if __name__ == "__main__":
    _main(*sys.argv[1:3])
