"""Where the training stages train: here, or on the dask cluster an environment variable names.

``AEREPRO_DASK_SCHEDULER=tcp://host:8786 dvc repro`` sends the training
stages' stacks to that dask scheduler's workers (joblib's dask backend,
:func:`ae.fit_many`'s ``n_jobs`` machinery). It is an environment variable,
not a param: the results do not depend on where they are computed (every
model ends bit for bit as ``fit`` alone would leave it, whatever the
stacking and the process), so a change of cluster must not retrain. Unset
or empty, the stages train in their own processes (``train.n_jobs``).

The workers need this checkout's ``ae`` importable (start them from its
environment) and should be of the machine kind the results were made on:
bit-identity holds between runs of the same code on the same kind of CPU.
"""

import os
from contextlib import contextmanager

from .errors import UserError

__all__ = ["SCHEDULER_VARIABLE", "scheduler_address", "training_jobs"]

#: The environment variable naming the dask scheduler, ``tcp://host:port``.
SCHEDULER_VARIABLE = "AEREPRO_DASK_SCHEDULER"

#: Seconds to wait for the scheduler to answer, and then for a first worker.
TIMEOUT = 30


def scheduler_address(environ=None):
    """The scheduler named by :data:`SCHEDULER_VARIABLE` in ``environ`` (``os.environ``), or None."""
    address = (os.environ if environ is None else environ).get(SCHEDULER_VARIABLE, "").strip()
    return address or None


@contextmanager
def training_jobs(n_jobs, environ=None):
    """Train on the cluster of :data:`SCHEDULER_VARIABLE` inside this context, if one is named.

    Parameters
    ----------
    n_jobs : int or None
        The processes the stage would use here (``train.n_jobs``).
    environ : mapping, default=None
        Where to read the variable (``os.environ``).

    Yields
    ------
    n_jobs : int or None
        What to pass to ``fit_many`` or ``fit_stacks``: ``n_jobs`` itself
        with no scheduler named; ``-1`` (every worker thread of the
        cluster) inside joblib's dask backend otherwise.

    Raises
    ------
    UserError
        When ``dask.distributed`` is not installed, no scheduler answers at
        the address, or the scheduler has no worker when work is sent to it
        (after :data:`TIMEOUT` seconds), naming the variable and its value.
    """
    address = scheduler_address(environ)
    if address is None:
        yield n_jobs
        return
    try:
        from dask.distributed import Client
        from joblib import parallel_config
    except ImportError:
        raise UserError(f"{SCHEDULER_VARIABLE}={address}: dask.distributed is not installed "
                        "(pip install -e '.[dask]'), or unset the variable to train here") from None
    try:
        client = Client(address, timeout=TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise UserError(f"{SCHEDULER_VARIABLE}={address}: no dask scheduler answers there ({exc}); "
                        "start one (dask scheduler) or unset the variable to train here") from None
    with client, parallel_config(backend="dask", wait_for_workers_timeout=TIMEOUT, client=client):
        try:
            yield -1
        except TimeoutError:
            if client.ncores():
                raise
            raise UserError(f"{SCHEDULER_VARIABLE}={address}: the scheduler has no worker after {TIMEOUT} s; "
                            f"start some (dask worker {address} --nthreads 1)") from None
