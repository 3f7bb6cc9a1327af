"""The shape of ``params.yaml``: a generic walker over schema tables, and the checks they are made of.

A :class:`Schema` is two tables keyed by dotted key paths (``settings``:
plain values, each checked alone; ``blocks``: mappings checked as a whole,
such as a block of estimator parameters) plus the checks of each run's
merged parameters. Every study declares the schema of what its stages
read; :func:`aerepro.params.load_params` walks the keys a stage reads with
it, so a stage checks what it uses and imports nothing it does not need.
Nothing here knows a study, nor the estimator (:mod:`aerepro.estimator_checks`).
"""

import difflib
import re
from dataclasses import dataclass, field
from numbers import Integral, Real

import yaml

__all__ = ["Schema", "check_params", "integer", "fraction", "text", "power_of_two", "first", "list_of",
           "unknown", "text_number_hint", "lookup", "each", "name_in", "named", "setting", "arms"]


# -- checks of one value: value -> problem (str) or None ---------------------


def integer(low=None, high=None, *, nonzero=False, none=False):
    """An int (never a bool) in ``[low, high]``; optionally not 0, or null."""
    words = "an integer" + (f" in {low}..{high}" if low is not None and high is not None
                            else f" >= {low}" if low is not None else "")
    words += " other than 0" if nonzero else ""
    words += " or null" if none else ""

    def check(value):
        if value is None and none:
            return None
        ok = (isinstance(value, Integral) and not isinstance(value, bool)
              and (low is None or value >= low) and (high is None or value <= high) and not (nonzero and value == 0))
        return None if ok else f"expected {words}, got {value!r}{text_number_hint(value)}"

    return check


def fraction(value):
    """A float strictly between 0 and 1."""
    ok = isinstance(value, Real) and not isinstance(value, bool) and 0 < value < 1
    return None if ok else f"expected a float in (0, 1), got {value!r}{text_number_hint(value)}"


def text(value):
    """A non-empty string."""
    return None if isinstance(value, str) and value.strip() else f"expected a non-empty string, got {value!r}"


def power_of_two(value):
    """An int >= 2 that is a power of two (the N of an N-log2(N)-N encoder)."""
    ok = isinstance(value, Integral) and not isinstance(value, bool) and value >= 2 and not value & (value - 1)
    return None if ok else f"expected a power of two >= 2, got {value!r}{text_number_hint(value)}"


def first(*checks):
    """The first problem found by ``checks``, in order."""

    def check(value):
        return next((p for p in (c(value) for c in checks) if p), None)

    return check


def list_of(item, *, empty="empty list"):
    """A non-empty list of distinct values, each passing ``item``."""

    def check(value):
        if not isinstance(value, list):
            return f"expected a list, got {value!r}"
        if not value:
            return empty
        for i, v in enumerate(value):
            problem = item(v)
            if problem:
                return f"item {i}: {problem}"
        repeated = sorted({v for i, v in enumerate(value) if v in value[:i]})
        return f"repeated values {repeated} (runs would share a name)" if repeated else None

    return check


def unknown(key, known):
    """"unknown key", with the closest known key when one is close."""
    close = difflib.get_close_matches(str(key), [str(k) for k in known], n=1)
    return "unknown key" + (f" (did you mean {close[0]!r}?)" if close else "")


def text_number_hint(value):
    """PyYAML (YAML 1.1) reads ``1e-7`` and ``1.0e7`` (no dot, no exponent sign) as strings: say what passes.

    A whole number is written as an integer (``1e5`` -> ``100000``), which
    passes where an integer is expected and where a real number is.

    Examples
    --------
    >>> text_number_hint("1e5")
    " (YAML reads '1e5' as text: write 100000)"
    >>> text_number_hint("1e-7")
    " (YAML reads '1e-7' as text: write 1.0e-07)"
    """
    if isinstance(value, str) and re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)[eE][-+]?\d+", value.strip()):
        number = float(value)
        written = str(int(number)) if number.is_integer() else yaml.safe_dump(number).splitlines()[0]
        return f" (YAML reads {value!r} as text: write {written})"
    return ""


# -- checks of blocks: (path, value, params) -> [(path, problem)] ------------


