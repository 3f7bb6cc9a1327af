"""aerepro.tracking: what one logged record holds in MLflow, through the real store (SQLite in a temp folder)."""

import warnings
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from ae import AutoEncoder
from aerepro import sqlite_store, tracking
from aerepro.store_lock import StoreLocked
from aerepro.tracking import MAX_METRICS_PER_BATCH, MAX_PARAMS_PER_BATCH, MLflowRecord, Tracker

X = np.eye(6)

#: A folder whose ``sitecustomize`` kills a logger after ``$AEREPRO_TRACK_KILL_AFTER`` runs (its docstring says how).
KILL_HOOK = Path(__file__).resolve().parents[1] / "kill_hook"


@pytest.fixture(scope="module")
def tracker(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mlflow")
    return Tracker("test", "test-parent", uri=f"sqlite:///{folder / 'mlflow.db'}")


@pytest.fixture(scope="module")
def model():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return AutoEncoder(hidden_layer_sizes=(3,), max_iter=20, random_state=0).fit(X)


def make_record(name, model, folder, n_history=10, failed=False, **extra_params):
    codes = folder / f"{name}_codes.csv"
    codes.write_text("unit0\n0.5\n")
    steps = np.arange(1, n_history + 1)
    return MLflowRecord(
        name,
        params={**model.get_params(), "protocol": "jitter", **extra_params},
        metrics={"final_loss": model.loss_curve_[-1], "epochs": model.n_iter_},
        history={"loss": (steps, 1.0 / steps)},
        tags={"protocol": "jitter", "init_value": 0.5},
        artifacts={"hidden_codes.csv": codes},
        model=model,
        failed=failed,
    )


def test_a_record_is_one_child_run_with_everything(tracker, model, tmp_path):
    import mlflow.sklearn

    record = make_record("one", model, tmp_path)
    (run_id,) = tracker.log([record])
    run = tracker.client.get_run(run_id)
    assert run.info.run_name == "one" and run.info.status == "FINISHED"
    assert run.data.tags["mlflow.parentRunId"] == tracker.parent_id
    assert run.data.tags["aerepro.run"] == "one"
    assert run.data.tags["init_value"] == str(record.tags["init_value"])
    assert run.data.params == {k: str(v) for k, v in record.params.items()}
    assert run.data.metrics["final_loss"] == pytest.approx(record.metrics["final_loss"])
    history = tracker.client.get_metric_history(run_id, "loss")
    steps, values = record.history["loss"]
    assert [m.step for m in history] == list(steps)
    np.testing.assert_allclose([m.value for m in history], values)
    assert {"hidden_codes.csv", "model"} <= {f.path for f in tracker.client.list_artifacts(run_id)}
    mlflow.set_tracking_uri(tracker.uri)
    loaded = mlflow.sklearn.load_model(f"runs:/{run_id}/model")
    np.testing.assert_array_equal(loaded.transform(X), model.transform(X))
    with warnings.catch_warnings():  # refitted in a Pipeline: deterministic, the same fit again
        warnings.simplefilter("ignore", ConvergenceWarning)
        pipeline = make_pipeline(FunctionTransformer(), loaded).fit(X)
    np.testing.assert_array_equal(pipeline.transform(X), model.transform(X))


def test_runs_come_back_in_order_and_a_failed_record_ends_failed(tracker, model, tmp_path):
    records = [make_record("a", model, tmp_path), make_record("b", model, tmp_path, failed=True)]
    ids = tracker.log(records)
    runs = [tracker.client.get_run(i) for i in ids]
    assert [r.info.run_name for r in runs] == ["a", "b"]
    assert [r.info.status for r in runs] == ["FINISHED", "FAILED"]


@pytest.mark.parametrize("n_params, n_history", [(0, 0), (10, 5), (MAX_PARAMS_PER_BATCH + 1, MAX_METRICS_PER_BATCH),
                                                 (2 * MAX_PARAMS_PER_BATCH + 3, 2 * MAX_METRICS_PER_BATCH + 7)])
def test_batches_keep_every_item_within_the_limits(n_params, n_history):
    steps = np.arange(n_history)
    record = MLflowRecord("r", params={f"p{k}": k for k in range(n_params)}, metrics={"m": 1.0} if n_history else {},
                          history={"loss": (steps, steps * 0.5)} if n_history else {})
    batches = tracking._batches(record)
    assert all(len(b["params"]) <= MAX_PARAMS_PER_BATCH and len(b["metrics"]) <= MAX_METRICS_PER_BATCH for b in batches)
    assert [p.key for b in batches for p in b["params"]] == list(record.params)
    assert len([m for b in batches for m in b["metrics"]]) == len(record.metrics) + n_history
    expected_calls = max(-(-n_params // MAX_PARAMS_PER_BATCH), -(-(len(record.metrics) + n_history) // MAX_METRICS_PER_BATCH))
    assert len(batches) == expected_calls


def test_a_record_past_the_batch_limits_is_logged_whole(tracker, model, tmp_path):
    extra = {f"extra{k}": k for k in range(MAX_PARAMS_PER_BATCH)}
    record = make_record("big", model, tmp_path, n_history=MAX_METRICS_PER_BATCH + 5, **extra)
    (run_id,) = tracker.log([record])
    run = tracker.client.get_run(run_id)
    assert len(run.data.params) == len(record.params)
    assert len(tracker.client.get_metric_history(run_id, "loss")) == MAX_METRICS_PER_BATCH + 5


def test_a_run_whose_logging_fails_ends_failed(tracker, model, tmp_path):
    record = make_record("broken", model, tmp_path)
    record.artifacts["missing.csv"] = tmp_path / "does-not-exist.csv"
    with pytest.raises(FileNotFoundError):
        tracker.log([record])
    (run,) = tracker.client.search_runs([tracker.experiment_id], "attributes.run_name = 'broken'")
    assert run.info.status == "FAILED"


def test_a_remote_artifact_store_gets_the_same_files(tracker, model, tmp_path, monkeypatch):
    monkeypatch.setattr(tracking, "_local_folder", lambda uri: None)  # as for an http(s) server
    (run_id,) = tracker.log([make_record("remote", model, tmp_path)])
    assert {"hidden_codes.csv", "model"} <= {f.path for f in tracker.client.list_artifacts(run_id)}


@pytest.mark.parametrize("local", [True, False])
def test_attached_files_are_the_parents_and_attaching_again_overwrites_them(tmp_path, monkeypatch, local):
    if not local:
        monkeypatch.setattr(tracking, "_local_folder", lambda uri: None)  # as for an http(s) server
    tracker = Tracker("test", "with-figures", uri=f"sqlite:///{tmp_path / 'mlflow.db'}")
    figure = tmp_path / "curves.png"
    figure.write_bytes(b"first")
    tracker.attach({"loss/8-3-8.png": figure, "table.csv": b"a,b\n1,2\n"})
    figure.write_bytes(b"second")
    tracker.attach({"loss/8-3-8.png": figure})
    tracker.attach({})
    client = tracker.client
    assert {a.path for a in client.list_artifacts(tracker.parent_id)} == {"loss", "table.csv"}
    down = tmp_path / "down"
    assert Path(client.download_artifacts(tracker.parent_id, "loss/8-3-8.png", str(down))).read_bytes() == b"second"
    assert Path(client.download_artifacts(tracker.parent_id, "table.csv", str(down))).read_bytes() == b"a,b\n1,2\n"


@pytest.mark.parametrize("uri, local", [
    ("file:///srv/mlartifacts/1/abc/artifacts", "/srv/mlartifacts/1/abc/artifacts"),
    ("file:///srv/with%20space/artifacts", "/srv/with space/artifacts"),
    ("/srv/mlruns/1/abc/artifacts", "/srv/mlruns/1/abc/artifacts"),
    ("mlflow-artifacts:/1/abc/artifacts", None),
    ("s3://bucket/1/abc/artifacts", None),
    ("mlruns/1/abc/artifacts", None),
])
def test_local_folder_only_for_local_artifact_uris(uri, local):
    found = tracking._local_folder(uri)
    assert (None if found is None else found.as_posix()) == local


def test_forked_logging_gives_every_record_one_run_in_order(model, tmp_path):
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    records = [make_record(f"run{k}", model, tmp_path) for k in range(5)]
    tracker = Tracker("forked", "parent", uri=uri)
    ids = tracker.log(records, n_jobs=2)
    assert len(set(ids)) == 5
    names = [tracker.client.get_run(i).data.tags["aerepro.run"] for i in ids]
    assert names == [f"run{k}" for k in range(5)]
    assert all(tracker.client.get_run(i).data.tags["mlflow.parentRunId"] == tracker.parent_id for i in ids)


def test_connections_sync_at_checkpoints_only_once_the_new_store_is_in_write_ahead_log_mode(tmp_path, monkeypatch):
    # synchronous=NORMAL is safe with a write-ahead log, not with a rollback journal.
    modes, original = [], sqlite_store.normal_sync

    def spy(connection, record):
        modes.append(connection.execute("PRAGMA journal_mode").fetchone()[0])
        original(connection, record)

    monkeypatch.setattr(sqlite_store, "normal_sync", spy)
    Tracker("order", "parent", uri=f"sqlite:///{tmp_path / 'mlflow.db'}").log(plain_records(2))
    assert modes and set(modes) == {"wal"}


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_log_ends_by_syncing_the_write_ahead_log_to_disk(tmp_path, monkeypatch, n_jobs):
    # Commits reach the disk at checkpoints only, which a reader on an old
    # snapshot can hold back; log() syncs the log itself at the end.
    import os

    synced, fsync = [], os.fsync

    def spy(fd):
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        fsync(fd)

    tracker = Tracker("durable", "parent", uri=f"sqlite:///{tmp_path / 'mlflow.db'}")
    monkeypatch.setattr(sqlite_store.os, "fsync", spy)
    tracker.log(plain_records(4), n_jobs=n_jobs)
    assert synced == [str(tmp_path / "mlflow.db-wal")]


# -- idempotent logging, a killed logger, a locked store, training durations ----------------


def plain_records(n, value=0.0):
    return [MLflowRecord(f"run{k}", params={"k": k}, metrics={"m": float(k) + value},
                         history={"loss": ([1, 2], [1.0, 0.5])}) for k in range(n)]


def active_children(tracker):
    runs = tracker.client.search_runs([tracker.experiment_id], f"tags.`mlflow.parentRunId` = '{tracker.parent_id}'")
    return sorted(r.data.tags["aerepro.run"] for r in runs), runs


def test_logging_the_same_records_again_adds_only_the_missing_ones(tmp_path):
    tracker = Tracker("again", "parent", uri=f"sqlite:///{tmp_path / 'mlflow.db'}")
    first = tracker.log(plain_records(2))
    assert tracker.n_logged == 2
    again = Tracker("again", "parent", uri=tracker.uri)
    ids = again.log(plain_records(3))
    assert again.n_logged == 1 and ids[:2] == first
    assert active_children(again)[0] == ["run0", "run1", "run2"]


def test_a_record_whose_content_changed_replaces_its_old_run(tmp_path):
    tracker = Tracker("changed", "parent", uri=f"sqlite:///{tmp_path / 'mlflow.db'}")
    old = tracker.log(plain_records(2))
    new = tracker.log(plain_records(2, value=0.5))
    assert tracker.n_logged == 2 and not set(old) & set(new)
    names, runs = active_children(tracker)
    assert names == ["run0", "run1"] and sorted(r.data.metrics["m"] for r in runs) == [0.5, 1.5]


def test_a_new_parent_references_the_runs_whose_content_is_stored_and_stores_only_what_changed(tmp_path, model):
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    first = Tracker("dedupe", "repro", uri=uri)
    old = first.log([make_record("same", model, tmp_path), make_record("moved", model, tmp_path)])
    second = Tracker("dedupe", "experiment", uri=uri)
    same, moved = second.log([make_record("same", model, tmp_path), make_record("moved", model, tmp_path, lr=2)])
    assert (second.n_logged, second.n_referenced) == (2, 1)
    client = second.client
    ref, new = client.get_run(same), client.get_run(moved)
    assert ref.data.tags["aerepro.stored_in"] == old[0] and ref.data.tags["mlflow.parentRunId"] == second.parent_id
    assert ref.data.tags["aerepro.digest"] == client.get_run(old[0]).data.tags["aerepro.digest"]
    assert ref.data.params == client.get_run(old[0]).data.params  # comparable side by side in the UI
    assert ref.data.metrics == client.get_run(old[0]).data.metrics
    assert client.list_artifacts(same) == [] and len(client.get_metric_history(same, "loss")) == 1  # its last point
    assert "aerepro.stored_in" not in new.data.tags and client.list_artifacts(moved)
    # a reference is never what a third parent points to: it points to the run holding the files
    third = Tracker("dedupe", "another", uri=uri)
    (again,) = third.log([make_record("same", model, tmp_path)])
    assert client.get_run(again).data.tags["aerepro.stored_in"] == old[0]
    # logging the second parent again keeps its reference as it is
    assert Tracker("dedupe", "experiment", uri=uri).log([make_record("same", model, tmp_path)]) == [same]


def test_a_store_without_sql_tables_logs_every_run_whole(tmp_path, model, monkeypatch):
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    Tracker("whole", "repro", uri=uri).log([make_record("same", model, tmp_path)])
    other = Tracker("whole", "experiment", uri=uri)
    monkeypatch.setattr(other, "_engines", [])  # as a tracking server's client has no engine to query
    assert other.stored() == {}
    (run_id,) = other.log([make_record("same", model, tmp_path)])
    assert other.n_referenced == 0 and other.client.list_artifacts(run_id)


KILLED_LOGGER = """
import sys
from aerepro.tracking import MLflowRecord, Tracker
records = [MLflowRecord(f"run{k}", params={"k": k}, metrics={"m": float(k)}, history={"loss": ([1, 2], [1.0, 0.5])})
           for k in range(int(sys.argv[2]))]
Tracker("killed", "parent", uri=sys.argv[1]).log(records, n_jobs=int(sys.argv[3]))
"""


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_a_logger_killed_after_n_runs_is_completed_by_the_rerun_without_duplicates(tmp_path, n_jobs):
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    from mlflow.entities import ViewType

    root = Path(__file__).resolve().parents[2]
    uri, n, kill_after = f"sqlite:///{tmp_path / 'mlflow.db'}", 8, 2
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), str(KILL_HOOK)]),
           "AEREPRO_TRACK_KILL_AFTER": str(kill_after)}
    cmd = [sys.executable, "-c", KILLED_LOGGER, uri, str(n), str(n_jobs)]
    killed = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, start_new_session=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    tracker = Tracker("killed", "parent", uri=uri)
    runs = tracker.client.search_runs([tracker.experiment_id], "", run_view_type=ViewType.ALL)
    status = Counter(r.info.status for r in runs if r.info.run_id != tracker.parent_id)
    assert kill_after <= status["FINISHED"] < n and 1 <= status["RUNNING"] <= n_jobs  # half-written, as a kill leaves it
    env.pop("AEREPRO_TRACK_KILL_AFTER")
    again = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    names, children = active_children(tracker)
    assert names == sorted(f"run{k}" for k in range(n))  # every run once
    assert {r.info.status for r in children} == {"FINISHED"}
    ids = {r.info.run_id for r in children}
    runs = tracker.client.search_runs([tracker.experiment_id], "", run_view_type=ViewType.ALL)
    assert all(r.info.lifecycle_stage == "deleted" for r in runs if r.info.run_id not in ids | {tracker.parent_id})


