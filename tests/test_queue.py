"""End to end: experiments queued with `dvc exp run --queue` and run two at a time log into one store.

DVC runs each queued experiment in a temporary copy of the repository;
both pipelines train and log at once into the SQLite store at the
repository root. Every experiment's parent must hold its whole snapshot,
once, and the store must stay sound.
"""

import os
import re
import sqlite3
import sys
import time
from collections import Counter

import importlib.util
import subprocess
from pathlib import Path

import pytest

#: End to end: runs the real stages (`python -m pytest -m 'not slow'` leaves them out while developing).
pytestmark = pytest.mark.slow

# The small project copy of the end-to-end test (tests are not a package).
_spec = importlib.util.spec_from_file_location("test_pipeline", Path(__file__).with_name("test_pipeline.py"))
_pipeline = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_pipeline)
make_repo, run, small_params = _pipeline.make_repo, _pipeline.run, _pipeline.small_params

#: A folder whose ``sitecustomize`` kills a logger after ``$AEREPRO_TRACK_KILL_AFTER`` runs (its docstring says how).
KILL_HOOK = Path(__file__).resolve().parent / "kill_hook"

EXPERIMENTS = {"inits-a": "[1.0]", "inits-b": "[0.5]", "inits-c": "[1.0,0.5]"}


def tiny_params():
    """The e2e test's small study, smaller still: one configuration, short fits."""
    params = small_params()
    study = params["study"]
    study["configurations"] = {"8-3-8": {"hidden_layer_sizes": [3], "protocols": {"budget": {"max_iter": 200}}}}
    params["loss"]["budgets"] = {"8-3-8": 200}
    for protocol in study["protocols"].values():
        protocol["max_iter"] = 200
    params["symmetry"]["perturbation"]["max_iter"] = 50
    params["symmetry"]["stop_rules"]["estimator"]["max_iter"] = 50
    params["symmetry"]["kernels"]["max_iter"] = 50
    params["family"]["estimator"]["max_iter"] = 20
    params["family"]["checks"]["gd_long"]["estimator"]["max_iter"] = 20
    params["paper"]["estimator"]["max_iter"] = 20
    return params


def children_by_parent(db):
    """Parent name -> the child runs (run name, start ms, end ms, status, the parent's start ms), from the store's tables."""
    with sqlite3.connect(db) as connection:
        parents = dict(connection.execute(
            "SELECT run_uuid, value FROM tags WHERE key = 'aerepro.parent'").fetchall())
        rows = connection.execute(
            "SELECT t.value, r.name, r.start_time, r.end_time, r.status, p.start_time FROM runs r "
            "JOIN tags t ON t.run_uuid = r.run_uuid AND t.key = 'mlflow.parentRunId' "
            "JOIN runs p ON p.run_uuid = t.value "
            "WHERE r.lifecycle_stage = 'active'").fetchall()
    found = {}
    for parent, *child in rows:
        found.setdefault(parents[parent], []).append(tuple(child))
    return found


