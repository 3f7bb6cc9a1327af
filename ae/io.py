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
import numpy as np

__all__ = ["atomic_path", "write_json", "write_text", "write_csv", "write_joblib", "downsample_curve"]


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


def downsample_curve(curve, max_points=1000):
    """Epochs (1-based) and values of a loss curve, at most ``max_points`` of them.

    Points are spaced evenly in log(epoch), so the early epochs, where the
    loss moves fastest, are kept; the first and the last epoch are always
    included.
    """
    curve = np.asarray(curve, dtype=np.float64)
    n = curve.size
    if n <= max_points:
        epochs = np.arange(1, n + 1)
    else:
        epochs = np.unique(np.round(np.geomspace(1, n, max_points)).astype(np.int64))
        epochs[0], epochs[-1] = 1, n
    return epochs, curve[epochs - 1]
