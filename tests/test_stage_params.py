"""What each stage reads of params.yaml is what dvc.yaml lists for it, both ways.

Every stage runs once, in this process, on a tiny params file, through a
params object that records each key read. A key read but not listed would
serve stale results when it changes; a key listed but not read retrains for
nothing. Machine settings (:data:`aerepro.params.MACHINE`) are neither.
"""

import os
import runpy
import shlex
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

import aerepro.params
from aerepro.params import MACHINE, resolve
from aerepro.schema import lookup
from tests.test_pipeline import small_params

#: End to end: runs the real stages (`python -m pytest -m 'not slow'` leaves them out while developing).
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


class Recorded(dict):
    """A mapping that adds to ``log`` the key path of every value read from it (the path itself when its keys are)."""

    def __init__(self, data, path, log):
        super().__init__(data)
        self._path, self._log = path, log

    def _at(self, key):
        return f"{self._path}.{key}" if self._path else str(key)

    def __getitem__(self, key):
        value = dict.__getitem__(self, key)
        if isinstance(value, dict):
            return Recorded(value, self._at(key), self._log)
        self._log.add(self._at(key))
        return value

    def get(self, key, default=None):
        if dict.__contains__(self, key):
            return self[key]
        self._log.add(self._at(key))
        return default

    def __contains__(self, key):
        self._log.add(self._at(key))
        return dict.__contains__(self, key)

    def _keys_read(self):
        self._log.add(self._path)

    def __iter__(self):
        self._keys_read()
        return dict.__iter__(self)

    def __len__(self):
        self._keys_read()
        return dict.__len__(self)

    def keys(self):
        self._keys_read()
        return dict.keys(self)

    def items(self):
        self._keys_read()
        return [(key, self[key]) for key in dict.keys(self)]

    def values(self):
        return [value for _, value in self.items()]


def _plain(node):
    """``node`` as plain dicts, read without recording (what the checks of load_params see)."""
    if isinstance(node, dict):
        return {key: _plain(value) for key, value in dict.items(node)}
    return node


def tiny_params():
    """The pipeline test's small study, with every kind of paper variant (one reads the whole estimator block)."""
    params = small_params()
    params["paper"]["variants"]["sparse"] = yaml.safe_load((ROOT / "params.yaml").read_text())["paper"]["variants"]["sparse"]
    return params


def _stages():
    """``name -> (argv, listed params)`` of every stage of dvc.yaml, foreach expanded, in an order that runs."""
    stages = yaml.safe_load((ROOT / "dvc.yaml").read_text())["stages"]
    params = tiny_params()
    out = {}
    for name, stage in stages.items():
        items = params["study"]["configurations"] if "foreach" in stage else [None]
        body = stage.get("do", stage)
        for key in items:
            def fill(text, key=key):
                return resolve([text], params, key=key)[0]

            argv = shlex.split(fill(body["cmd"]))[1:]
            deps = [fill(d if isinstance(d, str) else next(iter(d))) for d in body.get("deps", [])]
            outs = [fill(o if isinstance(o, str) else next(iter(o)))
                    for kind in ("outs", "metrics", "plots") for o in body.get(kind, [])]
            out[name if key is None else f"{name}@{key}"] = (argv, [fill(p) for p in body.get("params", [])],
                                                              deps, outs)
    order, done = [], set()
    while len(order) < len(out):
        ready = [n for n in out if n not in done and not any(
            _inside(dep, o) for m in out if m not in done and m != n for o in out[m][3] for dep in out[n][2])]
        assert ready, f"dvc.yaml's stages depend on each other in a circle: {sorted(set(out) - done)}"
        order += ready
        done.update(ready)
    return [(n, *out[n][:2]) for n in order]


def _inside(path, folder):
    return path == folder or path.startswith(folder.rstrip("/") + "/") or folder.startswith(path.rstrip("/") + "/")


def _covered(read, listed):
    return any(read == key or read.startswith(f"{key}.") for key in listed)


