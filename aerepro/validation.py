"""The rules of ``params.yaml``: every problem of a parsed file, one line each.

:func:`validate_params` is what :func:`aerepro.params.load_params` runs on a
file it has not seen pass before. Estimator parameters are checked against
``AutoEncoder._parameter_constraints`` (the estimator's own declaration, so
there is no second list to drift) and, once each run's blocks are merged,
against the estimator's own cross-parameter checks; every other key is
checked by the table :data:`SETTINGS`.
"""

import difflib
import re
from numbers import Integral, Real

import yaml
from sklearn.utils._param_validation import (
    InvalidParameterError,
    StrOptions,
    make_constraint,
    validate_parameter_constraints,
)

from ae import AutoEncoder
from ae.network import check_hidden_layer_sizes

from .blog.grid import expand_study
from .grid import make_estimator
from .symmetry.grid import expand_symmetry

__all__ = ["validate_params", "SETTINGS", "BLOCKS"]


# -- checks of one value: value -> problem (str) or None ---------------------


def _integer(low=None, high=None, *, nonzero=False, none=False):
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
        return None if ok else f"expected {words}, got {value!r}{_text_number_hint(value)}"

    return check


def _fraction(value):
    """A float strictly between 0 and 1."""
    ok = isinstance(value, Real) and not isinstance(value, bool) and 0 < value < 1
    return None if ok else f"expected a float in (0, 1), got {value!r}{_text_number_hint(value)}"


def _text(value):
    """A non-empty string."""
    return None if isinstance(value, str) and value.strip() else f"expected a non-empty string, got {value!r}"


def _power_of_two(value):
    """An int >= 2 that is a power of two (the N of an N-log2(N)-N encoder)."""
    ok = isinstance(value, Integral) and not isinstance(value, bool) and value >= 2 and not value & (value - 1)
    return None if ok else f"expected a power of two >= 2, got {value!r}{_text_number_hint(value)}"


def _first(*checks):
    """The first problem found by ``checks``, in order."""

    def check(value):
        return next((p for p in (c(value) for c in checks) if p), None)

    return check


def _list_of(item, *, empty="empty list"):
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


def _parameter(key):
    """A value of the AutoEncoder parameter ``key``, as its ``_parameter_constraints`` declare it."""

    def check(value):
        constraints = AutoEncoder._parameter_constraints[key]
        if isinstance(value, bool) and not any(c in ("boolean", "verbose") for c in constraints if isinstance(c, str)):
            # bool is an Integral to Python (and to the constraints): YAML's `yes` is not a number.
            return f"expected {_expected(key)}, got {value!r}"
        try:
            validate_parameter_constraints({key: constraints}, {key: value}, caller_name=AutoEncoder.__name__)
        except InvalidParameterError:
            options = [c for c in constraints if isinstance(c, StrOptions)]
            if options and isinstance(value, str):
                return _not_one_of(value, sorted(o for c in options for o in c.options))
            return f"expected {_expected(key)}, got {value!r}{_text_number_hint(value)}"
        shape = YAML_SHAPES.get(key)
        return shape(value) if shape else None

    return check


def _estimator_problem(params):
    """Raise the estimator's own ``ValueError`` when ``params`` do not go together.

    Each value was already checked against its own constraint, so only the
    cross-parameter rules run (``check_params(constraints=False)``).
    """
    make_estimator(params).check_params(constraints=False)


def _layer_widths(value):
    """A YAML list the estimator accepts as ``hidden_layer_sizes`` (made a tuple by :func:`aerepro.grid.make_estimator`)."""
    if isinstance(value, list) and not any(isinstance(w, bool) for w in value):
        try:
            check_hidden_layer_sizes(value)
            return None
        except ValueError:
            pass
    return f"expected a non-empty list of positive integers, got {value!r}"


#: Estimator parameters whose YAML form is narrower than what the estimator accepts.
YAML_SHAPES = {"hidden_layer_sizes": _layer_widths}


