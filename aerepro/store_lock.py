"""Writers taking turns at the tracking store: wait out another writer's lock, then say so in one line.

A SQLite store takes one writer at a time; two pipelines (queued
experiments) logging at once, or ``mlflow ui`` mid-write, make the other
wait. MLflow's own SQLite sessions wait up to 20 s for a lock
(``PRAGMA busy_timeout``) before a call fails; :func:`patiently` retries
such a call with backoff for as long as the user allows, and past that
raises :class:`StoreLocked`, one line naming the store and what to run.
:func:`folder_lock` serializes what two writers must not do at once at all:
create a new store's tables, its experiment or a parent run.
"""

import contextlib
import os
import time

from .store import TrackingUnavailable

__all__ = ["StoreLocked", "patiently", "PatientClient", "folder_lock"]


class StoreLocked(TrackingUnavailable):
    """The tracking store stayed locked by another writer past the wait allowed."""


def _is_locked(exc):
    """Whether an exception (or one it was raised from) is SQLite's "database is locked".

    Parameters
    ----------
    exc : BaseException or None

    Returns
    -------
    locked : bool
    """
    while exc is not None:
        if "database is locked" in str(exc) or "database table is locked" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def patiently(call, uri, lock_wait):
    """``call()``, retried with exponential backoff while the store is locked, at most ``lock_wait`` seconds.

    MLflow's own SQLite sessions already wait up to 20 s for a lock
    (``PRAGMA busy_timeout``) before a call fails; this waits longer.

    Parameters
    ----------
    call : callable
        Called without arguments.
    uri : str
        The store's tracking URI, named in the error.
    lock_wait : float
        Seconds to keep retrying; waits start at 0.05 s and double up to 2 s.

    Returns
    -------
    result
        What ``call()`` returned.

    Raises
    ------
    StoreLocked
        One line naming the store and what to do, when the store is still
        locked after ``lock_wait`` seconds. Any other error is raised at once.
    """
    start, delay = time.monotonic(), 0.05
    while True:
        try:
            return call()
        except Exception as exc:
            if not _is_locked(exc):
                raise
            waited = time.monotonic() - start
            if waited >= lock_wait:
                raise StoreLocked(
                    f"MLflow store {uri} is locked by another writer (still locked after {waited:.0f} s, "
                    f"tracking.lock_wait is {lock_wait:g}): let the other writer finish or stop it, then run "
                    "`dvc repro track` (the trained models are kept)") from None
            time.sleep(min(delay, max(lock_wait - waited, 0.0)))
            delay = min(2 * delay, 2.0)


class PatientClient:
    """An ``MlflowClient`` whose every call is retried while the store is locked (:func:`patiently`).

    Parameters
    ----------
    client : mlflow.MlflowClient
        The client whose methods are called.
    uri : str
        Its tracking URI.
    lock_wait : float
        Seconds to keep retrying a call.
    """

    def __init__(self, client, uri, lock_wait):
        self._client, self._uri, self._lock_wait = client, uri, lock_wait

    def __getattr__(self, name):
        attribute = getattr(self._client, name)
        if not callable(attribute):
            return attribute

        def call(*args, **kwargs):
            return patiently(lambda: attribute(*args, **kwargs), self._uri, self._lock_wait)
        return call


@contextlib.contextmanager
def folder_lock(folder):
    """Hold an exclusive ``flock`` on ``folder`` (none for ``None`` or where ``fcntl`` is missing).

    Parameters
    ----------
    folder : Path or None
        An existing folder, e.g. the one holding a SQLite store.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX
        fcntl = None
    if folder is None or fcntl is None:
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
