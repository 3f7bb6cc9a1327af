"""Reading ``params.yaml``: one clear line per problem, never a traceback.

:func:`load_params` parses the file and, by default, checks it with
:func:`aerepro.validation.validate_params` before a stage does anything with
it. A file that passed is remembered (an empty file in :func:`cache_dir`,
named by a hash of its text and of the code that checks it), so the other
stages of a repro read it without checking it again: the checks need
scikit-learn, whose import is about a second of every stage process, and
the stages that train nothing need it for nothing else. A changed file, or changed code, is checked anew;
a file with problems is never remembered, so it fails every stage that
reads it.
"""

import hashlib
import importlib.util
import os
import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import yaml

from .errors import UserError

__all__ = ["ParamsError", "load_params"]

#: The distributions whose behaviour the checks depend on, beside the code of ``ae`` and ``aerepro``.
CHECKED_WITH = ("scikit-learn", "numpy", "PyYAML")


class ParamsError(UserError, ValueError):
    """``params.yaml`` cannot be used; the message lists every problem found, one per line."""


def cache_dir():
    """Where files that passed the checks are remembered.

    ``$AEREPRO_CACHE_DIR/valid-params``; without it ``aerepro/valid-params``
    under ``$XDG_CACHE_HOME``, or under ``~/.cache``. Deleting the folder
    only costs the next stages the checks.
    """
    root = os.environ.get("AEREPRO_CACHE_DIR")
    if not root:
        root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "aerepro"
    return Path(root) / "valid-params"


def checks_fingerprint(packages=("ae", "aerepro")):
    """A hash of what decides whether a file passes: Python's version, the sources of ``packages``, :data:`CHECKED_WITH`'s versions.

    Every ``.py`` file of the packages, not only the checks' own imports:
    reading them is a few milliseconds, and any change of the code then
    checks each file once more.
    """
    digest = hashlib.sha256(f"python {platform.python_version()}".encode())
    for package in packages:
        for folder in importlib.util.find_spec(package).submodule_search_locations:
            for source in sorted(Path(folder).rglob("*.py")):
                name = f"{package}/{source.relative_to(folder).as_posix()}"
                digest.update(name.encode() + b"\0" + source.read_bytes())
    for name in CHECKED_WITH:
        try:
            digest.update(f"{name}=={version(name)}".encode())
        except PackageNotFoundError:
            digest.update(f"{name} missing".encode())
    return digest.hexdigest()


def _marker(text):
    """The cache file of a params text, named by a hash of the text and of :func:`checks_fingerprint`.

    None where there is no cache to use (no home folder to put it in, or
    sources that cannot be read): the file is then checked every time.
    """
    try:
        return cache_dir() / hashlib.sha256(f"{checks_fingerprint()}\0{text}".encode()).hexdigest()
    except (OSError, RuntimeError):  # RuntimeError: Path.home() without a home
        return None


def _passed_before(marker):
    """Whether ``marker`` exists; a cache folder that cannot be searched counts as an empty one."""
    try:
        return marker is not None and marker.exists()
    except OSError:
        return False


def _remember(marker):
    """Create ``marker``; a cache that cannot be written only costs the next stage the checks."""
    if marker is None:
        return
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        pass


class _UniqueKeyLoader(yaml.SafeLoader):
    """A SafeLoader that refuses repeated keys (PyYAML keeps the last one silently)."""

    def construct_mapping(self, node, deep=False):
        keys = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in keys:
                raise yaml.constructor.ConstructorError(
                    None, None, f"repeated key {key!r} (only the last one would count)", key_node.start_mark
                )
            keys.add(key)
        return super().construct_mapping(node, deep)


def load_params(path="params.yaml", validate=True):
    """Read ``params.yaml``.

    Parameters
    ----------
    path : str or path-like, default="params.yaml"
        The file.
    validate : bool, default=True
        Check it with :func:`aerepro.validation.validate_params`, unless
        the same text passed before under the same code (see the module's
        docstring).

    Returns
    -------
    params : dict
        The parsed file.

    Raises
    ------
    ParamsError
        When the file cannot be read, is not valid YAML, or (with
        ``validate``) has problems: the message lists all of them, one per
        line, each prefixed with ``path``.
    """
    try:
        text = Path(path).read_text()
    except OSError as exc:
        raise ParamsError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        params = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise ParamsError(f"{path}: not valid YAML{where}: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(params, dict):
        raise ParamsError(f"{path}: expected a mapping of sections at the top level, got {type(params).__name__}")
    if validate:
        marker = _marker(text)
        if not _passed_before(marker):
            # imported here: it needs scikit-learn, which a file seen to pass never needs
            from .validation import validate_params

            problems = validate_params(params)
            if problems:
                raise ParamsError("\n".join(f"{path}: {problem}" for problem in problems))
            _remember(marker)
    return params
