"""Where MLflow runs are stored, and whether the store answers.

The default store is an embedded SQLite file at the repository root,
always addressed by an absolute path: DVC runs queued and ``--temp``
experiments in copies of the repository under ``.dvc/tmp/exps/``, and a
relative URI there would silently lose their runs. ``MLFLOW_TRACKING_URI``
overrides the default. The training stages call :func:`check_tracking`
before they train, without importing MLflow or the logging code.
"""

import os
from pathlib import Path

from .errors import UserError

__all__ = ["TrackingUnavailable", "check_tracking", "repo_root", "tracking_uri"]

_EXPS = os.sep + os.path.join(".dvc", "tmp", "exps") + os.sep


def repo_root(start=None):
    """The repository the results belong to, as an absolute path.

    Inside a DVC experiment's temporary copy (``<repo>/.dvc/tmp/exps/...``)
    this is the original repository, not the copy.
    """
    start = Path(start or os.getcwd()).resolve()
    text = str(start) + os.sep
    if _EXPS in text:
        return Path(text.split(_EXPS)[0])
    for path in (start, *start.parents):
        if (path / ".dvc").is_dir() or (path / ".git").exists():
            return path
    return start


def tracking_uri(root=None):
    """``MLFLOW_TRACKING_URI`` if set, else ``sqlite:///<abs repo root>/mlflow.db``."""
    uri = os.environ.get("MLFLOW_TRACKING_URI")
    if uri:
        return uri
    return f"sqlite:///{repo_root(root) / 'mlflow.db'}"


class TrackingUnavailable(UserError, RuntimeError):
    """The MLflow tracking store cannot be reached or written."""


def check_tracking(uri=None, timeout=5.0):
    """Raise :class:`TrackingUnavailable` unless the tracking store answers.

    A ``sqlite:///`` or ``file:`` store needs a writable folder; an
    ``http(s)://`` server must answer its ``/health`` endpoint within
    ``timeout`` seconds. Called before training, so an hour of training is
    never lost to a typo in ``MLFLOW_TRACKING_URI``.
    """
    import urllib.error
    import urllib.request

    uri = uri or tracking_uri()
    if uri.startswith(("http://", "https://")):
        try:
            with urllib.request.urlopen(uri.rstrip("/") + "/health", timeout=timeout) as response:
                if response.status != 200:
                    raise TrackingUnavailable(f"MLflow server at {uri} answered HTTP {response.status} on /health")
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise TrackingUnavailable(
                f"MLflow tracking server at {uri} does not answer ({reason}); start it or set "
                "MLFLOW_TRACKING_URI to a reachable server (unset it for the local sqlite store)"
            ) from None
        return uri
    if uri.startswith(("sqlite:///", "file:")):
        path = Path(uri[len("sqlite:///") :]) if uri.startswith("sqlite:///") else Path(uri.split(":", 1)[1].lstrip("/")).resolve()
        folder = path.parent if uri.startswith("sqlite:///") else path
        folder = folder if folder.exists() else folder.parent
        if not os.access(folder, os.W_OK):
            raise TrackingUnavailable(f"MLflow store {uri}: folder {folder} is not writable")
        return uri
    return uri
