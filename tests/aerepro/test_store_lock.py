"""aerepro.store_lock: a call on a locked store is retried, then reported in one line; other errors pass at once."""

import threading
import time

import pytest

from aerepro import store_lock
from aerepro.store_lock import PatientClient, StoreLocked, folder_lock, patiently
from aerepro.store import TrackingUnavailable


def test_a_call_failing_on_a_locked_store_is_retried_with_growing_waits_until_it_succeeds(monkeypatch):
    waits, calls = [], []
    monkeypatch.setattr(store_lock.time, "sleep", waits.append)

    def call():
        calls.append(1)
        if len(calls) < 5:
            raise RuntimeError("(sqlite3.OperationalError) database is locked")
        return "done"

    assert patiently(call, "sqlite:///x.db", lock_wait=60) == "done"
    assert len(calls) == 5 and waits == sorted(waits) and waits[-1] > waits[0]


def test_an_error_that_is_not_a_lock_is_not_retried():
    calls = []

    def call():
        calls.append(1)
        raise ValueError("no such table")

    with pytest.raises(ValueError):
        patiently(call, "sqlite:///x.db", lock_wait=60)
    assert len(calls) == 1


def test_a_lock_behind_another_error_is_still_a_lock_and_past_the_wait_one_line_naming_the_store():
    def call():
        try:
            raise RuntimeError("(sqlite3.OperationalError) database table is locked")
        except RuntimeError as exc:
            raise ValueError("MLflow's wrapper") from exc

    with pytest.raises(StoreLocked) as info:
        patiently(call, "sqlite:///x.db", lock_wait=0)
    message = str(info.value)
    assert "\n" not in message and "sqlite:///x.db is locked by another writer" in message
    assert "`dvc repro track`" in message and info.value.__cause__ is None
    assert isinstance(info.value, TrackingUnavailable)  # reported as a user error, without a traceback


def test_a_patient_client_retries_its_calls_and_passes_other_attributes_through(monkeypatch):
    monkeypatch.setattr(store_lock.time, "sleep", lambda seconds: None)

    class Client:
        tracking_uri = "sqlite:///x.db"
        calls = 0

        def get_run(self, run_id, *, view=None):
            Client.calls += 1
            if Client.calls < 3:
                raise RuntimeError("database is locked")
            return run_id, view

    client = PatientClient(Client(), "sqlite:///x.db", lock_wait=60)
    assert client.tracking_uri == "sqlite:///x.db"
    assert client.get_run("abc", view="all") == ("abc", "all") and Client.calls == 3


def test_a_folder_lock_is_held_by_one_holder_at_a_time(tmp_path):
    events = []

    def second():
        with folder_lock(tmp_path):
            events.append("second")

    with folder_lock(tmp_path):
        thread = threading.Thread(target=second)  # flock locks of two descriptors exclude each other
        thread.start()
        time.sleep(0.2)
        events.append("first done")
    thread.join(5)
    assert events == ["first done", "second"]
    with folder_lock(None):  # no folder, no lock
        pass
