"""Reading ``params.yaml``: only the keys a stage reads, checked, one clear line per problem.

Every stage declares the keys it reads (``PARAMS`` in its module, the same
list as its ``params:`` in ``dvc.yaml``) and reads them with
:func:`load_params`, which hands it a copy of the file holding only those
keys, checked by its study's schema (:mod:`aerepro.schema`). A stage
cannot read a key it did not declare, and a key it declares it checks.

:data:`MACHINE` keys say how a stage runs, not what it computes (how many
processes): a stage may read them, and no stage lists them in
``dvc.yaml``, so changing them reruns nothing.
"""

import re
from pathlib import Path

import yaml

from .errors import UserError
from .schema import Schema, check_params, integer, lookup

__all__ = ["MACHINE", "SCHEMA", "ParamsError", "load_params", "read_params", "resolve", "select"]

#: Keys that change how a stage runs, never a result: never listed in dvc.yaml.
MACHINE = frozenset({"train.n_jobs", "tracking.n_jobs", "tracking.lock_wait"})

#: The settings every training stage shares.
SCHEMA = Schema(settings={
    "train.n_jobs": integer(nonzero=True, none=True),
    "train.curve_points": integer(2),
}, sections=frozenset({"train"}))


class ParamsError(UserError, ValueError):
    """``params.yaml`` cannot be used; the message lists every problem found, one per line."""


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


def read_params(path="params.yaml"):
    """The whole of ``params.yaml``, parsed and unchecked.

    Raises
    ------
    ParamsError
        When the file cannot be read, is not valid YAML or is not a mapping.
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
    return params


def select(params, keys):
    """A copy of ``params`` holding only the key paths ``keys`` (and the sections above them).

    A key that is missing is left out (the schema says whether that is a
    problem); a section that is not a mapping is kept as it is, for the
    schema to report.

    Examples
    --------
    >>> select({"a": {"b": 1, "c": {"d": 2, "e": 3}}, "f": 4}, ["a.c.d", "f"])
    {'a': {'c': {'d': 2}}, 'f': 4}
    """
    view = {}
    for key in keys:
        parts = key.split(".")
        source, depth = params, 0
        while depth < len(parts) and isinstance(source, dict) and parts[depth] in source:
            source, depth = source[parts[depth]], depth + 1
        if depth < len(parts) and (depth == 0 or isinstance(source, dict)):
            continue  # missing: the schema says whether that is a problem
        target = view
        for part in parts[:depth - 1]:
            target = target.setdefault(part, {})
        target[parts[depth - 1]] = source
    return view


def resolve(keys, params, **values):
    """``keys`` with each ``${name}`` filled in, as ``dvc.yaml`` fills its own: from ``values``, else from the key path ``name`` of ``params``.

    Examples
    --------
    >>> resolve(["a.${key}", "b.${c.d}"], {"c": {"d": "x"}}, key="k")
    ['a.k', 'b.x']
    """
    def fill(match):
        name = match.group(1)
        value = values[name] if name in values else lookup(params, name)
        return str(value)

    return [re.sub(r"\$\{([^}]+)\}", fill, key) for key in keys]


def load_params(path, keys, schema, **values):
    """The keys ``keys`` of ``params.yaml``, checked by ``schema``.

    Parameters
    ----------
    path : str or path-like
        The file.
    keys : list of str
        The dotted key paths the stage reads (its ``params:`` in ``dvc.yaml``,
        plus any :data:`MACHINE` key it reads), with ``${...}`` as
        ``dvc.yaml`` writes them (:func:`resolve`).
    schema : Schema
        The rules of those keys (the study's, with :data:`SCHEMA` for ``train``).
    **values
        The values of ``${name}`` fields that are not key paths (a foreach stage's ``key``).

    Returns
    -------
    params : dict
        The file with only ``keys``: reading any other key fails.

    Raises
    ------
    ParamsError
        When the file cannot be read, or those keys have problems: the
        message lists all of them, one per line, each prefixed with ``path``.
    """
    params = read_params(path)
    keys = resolve(keys, params, **values)
    view = select(params, keys)
    problems = check_params(view, schema | SCHEMA, keys, params)
    if problems:
        raise ParamsError("\n".join(f"{path}: {problem}" for problem in problems))
    return view