def hold_write_lock(path):
    """A second connection holding the store's write lock (as another writer mid-transaction)."""
    import sqlite3

    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    connection.execute("BEGIN IMMEDIATE")
    return connection


def test_a_store_locked_past_the_wait_is_one_line_naming_it_and_what_to_run(tmp_path):
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    tracker = Tracker("locked", "parent", uri=uri)
    connection = hold_write_lock(tmp_path / "mlflow.db")
    try:
        with pytest.raises(StoreLocked) as info:
            Tracker("locked", "parent", uri=uri, lock_wait=0).log(plain_records(1))
    finally:
        connection.rollback()
        connection.close()
    message = str(info.value)
    assert "\n" not in message and uri in message and "locked by another writer" in message
    assert "`dvc repro track`" in message
    assert active_children(tracker)[0] == []


def test_a_run_spans_the_training_time_it_was_given(tracker):
    record = MLflowRecord("timed", {}, {"final_loss": 0.5}, start_time=1_700_000_000_000,
                          end_time=1_700_000_012_500)
    (run_id,) = tracker.log([record])
    info = tracker.client.get_run(run_id).info
    assert (info.start_time, info.end_time) == (record.start_time, record.end_time)


def test_an_artifact_given_as_bytes_is_written_as_that_file(tmp_path, model):
    tracker = Tracker("bytes", "parent", uri=f"sqlite:///{tmp_path / 'mlflow.db'}")
    record = make_record("bytes", model, tmp_path)
    record.artifacts["note.csv"] = b"a,b\n1,2\n"
    (run_id,) = tracker.log([record])
    path = tracker.client.download_artifacts(run_id, "note.csv", str(tmp_path))
    assert Path(path).read_bytes() == b"a,b\n1,2\n"


