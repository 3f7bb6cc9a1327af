"""A SQLite tracking store tuned for many small commits that still survive a crash.

A logged run is a few commits; a stage logs hundreds of runs, so what a
commit costs decides what logging costs. The store is put in write-ahead
log mode (:func:`write_ahead_log`), its connections sync at checkpoints
rather than at each commit (:func:`sync_at_checkpoints`), and the log is
synced once at the end (:func:`sync_log`). MLflow has no setting for any of
this: :func:`sql_engines` reaches the SQLAlchemy engines behind a client.
``benchmarks/tracking_cost.py`` measures the gain.
"""

import contextlib
import os

__all__ = ["write_ahead_log", "sql_engines", "normal_sync", "sync_at_checkpoints", "sync_log"]


def write_ahead_log(path):
    """Put a SQLite store in WAL journal mode (kept by the file; a no-op once set).

    With a write-ahead log, readers (``mlflow ui``) and the forked loggers
    do not block each other, and a commit appends to the log instead of
    rewriting pages: logging in two processes measured ~1.5x faster per run
    (``benchmarks/tracking_cost.py`` figures in ``benchmarks/README.md``).

    Parameters
    ----------
    path : Path
        The SQLite database file.
    """
    import sqlite3

    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA journal_mode=WAL")


def sql_engines(client):
    """The SQLAlchemy engines behind an ``MlflowClient``'s database store (writes first, then a read replica's).

    MLflow keeps one store (and engine) per tracking URI and process, so
    every client of a URI shares them.

    Parameters
    ----------
    client : mlflow.MlflowClient

    Returns
    -------
    engines : list of sqlalchemy.engine.Engine
        Each engine once; empty for any other store.
    """
    store = getattr(getattr(client, "_tracking_client", None), "store", None)
    engines = [getattr(store, "engine", None), getattr(store, "read_engine", None)]
    return [e for k, e in enumerate(engines) if hasattr(e, "dispose") and e not in engines[:k]]


def normal_sync(dbapi_connection, connection_record):
    """Connection hook: commits to a write-ahead log are synced to disk at checkpoints, not one by one."""
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")


def sync_at_checkpoints(engine):
    """Open the engine's SQLite connections with ``synchronous=NORMAL`` and keep them in its pool.

    For a store in WAL mode (:func:`write_ahead_log`) only. A commit then
    appends to the log without an ``fsync``; the store stays consistent
    through any crash, and the commits a power loss could take are those
    since the last checkpoint, which :func:`sync_log` closes at the end of
    each ``log``. Connections are pooled (MLflow's default), not opened anew
    for each call. Both together measured 1.81x faster a run
    (``benchmarks/tracking_cost.py``). The pool starts empty (connections
    opened before the hook are closed).

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
        The store's engine (:func:`sql_engines`); hooked once however often
        this is called.
    """
    from sqlalchemy import event

    if not event.contains(engine, "connect", normal_sync):
        engine.dispose()
        event.listen(engine, "connect", normal_sync)


def sync_log(path):
    """``fsync`` a SQLite store's write-ahead log: every commit so far survives a power loss.

    A checkpoint would sync it too, but one can be held back (a FULL one
    waits) by any reader on an old snapshot, such as ``mlflow ui``; this
    waits for nobody. Only the log is opened: closing a descriptor of the
    database file itself would drop this process's SQLite locks on it
    (POSIX), and what the database file holds was synced by the checkpoint
    that wrote it.

    Parameters
    ----------
    path : Path
        The SQLite database file; its log is ``<path>-wal``.
    """
    try:
        fd = os.open(path.with_name(path.name + "-wal"), os.O_RDONLY)
    except FileNotFoundError:  # the last connection closed: it checkpointed the log into the synced database
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
