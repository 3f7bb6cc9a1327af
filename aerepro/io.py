"""Files the pipeline writes: atomically, so a killed stage leaves no half file.

Every writer goes to a temporary file in the target's directory and
renames it over the target (``os.replace`` is atomic on one file system):
a later stage sees either the old file or the whole new one. A write
that fails (a full disk, a read-only folder) leaves no partial file and
is reported as :class:`WriteFailed`, one line naming the file.
"""

import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

import joblib

from .errors import UserError

__all__ = ["WriteFailed", "atomic_path", "write_json", "write_text", "write_csv", "write_joblib"]


class WriteFailed(UserError, OSError):
    """A file could not be written (full disk, no permission); nothing partial was left."""


@contextmanager
def atomic_path(path):
    """Yield a temporary path beside ``path``; on success rename it to ``path``.

    On any failure the temporary file is removed and ``path`` keeps its
    old content (or stays absent); an ``OSError`` becomes :class:`WriteFailed`.
    """
    path = Path(path)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        yield Path(tmp)
        os.replace(tmp, path)
    except BaseException as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and not isinstance(exc, UserError):
            reason = exc.strerror or str(exc) or type(exc).__name__
            raise WriteFailed(f"{path}: could not be written ({reason}); nothing was left half-written: "
                              "free space or fix the folder's permissions, then run `dvc repro` again") from None
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