@pytest.fixture(scope="module")
def queued(tmp_path_factory):
    repo, env = make_repo(tmp_path_factory.mktemp("queue"), tiny_params())
    dvc = [sys.executable, "-m", "dvc"]
    for name, inits in EXPERIMENTS.items():
        # up to `track` (every training stage and the logging; not the pages)
        run([*dvc, "exp", "run", "--queue", "-n", name, "-S", f"study.inits={inits}", "track"], repo, env)
    # the workers outlive `queue start`: no pipe of ours may stay open in them
    subprocess.run([*dvc, "queue", "start", "-j", "2"], cwd=repo, env=env, check=True, timeout=60,
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_queue(repo, env)
    return repo, env


def wait_for_queue(repo, env, limit=600):
    """Poll `dvc queue status` until no task is queued or running (``limit`` seconds at most); the status text."""
    deadline = time.monotonic() + limit
    while True:
        status = run([sys.executable, "-m", "dvc", "queue", "status"], repo, env).stdout
        if not re.search(r"\b(Queued|Running)\b", status) or time.monotonic() > deadline:
            return status
        time.sleep(2)


def expected_runs(params):
    """Parent name suffix -> how many child runs one experiment logs with ``params``."""
    from aerepro.anomaly.grid import anomaly_runs
    from aerepro.blog.grid import expand_study
    from aerepro.loss.grid import expand_loss
    from aerepro.paper.grid import expand_batches, expand_equal_updates, expand_leave_one_out, expand_paper
    from aerepro.symmetry.grid import expand_symmetry

    study, paper, anomaly = params["study"], params["paper"], params["anomaly"]
    # the grid, its seeds and controls, as the training stages expand it; a sensitivity arm's reruns are a table
    blog = sum("~" not in run.coords["protocol"] for run in expand_study(study))
    patterns = [f"p{i}" for i in range(2 ** params["data"]["patterns"]["n_bits"])]
    papers = (len(expand_paper(paper)) + len(expand_batches(paper)) + len(expand_equal_updates(paper, len(patterns)))
              + len(expand_leave_one_out(paper, patterns)))
    detectors = sum(len(anomaly_runs(anomaly, c)) for c in anomaly["normal_classes"])
    symmetry = len(expand_symmetry(params["symmetry"], study))
    loss = len(expand_loss(params["loss"], study))
    return {"": blog + papers + detectors + symmetry + loss}


def experiment_params(inits):
    params = tiny_params()
    params["study"]["inits"] = [float(x) for x in inits.strip("[]").split(",")]
    return params


def test_every_queued_experiment_logs_its_whole_snapshot_once(queued):
    repo, env = queued
    status = run([sys.executable, "-m", "dvc", "queue", "status"], repo, env).stdout
    assert all(re.search(rf"{name}\s+.*Success", status) for name in EXPERIMENTS), status
    found = children_by_parent(repo / "mlflow.db")
    family = {len(found[f"{name}/family"]) for name in EXPERIMENTS}
    assert len(family) == 1 and family.pop() > 0  # the same family study in each
    for name, inits in EXPERIMENTS.items():
        children = found[name]
        names = Counter(child[0] for child in children)
        assert len(children) == expected_runs(experiment_params(inits))[""], name
        assert max(names.values()) == 1, f"{name}: duplicated runs {[n for n, c in names.items() if c > 1]}"
        assert {child[3] for child in children} <= {"FINISHED", "FAILED"}
    assert set(found) == {*EXPERIMENTS, *(f"{name}/family" for name in EXPERIMENTS)}  # nothing else, counts add up
    with sqlite3.connect(repo / "mlflow.db") as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        (total,) = connection.execute("SELECT COUNT(*) FROM runs").fetchone()
    assert total == sum(len(v) for v in found.values()) + len(found)  # every run is a parent or one of its children


def test_a_runs_mlflow_duration_is_its_training_time(queued):
    repo, _ = queued
    # each experiment's clocks (clocks/<stage>.csv in its temporary copy) set its models' runs' times: they
    # ended when the models were saved, before `track` made the parent, and lasted their training. A stage
    # DVC restored from its run cache trained nothing here and has no clock: its runs are logged at logging time.
    models = [child for name, children in children_by_parent(repo / "mlflow.db").items() if not name.endswith("/family")
              for child in children]
    assert len(models) == sum(expected_runs(experiment_params(i))[""] for i in EXPERIMENTS.values())
    for name, start, end, _, parent_start in models:
        assert start <= end and (end <= parent_start or start >= parent_start), name
    blog = [child for child in models if child[0].startswith("8-3-8/")]  # new inits: trained in every experiment
    assert blog and all(end <= parent_start for _, _, end, _, parent_start in blog)


def test_a_track_killed_mid_way_is_completed_by_the_next_repro_without_duplicates(queued):
    repo, env = queued
    dvc = [sys.executable, "-m", "dvc"]
    run([*dvc, "exp", "apply", "inits-c"], repo, env)  # the experiment's outputs, in the workspace
    # tests/kill_hook's sitecustomize, in the track stage dvc runs, kills it on creating its fifth run
    kill = {"PYTHONPATH": os.pathsep.join([env["PYTHONPATH"], str(KILL_HOOK)]), "AEREPRO_TRACK_KILL_AFTER": "4"}
    killed = run([*dvc, "repro", "-f", "-s", "track"], repo, {**env, **kill}, check=False)
    assert killed.returncode != 0 and "Running stage 'track'" in killed.stdout
    before = children_by_parent(repo / "mlflow.db")
    (parent,) = set(before) - set(EXPERIMENTS) - {f"{name}/family" for name in EXPERIMENTS}
    assert 4 <= len(before[parent]) < expected_runs(experiment_params(EXPERIMENTS["inits-c"]))[""]
    again = run([*dvc, "repro", "-f", "-s", "track"], repo, env)
    assert "already there" in again.stdout
    after = children_by_parent(repo / "mlflow.db")
    names = Counter(child[0] for child in after[parent])
    assert len(names) == expected_runs(experiment_params(EXPERIMENTS["inits-c"]))[""] and max(names.values()) == 1
    assert {child[3] for child in after[parent]} <= {"FINISHED", "FAILED"}
    assert all(after[name] == before[name] for name in EXPERIMENTS)  # other parents untouched


def test_a_store_locked_by_another_writer_fails_track_in_one_line_and_keeps_the_trained_outputs(queued):
    repo, env = queued
    dvc = [sys.executable, "-m", "dvc"]
    params = (repo / "params.yaml").read_text()
    (repo / "params.yaml").write_text(params.replace("lock_wait: 60", "lock_wait: 1"))
    models = (repo / "runs" / "blog" / "8-3-8" / "models.joblib").stat().st_mtime_ns
    writer = sqlite3.connect(repo / "mlflow.db", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another writer, mid-transaction
    try:
        locked = run([*dvc, "repro", "-f", "-s", "track"], repo, env, check=False)
    finally:
        writer.rollback()
        writer.close()
    assert locked.returncode != 0 and "Traceback" not in locked.stderr
    (line,) = [x for x in locked.stderr.splitlines() if x.startswith("error: MLflow store")]
    assert f"sqlite:///{repo / 'mlflow.db'} is locked by another writer" in line and "`dvc repro track`" in line
    status = run([*dvc, "status", "train@8-3-8", "paper", "anomaly", "family", "symmetry"], repo, env).stdout
    assert "changed" not in status
    assert (repo / "runs" / "blog" / "8-3-8" / "models.joblib").stat().st_mtime_ns == models