def _describe(constraint):
    """One constraint in words, as scikit-learn words it (options sorted, so the text is stable)."""
    if isinstance(constraint, StrOptions):
        return f"a str among {{{', '.join(sorted(constraint.options))}}}"
    return str(make_constraint(constraint))


def _expected(key):
    """What the constraints of ``key`` ask for, from scikit-learn's constraint objects."""
    words = [_describe(c) for c in AutoEncoder._parameter_constraints[key]]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _not_one_of(value, options):
    close = difflib.get_close_matches(value, options, n=1)
    return f"{value!r} is not one of {', '.join(options)}" + (f" (did you mean {close[0]!r}?)" if close else "")


def _unknown(key, known):
    close = difflib.get_close_matches(str(key), [str(k) for k in known], n=1)
    return "unknown key" + (f" (did you mean {close[0]!r}?)" if close else "")


def _text_number_hint(value):
    """PyYAML (YAML 1.1) reads ``1e-7`` and ``1.0e7`` (no dot, no exponent sign) as strings: say so."""
    if isinstance(value, str) and re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)[eE][-+]?\d+", value.strip()):
        return f" (YAML reads {value!r} as text: write {yaml.safe_dump(float(value)).splitlines()[0]})"
    return ""


#: Keys that are not estimator parameters: key path -> check(value) -> problem or None.
#: Every key here is required; its parents are the sections of the file.
SETTINGS = {
    "data.onehot.n_inputs": _integer(2),
    "data.patterns.n_bits": _integer(1, 12),
    "study.inits": _list_of(_parameter("init_value"), empty="empty list (no runs to train)"),
    "study.seeds": _list_of(_integer(0), empty="empty list (no runs to train)"),
    "paper.seeds": _list_of(_first(_integer(0), _parameter("random_state")), empty="empty list (no runs to train)"),
    "paper.batch_sizes": _list_of(_integer(1), empty="empty list (no runs to train)"),
    "paper.loss_level": _fraction,
    "paper.properties.noise_type": _parameter("noise_type"),
    "paper.properties.levels": _list_of(_fraction, empty="empty list (nothing to measure)"),
    "paper.properties.draws": _integer(1),
    "paper.properties.seed": _integer(0),
    "paper.properties.silent_below": _fraction,
    "anomaly.normal_classes": _list_of(_integer(0, 9), empty="empty list (no runs to train)"),
    "anomaly.seeds": _list_of(_first(_integer(0), _parameter("random_state")), empty="empty list (no runs to train)"),
    "anomaly.figure_class": _integer(0, 9),
    "anomaly.test_size": _fraction,
    "anomaly.split_seed": _first(_integer(0), _parameter("random_state")),
    "train.n_jobs": _integer(nonzero=True, none=True),
    "train.curve_points": _integer(2),
    "family.sizes": _list_of(_power_of_two, empty="empty list (no runs to train)"),
    "family.extra_code_units": _list_of(_integer(0, 16), empty="empty list (no runs to train)"),
    "family.n_seeds": _integer(1),
    "family.cost_fit_min_n": _integer(2),
    "family.max_stack": _integer(1, none=True),
    "tracking.experiment": _text,
    "tracking.history_points": _integer(2),
    "tracking.n_jobs": _integer(1),
    "tracking.lock_wait": _integer(0, 3600),
    "symmetry.dtypes": _list_of(_parameter("dtype"), empty="empty list (no runs to train)"),
    "symmetry.separated_at": _fraction,
    "symmetry.perturbation.init_value": _parameter("init_value"),
    "symmetry.perturbation.sizes": _list_of(_first(_fraction, _parameter("init_jitter"))),
    "symmetry.perturbation.max_iter": _parameter("max_iter"),
    "symmetry.kernels.core_types": _list_of(_text),
    "symmetry.kernels.max_iter": _parameter("max_iter"),
    "symmetry.stop_rules.readings": _list_of(_parameter("stop_rule"), empty="empty list (no runs to train)"),
    "symmetry.stop_rules.patience": _list_of(_parameter("n_iter_no_change"), empty="empty list (no runs to train)"),
    "symmetry.stop_rules.mechanisms": _list_of(_parameter("init_jitter"), empty="empty list (no runs to train)"),
}