def test_a_parent_is_described_once_per_dataset_and_its_experiment_opens_on_runs(tmp_path):
    from aerepro.lineage import dataset_inputs

    data = tmp_path / "onehot.csv"
    data.write_text("x0,x1\n1,0\n0,1\n")
    tracker = Tracker("described", "p", uri=f"sqlite:///{tmp_path / 'mlflow.db'}")
    for loss in (0.5, 0.25):
        tracker.describe(tags={"mlflow.source.git.commit": "a" * 40}, metrics={"median_final_loss/x": loss},
                         datasets=dataset_inputs([data]))
    run = tracker.client.get_run(tracker.parent_id)
    assert run.data.tags["mlflow.source.git.commit"] == "a" * 40
    assert run.data.metrics["median_final_loss/x"] == 0.25  # the latest value
    assert [d.dataset.name for d in run.inputs.dataset_inputs] == ["onehot"]
    experiment = tracker.client.get_experiment(tracker.experiment_id)
    assert experiment.tags["mlflow.experimentKind"] == "custom_model_development"


def test_an_existing_experiment_gets_the_kind_that_opens_its_runs_table(tmp_path):
    from mlflow import MlflowClient

    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    Tracker("old", "p", uri=uri)
    client = MlflowClient(uri)
    experiment_id = client.get_experiment_by_name("old").experiment_id
    client.set_experiment_tag(experiment_id, "mlflow.experimentKind", "genai_development")
    Tracker("old", "p", uri=uri)
    assert client.get_experiment(experiment_id).tags["mlflow.experimentKind"] == "custom_model_development"
