"""aerepro.sqlite_store: a SQLite store in write-ahead log mode, syncing at checkpoints, its log synced on demand."""

import os
import sqlite3

import pytest

from aerepro import sqlite_store
from aerepro.sqlite_store import sql_engines, sync_at_checkpoints, sync_log, write_ahead_log


@pytest.fixture
def client(tmp_path):
    """A client of a new SQLite store in ``tmp_path`` (its tables made)."""
    from mlflow import MlflowClient

    client = MlflowClient(f"sqlite:///{tmp_path / 'mlflow.db'}")
    client.search_experiments(max_results=1)
    return client


def test_a_sqlite_store_is_put_in_write_ahead_log_mode_for_good(tmp_path):
    path = tmp_path / "mlflow.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE t (x)")
    for _ in range(2):  # a no-op once set
        write_ahead_log(path)
        with sqlite3.connect(path) as connection:
            assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_database_store_has_one_engine_and_any_other_none(client):
    (engine,) = sql_engines(client)
    assert engine is client._tracking_client.store.engine
    assert sql_engines(object()) == []


def test_the_store_connections_sync_at_checkpoints_also_after_the_pool_is_emptied(client, tmp_path):
    from sqlalchemy import event, text

    write_ahead_log(tmp_path / "mlflow.db")
    (engine,) = sql_engines(client)
    sync_at_checkpoints(engine)
    sync_at_checkpoints(engine)  # hooked once
    assert event.contains(engine, "connect", sqlite_store.normal_sync)
    for _ in range(2):
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL; SQLite's default is FULL (2)
        engine.dispose()  # as before forking the loggers


def test_syncing_the_log_fsyncs_the_write_ahead_log_only_and_nothing_once_it_is_gone(tmp_path, monkeypatch):
    synced, fsync = [], os.fsync

    def spy(fd):
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        fsync(fd)

    monkeypatch.setattr(sqlite_store.os, "fsync", spy)
    path = tmp_path / "mlflow.db"
    sync_log(path)  # no log: the last connection checkpointed it
    assert synced == []
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE t (x)")
        connection.commit()
        sync_log(path)
    finally:
        connection.close()
    assert synced == [str(tmp_path / "mlflow.db-wal")]
