"""Test hook: a logger killed mid-way, as ``kill -9`` would leave the MLflow store.

This folder goes on the ``PYTHONPATH`` of a process the test starts (a
script, or ``dvc repro`` and so the track stage it runs); Python imports this
``sitecustomize`` in that process and in every Python process started from
it. With ``AEREPRO_TRACK_KILL_AFTER`` = N in their environment, a process
that logs with :meth:`aerepro.tracking.Tracker.log` first becomes the leader
of a process group of its own (so that its forked loggers belong to it, and
``dvc`` does not), and the first of them to create child run N + 1 kills the
group with SIGKILL, right after creating it: N runs whole (per process), the
next one left RUNNING. Without the variable, this changes nothing.
"""

import functools
import importlib.abc
import inspect
import os
import signal
import sys

#: The environment variable: how many child runs a process creates before the next one kills it.
KILL_AFTER = "AEREPRO_TRACK_KILL_AFTER"

#: Child runs this process has created (a forked logger starts from its parent's count).
_CREATED = [0]


def _kill_after_child_runs(limit):
    """Make ``MlflowClient.create_run`` kill this process group once it has created ``limit`` + 1 child runs."""
    from mlflow.tracking.client import MlflowClient

    create_run = MlflowClient.create_run
    if getattr(create_run, "kills_after", None) is not None:
        return
    signature = inspect.signature(create_run)

    @functools.wraps(create_run)
    def create_then_kill(*args, **kwargs):
        run = create_run(*args, **kwargs)
        if "mlflow.parentRunId" in (signature.bind(*args, **kwargs).arguments.get("tags") or {}):
            _CREATED[0] += 1
            if _CREATED[0] > limit:
                os.killpg(os.getpgid(0), signal.SIGKILL)
        return run

    create_then_kill.kills_after = limit
    MlflowClient.create_run = create_then_kill


def _arm(tracking, limit):
    """Wrap ``tracking.Tracker.log``: it leads a process group of its own, and its run creation may kill it."""
    log = tracking.Tracker.log

    @functools.wraps(log)
    def log_until_killed(*args, **kwargs):
        if os.getpgid(0) != os.getpid():
            os.setpgid(0, 0)  # the kill takes down this process and its forked loggers only
        _kill_after_child_runs(limit)  # MLflow is imported by now (Tracker.__init__)
        return log(*args, **kwargs)

    tracking.Tracker.log = log_until_killed


class _ArmOnImport(importlib.abc.MetaPathFinder):
    """Finds ``aerepro.tracking`` as the other finders do, and arms it (:func:`_arm`) once it has run."""

    def __init__(self, limit):
        self.limit = limit

    def find_spec(self, name, path, target=None):
        if name != "aerepro.tracking":
            return None
        for finder in sys.meta_path:
            spec = None if finder is self else getattr(finder, "find_spec", lambda *a: None)(name, path, target)
            if spec is not None:
                break
        else:
            return None
        exec_module = spec.loader.exec_module

        def exec_and_arm(module):
            exec_module(module)
            _arm(module, self.limit)

        spec.loader.exec_module = exec_and_arm
        return spec


if os.environ.get(KILL_AFTER):
    sys.meta_path.insert(0, _ArmOnImport(int(os.environ[KILL_AFTER])))
