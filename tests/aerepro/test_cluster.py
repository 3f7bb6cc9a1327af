"""Training on a dask cluster named by AEREPRO_DASK_SCHEDULER gives a local run's outputs, byte for byte."""

import json
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import pytest
import yaml

from aerepro.blog.train import train
from aerepro.cluster import SCHEDULER_VARIABLE, scheduler_address, training_jobs
from aerepro.errors import UserError
from aerepro.runs import MODELS

ROOT = Path(__file__).resolve().parents[2]


def test_no_variable_or_an_empty_one_trains_here_with_the_given_jobs():
    for environ in ({}, {SCHEDULER_VARIABLE: ""}, {SCHEDULER_VARIABLE: "  "}):
        assert scheduler_address(environ) is None
        with training_jobs(3, environ) as n_jobs:
            assert n_jobs == 3
            assert joblib.parallel.get_active_backend()[0].__class__.__name__ != "DaskDistributedBackend"


def test_a_scheduler_that_does_not_answer_is_one_clear_error(monkeypatch):
    monkeypatch.setattr("aerepro.cluster.TIMEOUT", 1)
    address = "tcp://127.0.0.1:9"  # the discard port: nothing listens there
    with pytest.raises(UserError, match=f"{SCHEDULER_VARIABLE}={address}: no dask scheduler answers"):
        with training_jobs(2, {SCHEDULER_VARIABLE: address}):
            pass


def test_a_scheduler_without_workers_is_one_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr("aerepro.cluster.TIMEOUT", 1)
    with _scheduler(tmp_path) as address:
        with pytest.raises(UserError, match=f"{SCHEDULER_VARIABLE}={address}: the scheduler has no worker"):
            with training_jobs(2, {SCHEDULER_VARIABLE: address}) as n_jobs:
                joblib.Parallel(n_jobs=n_jobs)(joblib.delayed(abs)(-k) for k in range(3))


def _small_params(tmp_path):
    params = yaml.safe_load((ROOT / "params.yaml").read_text())
    study = params["study"]
    study["configurations"]["8-3-8"] = {"hidden_layer_sizes": [3], "protocols": {"budget": {"max_iter": 400}}}
    study["activations"] = {k: study["activations"][k] for k in ("sigmoid", "relu")}
    study["inits"] = [1.0, 0.5]
    study["seeds"] = [0]
    del study["shared_draw"], study["controls"], study["sensitivity"]  # the grid alone: what is shipped, not what it holds, is tested
    for protocol in study["protocols"].values():
        protocol["max_iter"] = min(protocol["max_iter"], 400)
    study["estimator"]["learning_rate_init"] = 0.01
    params["report"]["roles"]["relu_hidden"] = None
    params["train"]["n_jobs"] = 2  # the stacks are split for two workers here as on the cluster
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(params, sort_keys=False))
    return path


def _train(params, data, out):
    train(params, "8-3-8", data, out / "runs", out / "metrics.json", out / "loss.png")
    return out


def _start(args, env):
    return subprocess.Popen([str(Path(sys.executable).parent / "dask"), *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@contextmanager
def _scheduler(tmp_path, n_workers=0):
    """A scheduler and ``n_workers`` one-thread workers on this machine, as subprocesses; yields its address."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    file = tmp_path / "scheduler.json"
    processes = [_start(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                         "--scheduler-file", str(file)], env)]
    try:
        deadline = time.monotonic() + 60
        while not file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(file.read_text())["address"]
        for _ in range(n_workers):
            processes.append(_start(["worker", address, "--nthreads", "1", "--no-dashboard",
                                     "--host", "127.0.0.1", "--memory-limit", "0"], env))
        if n_workers:
            from dask.distributed import Client

            with Client(address, timeout=60) as client:
                client.wait_for_workers(n_workers, timeout=60)
        yield address
    finally:
        for process in processes[::-1]:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


@pytest.fixture
def cluster(tmp_path):
    """A scheduler and two one-thread workers; yields the scheduler's address."""
    with _scheduler(tmp_path, n_workers=2) as address:
        yield address


def test_blog_train_on_a_dask_cluster_writes_the_local_runs_outputs(tmp_path, cluster, monkeypatch):
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'mlflow.db'}")
    params = _small_params(tmp_path)
    data = tmp_path / "onehot.csv"
    pd.DataFrame(np.eye(8, dtype=int), columns=[f"x{i}" for i in range(8)]).to_csv(data, index=False)
    monkeypatch.delenv(SCHEDULER_VARIABLE, raising=False)
    here = _train(params, data, tmp_path / "here")
    monkeypatch.setenv(SCHEDULER_VARIABLE, cluster)
    there = _train(params, data, tmp_path / "there")
    from dask.distributed import Client

    with Client(cluster) as client:  # the stacks were trained there: the scheduler ran joblib's batches
        prefixes = client.run_on_scheduler(lambda dask_scheduler: sorted(dask_scheduler.task_prefixes))
    assert any("_fit_chunk" in prefix for prefix in prefixes), prefixes

    files = sorted(p.relative_to(here) for p in here.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(there) for p in there.rglob("*") if p.is_file())
    for name in files:  # no clock in any output: the runs table too is the same bytes
        if name.name == MODELS:  # a worker's arrays come back unpickled: the same numbers, another pickle memo
            continue
        assert (here / name).read_bytes() == (there / name).read_bytes(), name
    models_here, models_there = (joblib.load(d / "runs" / MODELS) for d in (here, there))
    assert list(models_here) == list(models_there) and len(models_here) == 2 * 2 * 3
    for name, model in models_here.items():
        other = models_there[name]
        for a, b in zip(model.coefs_ + model.intercepts_ + [model.loss_curve_],
                        other.coefs_ + other.intercepts_ + [other.loss_curve_]):
            assert a.tobytes() == b.tobytes(), name
        assert (model.n_iter_, model.stop_reason_) == (other.n_iter_, other.stop_reason_)