def lookup(params, dotted):
    """The value at the key path ``dotted`` of ``params``, or None where a part is missing or not a mapping."""
    node = params
    for part in dotted.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def name_in(section, *, none=False):
    """One of the names of the mapping (or items of the list) at ``section`` (e.g. ``"study.protocols"``); with
    ``none``, or null."""

    def check(path, value, params):
        block = lookup(params, section)
        known = list(block) if isinstance(block, dict | list) else []
        if not known or value in known or (none and value is None):
            return []  # an empty or broken section is reported once, as itself
        return [(path, f"expected one of {section} ({', '.join(map(str, known))}){' or null' if none else ''}, "
                       f"got {value!r}")]

    return check


def each(check):
    """A non-empty list, each item passing the block check ``check``."""

    def each_check(path, value, params):
        if not isinstance(value, list) or not value:
            return [(path, f"expected a non-empty list, got {value!r}")]
        return [problem for i, item in enumerate(value) for problem in check(f"{path}.{i}", item, params)]

    return each_check


def named(block, *, required=()):
    """A non-empty mapping of name -> block (one per run of a grid)."""

    def check(path, value, params):
        if value is None or value == {}:
            return [(path, "empty (no runs to train)")]
        if not isinstance(value, dict):
            return [(path, f"expected a mapping of name -> AutoEncoder parameters, got {value!r}")]
        problems = [(f"{path}.{name}", "missing (the stage's report reads it)")
                    for name in required if name not in value]
        for name, entry in value.items():
            problems += block(f"{path}.{name}", entry, params)
        return problems

    return check


def setting(check):
    """The value check ``check`` as a block check."""

    def block(path, value, params):
        problem = check(value)
        return [(path, problem)] if problem else []

    return block


def arms(parts, what, optional=()):
    """A mapping of name -> a mapping of the keys of ``parts`` (key -> block check), e.g. a grid's small extra arms.

    ``what`` names an entry on the page of a problem ("control", "check");
    the keys in ``optional`` may be left out.
    """

    def check(path, value, params):
        if not isinstance(value, dict):
            return [(path, f"expected a mapping of {what} name -> {', '.join(parts)}, got {value!r}")]
        problems = []
        for name, arm in value.items():
            where = f"{path}.{name}"
            if not isinstance(arm, dict):
                problems.append((where, f"expected a mapping of {', '.join(parts)}, got {arm!r}"))
                continue
            problems += [(f"{where}.{key}", unknown(key, list(parts))) for key in arm if key not in parts]
            for key, part in parts.items():
                if key in arm:
                    problems += part(f"{where}.{key}", arm[key], params)
                elif key not in optional:
                    problems.append((f"{where}.{key}", "missing"))
        return problems

    return check


# -- the schema and its walker -----------------------------------------------


@dataclass(frozen=True)
class Schema:
    """What a part of ``params.yaml`` must look like.

    Parameters
    ----------
    settings : dict
        Key path -> ``check(value) -> problem or None``, for plain values.
    blocks : dict
        Key path -> ``check(path, value, params) -> [(path, problem)]``,
        for mappings checked as a whole; ``params`` is the whole file, for
        checks that name another section's entries.
    optional : frozenset
        Key paths that may be left out; every other key is required.
    runs : tuple
        ``check(view, clean) -> [(path, problem)]``: the cross-parameter
        checks of each run's merged parameters, given the keys read and
        ``clean(path)``, whether that key passed its own checks.
    sections : frozenset
        Sections whose every key this schema describes: a key there that it
        does not know is a problem wherever a stage reads part of the section.
    """

    settings: dict = field(default_factory=dict)
    blocks: dict = field(default_factory=dict)
    optional: frozenset = frozenset()
    runs: tuple = ()
    sections: frozenset = frozenset()

    def __or__(self, other):
        return Schema({**self.settings, **other.settings}, {**self.blocks, **other.blocks},
                      self.optional | other.optional, (*self.runs, *(r for r in other.runs if r not in self.runs)),
                      self.sections | other.sections)

    def owns(self, path):
        """Whether the section ``path`` lies in one of :attr:`sections`."""
        return any(path == s or path.startswith(f"{s}.") for s in self.sections)

    def children(self, path):
        """The keys of section ``path`` ("" is the top level), in table order."""
        prefix = f"{path}." if path else ""
        return list(dict.fromkeys(k[len(prefix):].split(".")[0]
                                  for k in [*self.settings, *self.blocks] if k.startswith(prefix)))


def _within(path, keys):
    """Whether ``path`` is one of ``keys`` or inside one (None: every key is read)."""
    return keys is None or any(path == k or path.startswith(f"{k}.") for k in keys)


def _wanted(path, keys):
    """Whether ``path`` is read: one of ``keys``, inside one, or a section holding one."""
    return _within(path, keys) or any(k.startswith(f"{path}.") for k in keys)


