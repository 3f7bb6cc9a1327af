"""MLflow tracking of pipeline runs.

Every trained model is one MLflow run, nested under a parent run named
after the DVC experiment (``DVC_EXP_NAME``) or, for a plain ``dvc repro``,
the git revision, in the store :mod:`aerepro.store` names.

A run costs four commits to the store, the fewest MLflow's API allows:
``create_run`` with all its tags, one ``MlflowClient.log_batch`` for all of
its params, metrics and metric history (one commit for the params, one for
the metrics), and ``set_terminated``. Its files (artifacts and the model in
MLflow's sklearn flavour) are written straight into the run's artifact
folder when the artifact store is local, else sent with one
``log_artifacts`` call. ``benchmarks/tracking_cost.py`` measures the cost.

Logging is idempotent: each child run carries its name (``aerepro.run``)
and a digest of what it logs (``aerepro.digest``), and a parent keeps one
complete run per name. Logging the same records again under the same
parent (a ``dvc repro`` after a killed ``track``) adds only the runs that
are missing; a run left half-written (still RUNNING) is deleted and logged
anew, and so is a run whose content changed.

An experiment stores only what it changed: a record whose digest a run of
the experiment already holds (under another parent: an earlier repro or
experiment) is logged as a reference to that run, tagged
``aerepro.stored_in`` = its id, with the same name, tags, params and final
metrics (a history's last point), so the new parent compares side by side
in the UI, but with no artifacts, model or full history of its own (they
are the stored run's). The
digests are read from a SQL store's tables in one query (MLflow's search
takes tens of seconds over ten thousand runs); any other store logs every
run whole. A store locked by another
writer is retried with backoff for ``lock_wait`` seconds, then reported in
one line (:mod:`aerepro.store_lock`); a SQLite store is tuned for many small
commits (:mod:`aerepro.sqlite_store`), and a model's files are written in
MLflow's sklearn flavour by :mod:`aerepro.model_files`.
"""

import contextlib
import hashlib
import json
import logging
import multiprocessing
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from .model_files import pinned_requirements, save_model
from .sqlite_store import sql_engines, sync_at_checkpoints, sync_log, write_ahead_log
from .store import check_tracking, tracking_uri
from .store_lock import PatientClient, folder_lock, patiently

__all__ = [
    "parent_run_name",
    "MLflowRecord",
    "Tracker",
]

#: The tag of a reference run: the id of the run that holds its content (history, artifacts, model).
STORED_IN = "aerepro.stored_in"

#: The experiment's tags: MLflow 3's UI opens an experiment of this kind on its runs table (not the GenAI view).
EXPERIMENT_TAGS = {"mlflow.experimentKind": "custom_model_development"}

#: Environment MLflow reads at import, set (unless the user set it) just before it is first imported.
MLFLOW_QUIET = {"MLFLOW_DISABLE_TELEMETRY": "true", "MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR": "false"}


