"""aerepro.io: a write that fails leaves no partial file and is one line naming the file."""

import errno
import os
import subprocess
import sys
from pathlib import Path

import joblib
import pandas as pd
import pytest

from aerepro import io
from aerepro.io import WriteFailed

ROOT = Path(__file__).resolve().parents[2]
FULL = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def half_then_full(path, *args, **kwargs):
    """A writer that gets half a file out, then finds the disk full."""
    with open(path, "w") as f:
        f.write("run,final_loss\nhalf-writ")
    raise FULL


WRITERS = {
    "text": (lambda path: io.write_text(path, "new\n"), (Path, "write_text")),
    "json": (lambda path: io.write_json(path, {"a": 1}), (Path, "write_text")),
    "csv": (lambda path: io.write_csv(path, pd.DataFrame({"a": [1.0]})), (pd.DataFrame, "to_csv")),
    "joblib": (lambda path: io.write_joblib(path, {"a": 1}), (joblib, "dump")),
}


@pytest.mark.parametrize("kind", WRITERS)
def test_a_failed_write_keeps_the_old_file_leaves_no_temporary_and_names_the_file(tmp_path, monkeypatch, kind):
    write, (owner, name) = WRITERS[kind]
    target = tmp_path / "out" / f"table.{kind}"
    write(target)
    old = target.read_bytes()
    if owner is pd.DataFrame:
        monkeypatch.setattr(owner, name, lambda self, path, *a, **k: half_then_full(path))
    elif owner is Path:
        monkeypatch.setattr(owner, name, lambda self, *a, **k: half_then_full(self))
    else:
        monkeypatch.setattr(owner, name, lambda obj, path, *a, **k: half_then_full(path))
    with pytest.raises(WriteFailed) as info:
        write(target)
    message = str(info.value)
    assert "\n" not in message and str(target) in message and os.strerror(errno.ENOSPC) in message
    assert target.read_bytes() == old
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]


def test_a_failed_first_write_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(pd.DataFrame, "to_csv", lambda self, path, *a, **k: half_then_full(path))
    with pytest.raises(WriteFailed):
        io.write_csv(tmp_path / "t.csv", pd.DataFrame({"a": [1]}))
    assert list(tmp_path.iterdir()) == []


def test_an_error_that_is_not_the_disks_passes_through(tmp_path):
    with pytest.raises(ZeroDivisionError):
        with io.atomic_path(tmp_path / "t.txt") as tmp:
            tmp.write_text("half")
            1 / 0
    assert list(tmp_path.iterdir()) == []


FULL_DISK_STAGE = """
import errno, os, runpy, sys
from pathlib import Path
import pandas as pd
def full(self, path, *args, **kwargs):
    open(path, "w").write("half")
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
pd.DataFrame.to_csv = full
sys.argv = [sys.argv[1], *sys.argv[2:]]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def test_a_stage_whose_disk_fills_exits_2_with_one_line_naming_the_file(tmp_path):
    out = tmp_path / "data"
    cmd = [sys.executable, "-c", FULL_DISK_STAGE, str(ROOT / "stages" / "data.py"), "--out", str(out)]
    result = subprocess.run(cmd, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {out}{os.sep}") and ".csv: could not be written (No space left on device)" in line
    assert not list(out.iterdir())  # no partial file, no temporary