# -- checks of estimator blocks: (path, value, params) -> [(path, problem)] --


def _estimator(*, required=(), overridden=None, protocol_overrides=False):
    """A mapping of AutoEncoder parameters.

    ``required`` keys are read by the stage itself; ``overridden`` maps keys
    the stage sets for every run to what sets them; with
    ``protocol_overrides`` the block may hold ``protocols: {name: {...}}``.
    """
    overridden = overridden or {}
    overrides_check = _estimator(overridden=overridden) if protocol_overrides else None

    def check(path, block, params):
        if not isinstance(block, dict):
            return [(path, f"expected a mapping of AutoEncoder parameters, got {block!r}")]
        problems = []
        for key, value in block.items():
            where = f"{path}.{key}"
            if key == "protocols" and protocol_overrides:
                problems += _protocol_overrides(where, value, params, overrides_check)
            elif key not in AutoEncoder._parameter_constraints:
                problems.append((where, _unknown(key, AutoEncoder._parameter_constraints)))
            elif key in overridden:
                problems.append((where, f"has no effect: {overridden[key]} sets it for every run"))
            else:
                problem = _parameter(key)(value)
                if problem:
                    problems.append((where, problem))
        problems += [(f"{path}.{key}", "missing (the stage reads it)") for key in required if key not in block]
        return problems

    return check


