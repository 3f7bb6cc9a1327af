"""Files the pipeline writes: atomically, so a killed stage leaves no half file.

Every writer goes to a temporary file in the target's directory and
renames it over the target (``os.replace`` is atomic on one file system):
a later stage sees either the old file or the whole new one.
"""

import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

import joblib

__all__ = ["atomic_path", "write_json", "write_text", "write_csv", "write_joblib"]


@contextmanager
def atomic_path(path):
    """Yield a temporary path beside ``path``; on success rename it to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path, text):
    """Write ``text`` to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text)


def write_json(path, obj):
    """Write ``obj`` as indented, key-sorted JSON, atomically."""
    write_text(path, json.dumps(obj, indent=2, sort_keys=True, allow_nan=True) + "\n")


def write_csv(path, frame):
    """Write a pandas DataFrame as CSV (no index, full float precision), atomically."""
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False, float_format="%.17g")


def write_joblib(path, obj):
    """Pickle ``obj`` with joblib, atomically."""
    with atomic_path(path) as tmp:
        joblib.dump(obj, tmp)