def _one_line(text):
    """``text`` as one printable line: a key or value holding a newline (or another control character) is escaped."""
    return text if text.isprintable() else text.encode("unicode_escape").decode("ascii")


def shown(key):
    """A key as one line can show it: as written, or its repr when it holds odd characters (a newline, ...)."""
    return key if isinstance(key, str) and key.isprintable() and key.strip() == key and key else repr(key)


def _walk(schema, node, path, params, keys):
    if path in schema.settings:
        problem = schema.settings[path](node)
        return [(path, problem)] if problem else []
    if path in schema.blocks:
        return schema.blocks[path](path, node, params)
    children = schema.children(path)
    if not isinstance(node, dict):
        return [(path or "top level", f"expected a mapping of {', '.join(children)}, got {node!r}")]
    join = (lambda key: f"{path}.{key}") if path else str
    problems = []
    # unknown keys: in what the stage reads, and in the whole of a section its schema describes
    names = node if _within(path, keys) else lookup(params, path) if path and schema.owns(path) else None
    if isinstance(names, dict):
        problems += [(join(shown(key)), unknown(key, children)) for key in names if key not in children]
    for key in children:
        if not _wanted(join(key), keys):
            continue
        if key in node:
            problems += _walk(schema, node[key], join(key), params, keys)
        elif join(key) not in schema.optional and lookup(params, join(key)) is None:
            problems.append((join(key), "missing"))
    return problems


#: No setting needs an integer past what a float holds exactly; past it, numbers overflow where they are used.
HUGE = 2**53


def _huge_integers(node, path):
    """``(path, problem)`` for every integer anywhere in ``node`` whose size is past :data:`HUGE`."""
    if isinstance(node, dict):
        return [found for key, value in node.items()
                for found in _huge_integers(value, f"{path}.{shown(key)}" if path else shown(key))]
    if isinstance(node, list):
        return [found for value in node for found in _huge_integers(value, path)]
    if isinstance(node, Integral) and not isinstance(node, bool) and abs(node) > HUGE:
        return [(path, f"expected a number of at most 2**53 in size, got an integer of {len(str(abs(node)))} digits")]
    return []


def _missing_entries(schema, params, keys):
    """Problems of each key read that names an entry of a block (a configuration) absent from it: the entry
    missing, or the block empty or not a mapping."""
    problems = []
    for key in keys:
        parent, _, name = key.rpartition(".")
        block = lookup(params, parent) if parent else params
        if parent not in schema.blocks or (isinstance(block, dict) and name in block):
            continue
        if isinstance(block, dict) and block:
            problems.append((key, f"missing ({parent} has {', '.join(map(str, block))})"))
        elif block is not None:
            problems += schema.blocks[parent](parent, block, params)
    return problems


def check_params(view, schema, keys=None, params=None):
    """Every problem of the keys ``keys`` of a parsed ``params.yaml``, one line each.

    Parameters
    ----------
    view : dict
        The parsed file, or the part of it a stage reads (:func:`aerepro.params.select`).
    schema : Schema
        The rules of those keys.
    keys : list of str, default=None
        The key paths read; ``None``: the whole file (unknown top-level
        sections are then problems too).
    params : dict, default=None
        The whole file, for checks that name another section's entries
        (``view`` when None).

    Returns
    -------
    problems : list of str
        ``key.path: what is wrong, got <value>``; empty when the keys are valid.

    Examples
    --------
    >>> schema = Schema(settings={"train.n_jobs": integer(nonzero=True, none=True), "train.curve_points": integer(2)})
    >>> check_params({"train": {"n_jobs": "two", "curve_points": 10}}, schema)
    ["train.n_jobs: expected an integer other than 0 or null, got 'two'"]
    >>> check_params({"train": {"n_jobs": 2}}, schema, keys=["train.curve_points"])
    ['train.curve_points: missing']
    """
    params = view if params is None else params
    problems = _walk(schema, view, "", params, keys) + _missing_entries(schema, params, keys or ())
    problems += [(path, problem) for path, problem in _huge_integers(view, "")
                 if path not in {p for p, _ in problems}]
    bad = [path for path, _ in problems]

    def clean(path):
        return not any(q == path or q.startswith(f"{path}.") or path.startswith(f"{q}.") for q in bad)

    for runs in schema.runs:
        problems += runs(view, clean)
    return [_one_line(f"{path}: {message}") for path, message in problems]