def _protocol_overrides(path, overrides, params, block_check):
    """A configuration's ``protocols``: protocol name -> parameters of its own."""
    if not isinstance(overrides, dict):
        return [(path, f"expected a mapping of protocol name -> AutoEncoder parameters, got {overrides!r}")]
    protocols = (params.get("study") or {}).get("protocols")
    problems = []
    for name, block in overrides.items():
        if isinstance(protocols, dict) and name not in protocols:
            close = difflib.get_close_matches(str(name), list(protocols), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            problems.append((f"{path}.{name}", f"unknown protocol ({hint}study.protocols has {', '.join(protocols)})"))
        else:
            problems += block_check(f"{path}.{name}", block, params)
    return problems


def _named(block, *, required=()):
    """A non-empty mapping of name -> estimator block (one per run of the grid)."""

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


def _family_checks(path, value, params):
    """``family.checks``: name -> a small grid of its own (sizes, inits named in family.inits, n_seeds, estimator)."""
    if not isinstance(value, dict):
        return [(path, f"expected a mapping of check name -> grid, got {value!r}")]
    inits = (params.get("family") or {}).get("inits")
    settings = {"sizes": SETTINGS["family.sizes"], "n_seeds": SETTINGS["family.n_seeds"],
                "inits": _list_of(_text, empty="empty list (no runs to train)")}
    problems = []
    for name, grid in value.items():
        where = f"{path}.{name}"
        if not isinstance(grid, dict):
            problems.append((where, f"expected a mapping of sizes, inits, n_seeds, estimator, got {grid!r}"))
            continue
        known = [*settings, "estimator"]
        problems += [(f"{where}.{key}", _unknown(key, known)) for key in grid if key not in known]
        for key, check in settings.items():
            if key not in grid:
                problems.append((f"{where}.{key}", "missing"))
            elif check(grid[key]):
                problems.append((f"{where}.{key}", check(grid[key])))
        if isinstance(inits, dict) and isinstance(grid.get("inits"), list):
            problems += [(f"{where}.inits", f"unknown init {i!r} (family.inits has {', '.join(map(str, inits))})")
                         for i in grid["inits"] if isinstance(i, str) and i not in inits]
        if "estimator" in grid:
            problems += _estimator(overridden=_SET_BY_FAMILY)(f"{where}.estimator", grid["estimator"], params)
    return problems


_SET_BY_INITS = {"init_value": "study.inits", "random_state": "study.seeds"}
_SET_BY_SEEDS = {"random_state": "paper.seeds"}
_SET_BY_SYMMETRY = {"hidden_layer_sizes": "study.configurations", "init_value": "study.inits",
                    "dtype": "symmetry.dtypes", "max_iter": "symmetry.budget_protocol"}
_SET_BY_STOP_RULES = {"hidden_layer_sizes": "study.configurations", "init_value": "study.inits",
                      "init_jitter": "symmetry.stop_rules.mechanisms", "stop_rule": "symmetry.stop_rules.readings",
                      "n_iter_no_change": "symmetry.stop_rules.patience"}
_SET_BY_FAMILY = {"hidden_layer_sizes": "family.sizes with family.extra_code_units",
                  "random_state": "family.n_seeds"}

def _budget_protocol(path, value, params):
    """The protocol whose ``max_iter`` is the symmetry study's epoch budget: it must set one."""
    problems = _protocol_name(path, value, params)
    protocols = params.get("study", {}).get("protocols") if isinstance(params.get("study"), dict) else None
    block = protocols.get(value) if isinstance(protocols, dict) and isinstance(value, str) else None
    if not problems and isinstance(block, dict) and "max_iter" not in block:
        problems.append((f"study.protocols.{value}.max_iter", f"missing ({path} reads it)"))
    return problems


#: Where AutoEncoder parameters appear: key path -> check(path, value, params) -> [(path, problem)].
def _name_in(section, *, none=False):
    """The name of one entry of ``study.<section>`` (a protocol, an activation setting); with ``none``, or null."""

    def check(path, value, params):
        block = params.get("study", {}).get(section) if isinstance(params.get("study"), dict) else None
        known = list(block) if isinstance(block, dict) else []
        if not known or value in known or (none and value is None):
            return []  # an empty or broken section is reported once, as itself
        return [(path, f"expected one of study.{section} ({', '.join(map(str, known))}){' or null' if none else ''}, "
                       f"got {value!r}")]

    return check


def _each(check):
    """A non-empty list, each item passing the block check ``check``."""

    def each(path, value, params):
        if not isinstance(value, list) or not value:
            return [(path, f"expected a non-empty list, got {value!r}")]
        return [problem for i, item in enumerate(value) for problem in check(f"{path}.{i}", item, params)]

    return each


def _study_controls(path, value, params):
    """``study.controls``: name -> ``configurations`` and ``activations`` (names in study) and an ``estimator``."""
    if not isinstance(value, dict):
        return [(path, f"expected a mapping of control name -> arm, got {value!r}")]
    parts = {"configurations": _each(_name_in("configurations")), "activations": _each(_name_in("activations")),
             "estimator": _estimator(overridden={"random_state": "study.seeds"})}
    problems = []
    for name, arm in value.items():
        where = f"{path}.{name}"
        if not isinstance(arm, dict):
            problems.append((where, f"expected a mapping of {', '.join(parts)}, got {arm!r}"))
            continue
        problems += [(f"{where}.{key}", _unknown(key, list(parts))) for key in arm if key not in parts]
        for key, check in parts.items():
            problems += check(f"{where}.{key}", arm[key], params) if key in arm else [(f"{where}.{key}", "missing")]
    return problems


_protocol_name = _name_in("protocols")
_activation_name = _name_in("activations")
_activation_name_or_none = _name_in("activations", none=True)
_configuration_name = _name_in("configurations")


BLOCKS = {
    "study.estimator": _estimator(overridden=_SET_BY_INITS),
    "study.configurations": _named(_estimator(required=("hidden_layer_sizes",), overridden=_SET_BY_INITS,
                                              protocol_overrides=True)),
    "study.activations": _named(_estimator(overridden=_SET_BY_INITS)),
    "study.protocols": _named(_estimator(overridden=_SET_BY_INITS)),
    "study.shared_draw": _each(_protocol_name),
    "study.controls": _study_controls,
    "paper.estimator": _estimator(required=("hidden_layer_sizes", "learning_rate_init", "max_iter", "init",
                                            "batch_size"),
                                  overridden=_SET_BY_SEEDS),
    "paper.variants": _named(_estimator(overridden=_SET_BY_SEEDS), required=("plain",)),
    "anomaly.estimator": _estimator(required=("hidden_layer_sizes", "activation"),
                                    overridden={"random_state": "anomaly.seeds"}),
    "family.estimator": _estimator(overridden=_SET_BY_FAMILY),
    "family.inits": _named(_estimator(overridden=_SET_BY_FAMILY)),
    "family.checks": _family_checks,
    "symmetry.estimator": _estimator(overridden=_SET_BY_SYMMETRY),
    "symmetry.budget_protocol": _budget_protocol,
    "symmetry.perturbation.configuration": _configuration_name,
    "symmetry.kernels.configurations": _each(_configuration_name),
    "symmetry.stop_rules.estimator": _estimator(overridden=_SET_BY_STOP_RULES),
    "report.compare_protocol": _protocol_name,
    "report.roles.literal_protocol": _protocol_name,
    "report.roles.jitter_protocol": _protocol_name,
    "report.roles.blog_activation": _activation_name,
    "report.roles.relu_everywhere": _activation_name_or_none,
    "report.roles.relu_hidden": _activation_name_or_none,
}

#: Keys that may be left out.
OPTIONAL = {"study.estimator", "study.shared_draw", "study.controls", "family.checks"}


# -- merged runs: the estimator's cross-parameter checks ---------------------


def _study_runs(params, clean):
    """(label, parameters) of every study run made only of blocks without problems."""
    study = params.get("study")
    grids = ("configurations", "activations", "protocols")
    if not (isinstance(study, dict) and clean("study.estimator") and clean("study.inits")
            and all(isinstance(study.get(g), dict) for g in grids)):
        return []
    kept = {g: {n: b for n, b in study[g].items() if clean(f"study.{g}.{n}")} for g in grids}
    runs = expand_study({"estimator": study.get("estimator") or {}, "inits": study["inits"], **kept})
    return [(f"study run {run.name}", run.params) for run in runs]


def _paper_runs(params, clean):
    paper = params.get("paper")
    if not (isinstance(paper, dict) and clean("paper.estimator") and isinstance(paper.get("variants"), dict)):
        return []
    return [(f"paper run paper/{name}", {**paper["estimator"], **variant})
            for name, variant in paper["variants"].items() if clean(f"paper.variants.{name}")]


def _anomaly_runs(params, clean):
    anomaly = params.get("anomaly")
    return [("anomaly.estimator", anomaly["estimator"])] if clean("anomaly.estimator") else []


def _family_runs(params, clean):
    """One merged run per family init (sizes and seeds change nothing the estimator cross-checks)."""
    family = params.get("family")
    if not (isinstance(family, dict) and clean("family.estimator") and isinstance(family.get("inits"), dict)):
        return []
    runs = [(f"family init {name}", {**family["estimator"], **init})
            for name, init in family["inits"].items() if clean(f"family.inits.{name}")]
    checks = family.get("checks")
    if isinstance(checks, dict) and clean("family.checks") and clean("family.inits"):
        runs += [(f"family check {name} init {init}", {**family["estimator"], **family["inits"][init],
                                                       **(grid.get("estimator") or {})})
                 for name, grid in checks.items() for init in grid["inits"]]
    return runs


#: Each source of runs: (params, clean) -> [(label, merged AutoEncoder parameters)].
def _symmetry_runs(params, clean):
    """Every symmetric-start run, once its block and the study's grid are clean."""
    if not (clean("symmetry") and clean("study") and isinstance(params.get("symmetry"), dict)):
        return []
    return [(f"symmetry run {run.name}", run.params) for run in expand_symmetry(params["symmetry"], params["study"])]


RUNS = [_study_runs, _paper_runs, _anomaly_runs, _family_runs, _symmetry_runs]


def _merged_problems(runs):
    """The estimator's own checks of each merged run; one line per distinct problem."""
    seen = {}
    for label, merged in runs:
        try:
            _estimator_problem(merged)
        except ValueError as exc:
            seen.setdefault(str(exc).rstrip("."), []).append(label)
    return [(labels[0], message + (f" (and {len(labels) - 1} more runs)" if len(labels) > 1 else ""))
            for message, labels in seen.items()]


# -- the whole file ----------------------------------------------------------


def _children(path):
    """The keys of section ``path`` ("" is the top level), in table order."""
    prefix = f"{path}." if path else ""
    return list(dict.fromkeys(k[len(prefix):].split(".")[0] for k in [*SETTINGS, *BLOCKS] if k.startswith(prefix)))


def _one_line(text):
    """``text`` as one printable line: a key or value holding a newline (or another control character) is escaped."""
    return text if text.isprintable() else text.encode("unicode_escape").decode("ascii")


def _shown(key):
    """A key as one line can show it: as written, or its repr when it holds odd characters (a newline, ...)."""
    return key if isinstance(key, str) and key.isprintable() and key.strip() == key and key else repr(key)


def _walk(node, path, params):
    if path in SETTINGS:
        problem = SETTINGS[path](node)
        return [(path, problem)] if problem else []
    if path in BLOCKS:
        return BLOCKS[path](path, node, params)
    children = _children(path)
    if not isinstance(node, dict):
        return [(path or "top level", f"expected a mapping of {', '.join(children)}, got {node!r}")]
    join = (lambda key: f"{path}.{key}") if path else str
    problems = [(join(_shown(key)), _unknown(key, children)) for key in node if key not in children]
    for key in children:
        if key in node:
            problems += _walk(node[key], join(key), params)
        elif join(key) not in OPTIONAL:
            problems.append((join(key), "missing"))
    return problems


#: No setting needs an integer past what a float holds exactly; past it, numbers overflow where they are used.
HUGE = 2**53


def _huge_integers(node, path):
    """``(path, problem)`` for every integer anywhere in ``node`` whose size is past :data:`HUGE`."""
    if isinstance(node, dict):
        return [found for key, value in node.items()
                for found in _huge_integers(value, f"{path}.{_shown(key)}" if path else _shown(key))]
    if isinstance(node, list):
        return [found for value in node for found in _huge_integers(value, path)]
    if isinstance(node, Integral) and not isinstance(node, bool) and abs(node) > HUGE:
        return [(path, f"expected a number of at most 2**53 in size, got an integer of {len(str(abs(node)))} digits")]
    return []


def validate_params(params):
    """Every problem of a parsed ``params.yaml``, before any training.

    Parameters
    ----------
    params : dict
        The parsed file.

    Returns
    -------
    problems : list of str
        One line per problem, ``key.path: what is wrong, got <value>``;
        empty when the file is valid. Estimator parameters are checked
        against ``AutoEncoder._parameter_constraints``; each run's merged
        parameters (study, paper variants, anomaly) against the estimator's
        cross-parameter checks, naming the run.

    Examples
    --------
    >>> problems = validate_params({"train": {"n_jobs": "two", "curve_points": 10}, "tracking": {}})
    >>> [p for p in problems if not p.endswith(": missing")]
    ["train.n_jobs: expected an integer other than 0 or null, got 'two'"]
    >>> [p for p in problems if p.startswith("tracking")]
    ['tracking.experiment: missing', 'tracking.history_points: missing', 'tracking.n_jobs: missing', 'tracking.lock_wait: missing']
    """
    problems = _walk(params, "", params)
    problems += [(path, problem) for path, problem in _huge_integers(params, "")
                 if path not in {p for p, _ in problems}]
    bad = [path for path, _ in problems]

    def clean(path):
        return not any(q == path or q.startswith(f"{path}.") or path.startswith(f"{q}.") for q in bad)

    for runs in RUNS:
        problems += _merged_problems(runs(params, clean))
    return [_one_line(f"{path}: {message}") for path, message in problems]