def parent_run_name(params_file="params.yaml", cwd=None):
    """Name of the parent run: the DVC experiment, else the git revision.

    A revision with uncommitted changes is suffixed with a hash of the
    params file, so two different parameter sets never share a parent.
    """
    name = os.environ.get("DVC_EXP_NAME")
    if name:
        return name
    try:
        rev = subprocess.run(
            ["git", "describe", "--always", "--dirty"], cwd=cwd, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        rev = "no-git"
    if rev.endswith("-dirty") or rev == "no-git":
        digest = hashlib.sha256(Path(cwd or ".", params_file).read_bytes()).hexdigest()[:8]
        rev = f"{rev}-params-{digest}"
    return rev


class MLflowRecord:
    """Everything logged for one trained model.

    Parameters
    ----------
    name : str
        Run name.
    params : dict
        Logged as MLflow params (values as strings).
    metrics : dict of str to float
        Final metrics.
    history : dict of str to (steps, values)
        Metric histories, e.g. the loss by epoch.
    tags : dict
        Extra tags.
    artifacts : dict of str to Path or bytes
        Files to log, by artifact name: a path is copied, bytes are the
        file's content.
    model : estimator or None
        Logged with ``mlflow.sklearn.save_model`` under ``model/``.
    failed : bool
        Mark the run FAILED (e.g. it diverged).
    start_time, end_time : int or None
        When the model trained (ms since the epoch), so that MLflow's
        Duration is its training time; ``None`` is the logging time.
    """

    def __init__(self, name, params, metrics, history=None, tags=None, artifacts=None, model=None, failed=False,
                 start_time=None, end_time=None):
        self.name, self.params, self.metrics = name, params, metrics
        self.history = history or {}
        self.tags = tags or {}
        self.artifacts = artifacts or {}
        self.model, self.failed = model, failed
        self.start_time, self.end_time = start_time, end_time

    def reference(self, run_id):
        """This record as a reference to the stored run ``run_id``: its name, params, tags (with
        :data:`STORED_IN`), final metrics and each history's last point, but no artifacts or model; its digest
        stays this record's."""
        last = {key: (list(steps)[-1:], list(values)[-1:]) for key, (steps, values) in self.history.items()}
        ref = MLflowRecord(self.name, self.params, self.metrics, history=last, tags={**self.tags, STORED_IN: run_id},
                           failed=self.failed, start_time=self.start_time, end_time=self.end_time)
        ref.digest = record_digest(self)
        return ref


def record_digest(record):
    """A digest of what a record logs (name, params, metrics, histories, tags, status), not of when.

    A reference (:meth:`MLflowRecord.reference`) has the digest of the record it stands for.
    """
    if getattr(record, "digest", None):
        return record.digest
    content = {
        "name": record.name,
        "params": {k: str(v) for k, v in record.params.items()},
        "metrics": {k: repr(float(v)) for k, v in record.metrics.items()},
        "history": {k: [[int(s) for s in steps], [repr(float(v)) for v in values]]
                    for k, (steps, values) in record.history.items()},
        "tags": {k: str(v) for k, v in record.tags.items()},
        "artifacts": sorted(record.artifacts), "model": record.model is not None, "failed": bool(record.failed),
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:16]


class Tracker:
    """Log records under one parent run of one MLflow experiment.

    Parameters
    ----------
    experiment : str
        MLflow experiment name (created, with an absolute artifact location
        beside the database, when missing).
    parent : str
        Parent run name; runs with the same parent name are grouped under
        one parent run.
    uri : str, default=None
        Tracking URI; :func:`tracking_uri` when ``None``.
    lock_wait : float, default=30.0
        Seconds to keep retrying while the store is locked by another writer.
    """

    def __init__(self, experiment, parent, uri=None, lock_wait=30.0):
        for key, value in MLFLOW_QUIET.items():
            os.environ.setdefault(key, value)
        import mlflow
        from mlflow import MlflowClient

        # MLflow logs each database error with its traceback before raising
        # it; the error reaches us (a locked store: one line, StoreLocked).
        logging.getLogger("mlflow.store.db.utils").setLevel(logging.CRITICAL)
        self.n_logged = self.n_referenced = 0
        self.uri = check_tracking(uri or tracking_uri())
        mlflow.set_tracking_uri(self.uri)
        path = Path(self.uri[len("sqlite:///") :]) if self.uri.startswith("sqlite:///") else None
        # Two pipelines starting at once (queued experiments) would both
        # create a new store's tables, the experiment or the parent.
        with folder_lock(path.parent if path else None):
            client = MlflowClient(self.uri)
            self.client = PatientClient(client, self.uri, lock_wait)
            self.client.search_experiments(max_results=1)  # a new store's tables are made here, under the lock
            self._path, self._engines = path, sql_engines(client)
            if path:
                patiently(lambda: write_ahead_log(path), self.uri, lock_wait)
                if self._engines:  # in WAL mode only: NORMAL is safe there, not with a rollback journal
                    sync_at_checkpoints(self._engines[0])
            exp = self.client.get_experiment_by_name(experiment)
            if exp is None:
                location = (path.parent / "mlartifacts").as_uri() if path else None
                self.experiment_id = self.client.create_experiment(experiment, artifact_location=location,
                                                                   tags=EXPERIMENT_TAGS)
            else:
                self.experiment_id = exp.experiment_id
                for key, value in EXPERIMENT_TAGS.items():
                    if exp.tags.get(key) != value:
                        self.client.set_experiment_tag(self.experiment_id, key, value)
            self.parent_id = self._parent(parent)

    def _parent(self, name):
        found = self.client.search_runs(
            [self.experiment_id], filter_string=f"tags.`aerepro.parent` = '{name}'", max_results=1
        )
        if found:
            return found[0].info.run_id
        run = self.client.create_run(self.experiment_id, run_name=name, tags={"aerepro.parent": name})
        self.client.set_terminated(run.info.run_id)
        return run.info.run_id

    def attach(self, files):
        """Store files with the parent run: what describes the whole study, not one model.

        ``files`` maps artifact path -> file (or its bytes), e.g. a figure of
        every run's loss curve, which would otherwise be copied into each
        of hundreds of child runs. Attaching again overwrites the same paths.
        """
        if files:
            _store_files(self.client, self.client.get_run(self.parent_id), lambda folder: _copy_artifacts(files, folder))

    def describe(self, tags=None, metrics=None, datasets=None):
        """Set what describes the whole parent: its tags (lineage), summary metrics and dataset inputs.

        Tags and metrics take their latest values; a dataset already among
        the parent's inputs (same name and digest) is not added again.
        """
        from mlflow.entities import Metric, RunTag

        run_id = self.parent_id
        if tags:
            self.client.log_batch(run_id, tags=[RunTag(k, str(v)) for k, v in tags.items()])
        if metrics:
            now = int(time.time() * 1000)  # the latest value wins where a parent is described again
            items = [Metric(k, float(v), now, 0) for k, v in metrics.items()]
            for start in range(0, len(items), MAX_METRICS_PER_BATCH):
                self.client.log_batch(run_id, metrics=items[start:start + MAX_METRICS_PER_BATCH])
        if datasets:
            have = {(d.dataset.name, d.dataset.digest) for d in self.client.get_run(run_id).inputs.dataset_inputs}
            new = [d for d in datasets if (d.dataset.name, d.dataset.digest) not in have]
            if new:
                self.client.log_inputs(run_id, datasets=new)

    def logged(self):
        """The parent's complete child runs, name -> (run id, digest); half-written ones are deleted.

        A run still RUNNING (its logger was killed), marked incomplete, or a
        second complete run of the same name is deleted (MLflow's
        ``deleted`` lifecycle stage), so a parent keeps one run per name.
        """
        from mlflow.entities import RunStatus

        found, stale, token = {}, [], None
        while True:
            page = self.client.search_runs([self.experiment_id], f"tags.`mlflow.parentRunId` = '{self.parent_id}'",
                                           max_results=1000, order_by=["attributes.start_time ASC"], page_token=token)
            for run in page:
                tags = run.data.tags
                name = tags.get("aerepro.run")
                if (run.info.status == RunStatus.to_string(RunStatus.RUNNING) or "aerepro.incomplete" in tags
                        or name is None or name in found):
                    stale.append(run.info.run_id)
                else:
                    found[name] = (run.info.run_id, tags.get("aerepro.digest"))
            token = page.token
            if not token:
                break
        for run_id in stale:  # after the search, so that no page shifts under it
            self.client.delete_run(run_id)
        return found

    def stored(self):
        """Digest -> id of a complete run of the experiment that holds its own files (not a reference).

        Read from a SQL store's tables in one query; empty for any other
        store (every run is then logged whole).
        """
        if not self._engines:
            return {}
        from sqlalchemy import text

        query = text(
            "SELECT d.value, d.run_uuid FROM tags d JOIN runs r ON r.run_uuid = d.run_uuid "
            "WHERE d.key = 'aerepro.digest' AND r.experiment_id = :experiment AND r.lifecycle_stage = 'active' "
            "AND r.status IN ('FINISHED', 'FAILED') AND NOT EXISTS (SELECT 1 FROM tags t WHERE "
            "t.run_uuid = d.run_uuid AND t.key IN (:stored_in, 'aerepro.incomplete')) ORDER BY r.start_time")
        with self._engines[0].connect() as connection:
            rows = connection.execute(query, {"experiment": self.experiment_id, "stored_in": STORED_IN})
            return {digest: run_id for digest, run_id in rows}

    def log(self, records, n_jobs=1):
        """Log the records not yet under the parent as its child runs; returns every record's run id, in order.

        A record already logged whole under the parent with the same content
        is kept, not logged again; one whose content changed replaces the old
        run; one whose content a run of the experiment already holds is
        logged as a reference to it (:meth:`MLflowRecord.reference`).
        ``n_jobs`` > 1 logs contiguous slices of the remaining records in
        that many forked processes (where ``fork`` exists; else one after
        the other). :attr:`n_logged` is how many were logged by this call,
        :attr:`n_referenced` how many of them as references.
        """
        done = self.logged()
        ids = {r.name: done[r.name][0] for r in records if r.name in done and done[r.name][1] == record_digest(r)}
        for name in {r.name for r in records if r.name in done} - set(ids):
            self.client.delete_run(done[name][0])
        todo = [r for r in records if r.name not in ids]
        stored = self.stored() if todo else {}
        todo = [r.reference(stored[record_digest(r)]) if record_digest(r) in stored else r for r in todo]
        self.n_referenced = sum(STORED_IN in r.tags for r in todo)
        if n_jobs > 1 and len(todo) > 1 and "fork" in multiprocessing.get_all_start_methods():
            new = _log_forked(self.client, self._engines, self.experiment_id, self.parent_id, todo, n_jobs)
        else:
            new = _log_records(self.client, self.experiment_id, self.parent_id, todo)
        ids.update(zip([r.name for r in todo], new))
        self.n_logged = len(todo)
        if self._path is not None and todo:
            sync_log(self._path)
        return [ids[r.name] for r in records]


#: MLflow's limits per ``log_batch`` call.
MAX_PARAMS_PER_BATCH, MAX_METRICS_PER_BATCH = 100, 1000


def _run_tags(parent_id, record):
    """All of a run's tags, given at ``create_run``: the parent, the record's tags, its name."""
    return {"mlflow.parentRunId": parent_id, **{k: str(v) for k, v in record.tags.items()},
            "aerepro.run": record.name, "aerepro.digest": record_digest(record)}


def _batches(record):
    """The record's params and metrics (final values, then histories) as ``log_batch`` keyword sets.

    Parameters
    ----------
    record : MLflowRecord

    Returns
    -------
    batches : list of dict
        ``{"params": [...], "metrics": [...]}`` within MLflow's limits per
        call; as few calls as the limits allow, none for an empty record.
    """
    from mlflow.entities import Metric, Param

    metrics = [Metric(k, float(v), 0, 0) for k, v in record.metrics.items()]
    for key, (steps, values) in record.history.items():
        metrics += [Metric(key, float(v), 0, int(s)) for s, v in zip(steps, values)]
    params = [Param(k, str(v)) for k, v in record.params.items()]
    n_calls = max(-(-len(params) // MAX_PARAMS_PER_BATCH), -(-len(metrics) // MAX_METRICS_PER_BATCH))
    return [{"params": params[k * MAX_PARAMS_PER_BATCH : (k + 1) * MAX_PARAMS_PER_BATCH],
             "metrics": metrics[k * MAX_METRICS_PER_BATCH : (k + 1) * MAX_METRICS_PER_BATCH]}
            for k in range(n_calls)]


def _local_folder(artifact_uri):
    """The folder behind a ``file:`` (or plain absolute path) artifact URI, else ``None``."""
    from urllib.parse import urlparse
    from urllib.request import url2pathname

    parsed = urlparse(artifact_uri)
    if parsed.scheme == "file" and parsed.netloc in ("", "localhost"):
        return Path(url2pathname(parsed.path))
    if parsed.scheme == "" and Path(artifact_uri).is_absolute():
        return Path(artifact_uri)
    return None


def _copy_artifacts(artifacts, folder):
    """Copy artifact files (or write their bytes) into ``folder``; ``artifacts`` maps artifact path -> source.

    An artifact path may name a subfolder (``loss/16-5-16.png``).
    """
    folder.mkdir(parents=True, exist_ok=True)
    for name, source in artifacts.items():
        target = folder / name
        if target.parent != folder:
            target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(source, bytes):
            target.write_bytes(source)
        else:
            shutil.copyfile(source, target)


def _write_files(record, folder, pip_requirements):
    """Write the record's artifacts and its model (under ``model/``) into ``folder``."""
    _copy_artifacts(record.artifacts, folder)
    if record.model is not None:
        save_model(record.model, folder / "model", pip_requirements)


def _store_files(client, run, write):
    """Store with ``run`` the files ``write(folder)`` writes into a folder.

    A local artifact store (the default: a folder beside the SQLite file) is
    written in place, which is what ``log_artifacts`` would do after a copy
    into a temporary folder; any other store gets one ``log_artifacts`` call.
    """
    folder = _local_folder(run.info.artifact_uri)
    if folder is not None:
        write(folder)
        return
    with tempfile.TemporaryDirectory() as tmp:
        write(Path(tmp))
        client.log_artifacts(run.info.run_id, tmp)


def _log_files(client, run, record, pip_requirements):
    """Store the record's artifacts and model with the run (:func:`_store_files`)."""
    _store_files(client, run, lambda folder: _write_files(record, folder, pip_requirements))


def _log_record(client, experiment_id, parent_id, record, pip_requirements):
    """Log one record as a child run; return its run id.

    Four commits to the store, the fewest MLflow's API allows: ``create_run``
    with every tag, one ``log_batch`` (one commit for the params, one for the
    metrics; more calls only past MLflow's limits) and ``set_terminated``;
    the files go straight into a local artifact folder. A run whose logging
    fails is ended FAILED before the error propagates.
    """
    run = client.create_run(experiment_id, run_name=record.name, tags=_run_tags(parent_id, record),
                            start_time=record.start_time)
    run_id = run.info.run_id
    try:
        for batch in _batches(record):
            client.log_batch(run_id, **batch)
        if record.artifacts or record.model is not None:
            _log_files(client, run, record, pip_requirements)
    except BaseException:
        with contextlib.suppress(Exception):  # the store may be what failed; keep the first error
            client.set_tag(run_id, "aerepro.incomplete", "true")
            client.set_terminated(run_id, status="FAILED")
        raise
    client.set_terminated(run_id, status="FAILED" if record.failed else "FINISHED", end_time=record.end_time)
    return run_id


def _log_records(client, experiment_id, parent_id, records, pip_requirements=None):
    """Log records as child runs of ``parent_id``, one after the other; return their run ids.

    The models' requirements are ``pip_requirements``, by default this
    process's versions (:func:`aerepro.model_files.pinned_requirements`).

    One after the other on purpose: SQLite takes one writer at a time and
    the rest is CPU-bound Python, so writing the files in a thread beside
    the database calls measured no faster (``benchmarks/tracking_cost.py``).
    """
    import logging

    # The models are saved as pickles on purpose (our own class, our own
    # store); MLflow's advice to prefer skops is noise here.
    logging.getLogger("mlflow.sklearn").setLevel(logging.ERROR)
    pip_requirements = pinned_requirements() if pip_requirements is None else pip_requirements
    return [_log_record(client, experiment_id, parent_id, r, pip_requirements) for r in records]


#: What forked logging processes inherit: (client, engines, experiment id, parent id, records).
_INHERITED = None


def _log_slice(bounds):
    client, engines, experiment_id, parent_id, records = _INHERITED
    for engine in engines:
        engine.dispose(close=False)  # never touch a connection of the parent's (its pools are empty anyway)
    return _log_records(client, experiment_id, parent_id, records[bounds[0] : bounds[1]])


def _log_forked(client, engines, experiment_id, parent_id, records, n_jobs):
    """Log contiguous slices of ``records`` in ``n_jobs`` forked processes; run ids in order.

    Most of a run's logging is MLflow's own Python (SQLAlchemy), so two
    processes log nearly twice as fast on two cores; SQLite serializes only
    the commits. The records reach the workers by ``fork``, not by pickling.
    The store's connection pools (``engines``, if any) are emptied first,
    so that no database connection crosses the fork (SQLite forbids using
    one in two processes); each worker opens its own.
    """
    global _INHERITED
    n_jobs = min(n_jobs, len(records))
    edges = [round(k * len(records) / n_jobs) for k in range(n_jobs + 1)]
    for engine in engines:
        engine.dispose()
    _INHERITED = (client, engines, experiment_id, parent_id, records)
    try:
        with multiprocessing.get_context("fork").Pool(n_jobs) as pool:
            parts = pool.map(_log_slice, list(zip(edges[:-1], edges[1:])), chunksize=1)
    finally:
        _INHERITED = None
    return [run_id for part in parts for run_id in part]
