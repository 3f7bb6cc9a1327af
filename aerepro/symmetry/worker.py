"""Train runs in a fresh process whose BLAS picks the kernel ``OPENBLAS_CORETYPE`` names.

OpenBLAS chooses its kernel once, when it is loaded, from the CPU or from
``OPENBLAS_CORETYPE``; so runs under another kernel need another process.
:func:`fit_under_kernel` starts this module as a script with that variable
set; the script fits the pickled estimators on the pickled data with
:func:`ae.fit_many` and pickles them back with the kernel it ran on.
"""

import os
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

import joblib

__all__ = ["fit_under_kernel", "blas_kernel"]


def blas_kernel():
    """The BLAS libraries loaded and the kernel each picked, e.g. ``openblas 0.3.31 SkylakeX`` (sorted: load order varies)."""
    from threadpoolctl import threadpool_info

    blas = sorted({f"{i['internal_api']} {i.get('version')} {i.get('architecture')}"
                   for i in threadpool_info() if i["user_api"] == "blas"})
    return ", ".join(blas) or "unknown"


def fit_under_kernel(estimators, X, core_type):
    """Fit ``estimators`` on ``X`` in a child process with ``OPENBLAS_CORETYPE=core_type``.

    Returns the fitted estimators and the kernel string the child reported.
    """
    with tempfile.TemporaryDirectory() as tmp:
        todo, done = Path(tmp, "todo.joblib"), Path(tmp, "done.joblib")
        joblib.dump((estimators, X), todo)
        env = {**os.environ, "OPENBLAS_CORETYPE": core_type}
        result = subprocess.run([sys.executable, __file__, str(todo), str(done)], env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"training under OPENBLAS_CORETYPE={core_type} failed:\n{result.stderr.strip()}")
        return joblib.load(done)


def _main(todo, done):
    from ae import fit_many

    estimators, X = joblib.load(todo)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # symmetric inits and spent budgets are the point here
        fit_many(estimators, X, n_jobs=1)
    joblib.dump((estimators, blas_kernel()), done)


if __name__ == "__main__":
    _main(*sys.argv[1:3])