def run_every_stage(work, n_jobs):
    """Run every stage of dvc.yaml in ``work`` on the tiny study with ``train.n_jobs``; ``stage -> (keys read,
    keys listed)``."""
    for name in ("sources", "crosscheck"):
        shutil.copytree(ROOT / name, work / name)
    params = tiny_params()
    params["train"]["n_jobs"] = n_jobs
    (work / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    found = {}
    patch = pytest.MonkeyPatch()
    old_cwd, old_argv = os.getcwd(), sys.argv
    try:
        os.chdir(work)
        patch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{work / 'mlflow.db'}")
        patch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]))
        log = set()
        select, check = aerepro.params.select, aerepro.params.check_params
        patch.setattr(aerepro.params, "select", lambda *a: Recorded(select(*a), "", log))
        patch.setattr(aerepro.params, "check_params", lambda view, *a: check(_plain(view), *a))
        for stage, argv, listed in _stages():
            log.clear()
            sys.argv = argv
            try:
                runpy.run_path(str(ROOT / argv[0]), run_name="__main__")
            except SystemExit as exc:
                pytest.fail(f"stage {stage} exited {exc.code}")
            found[stage] = (set(log), listed)
    finally:
        os.chdir(old_cwd)
        sys.argv = old_argv
        patch.undo()
    return found


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """``n_jobs -> (folder, reads)`` of the whole pipeline run with one and with two processes."""
    return {n: ((work := tmp_path_factory.mktemp(f"stages-{n}")), run_every_stage(work, n)) for n in (1, 2)}


@pytest.fixture(scope="module")
def reads(runs):
    """``stage -> (keys read, keys listed)``."""
    return runs[1][1]


def test_every_stage_ran_and_read_params(reads):
    assert len(reads) == len(_stages())
    assert all(read for read, _ in reads.values()), [s for s, (read, _) in reads.items() if not read]


def test_every_key_a_stage_reads_is_listed(reads):
    # read but not listed: a change of it reruns nothing, and stale results are shown as new
    missing = {stage: sorted(r for r in read - MACHINE if not _covered(r, listed))
               for stage, (read, listed) in reads.items()}
    assert not any(missing.values()), {s: m for s, m in missing.items() if m}


def _unread(key, read, params):
    """The parts of the listed ``key`` the stage did not read: itself, or entries of it (a mapping whose keys
    the stage did not list as a whole)."""
    if not any(_covered(r, [key]) for r in read):
        return [key]
    value = lookup(params, key)
    if key in read or not isinstance(value, dict):
        return []
    return [f"{key}.{child}" for child in value if not any(_covered(r, [f"{key}.{child}"]) for r in read)]


def test_every_key_a_stage_lists_is_read(reads):
    # listed but not read: a change of it retrains for nothing
    params = tiny_params()
    unread = {stage: [part for key in listed for part in _unread(key, read, params)]
              for stage, (read, listed) in reads.items()}
    assert not any(unread.values()), {s: u for s, u in unread.items() if u}


def test_no_stage_lists_a_machine_setting():
    for stage, _, listed in _stages():
        assert not [key for key in listed if any(_covered(m, [key]) for m in MACHINE)], stage


def test_the_recorder_sees_nested_reads_and_key_listings():
    log = set()
    params = Recorded({"a": {"b": 1, "c": {"d": 2}}, "e": 3}, "", log)
    assert params["a"]["b"] == 1 and "x" not in params["a"] and {**params["a"]["c"]} == {"d": 2}
    assert list(params) == ["a", "e"]
    assert log == {"a.b", "a.x", "a.c", "a.c.d", ""}



#: Columns of how a run ran, not what it computed: clocks, and the stack a model was trained in (its size
#: follows the processes; its models are bit-identical whatever the stacking).
CLOCKS = ("seconds", "minutes", "time", "stack")


def _results(folder):
    """Every table and metrics file the stages wrote, clocks left out: relative path -> content."""
    found = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if name.startswith(("sources/", "crosscheck/", "mlartifacts/")) or path.is_dir():
            continue
        if path.suffix == ".csv":
            table = pd.read_csv(path)
            found[name] = table[[c for c in table.columns if not any(w in c for w in CLOCKS)]]
        elif path.suffix == ".json" and name.startswith("metrics/"):
            found[name] = path.read_text()
    return found


def test_outputs_are_identical_under_one_and_two_processes(runs):
    # train.n_jobs is a machine setting (no stage lists it): it must not change a result
    one, two = (_results(runs[n][0]) for n in (1, 2))
    assert one.keys() == two.keys() and len(one) > 20
    for name in one:
        if isinstance(one[name], pd.DataFrame):
            pd.testing.assert_frame_equal(one[name], two[name], check_exact=True, obj=name)
        else:
            assert one[name] == two[name], name
