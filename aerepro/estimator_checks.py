"""Checks of AutoEncoder parameters written in ``params.yaml``, from the estimator's own declarations.

Each value is checked against ``AutoEncoder._parameter_constraints`` (so
there is no second list to drift) and each run's merged parameters against
the estimator's cross-parameter checks. Imported only by the schemas of
stages that read estimator parameters: it imports ``ae`` and scikit-learn.
"""

import difflib

from sklearn.utils._param_validation import (
    InvalidParameterError,
    StrOptions,
    make_constraint,
    validate_parameter_constraints,
)

from ae import AutoEncoder
from ae.network import check_hidden_layer_sizes

from .grid import make_estimator
from .schema import text_number_hint, unknown

__all__ = ["parameter", "estimator", "merged_problems"]


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


def parameter(key):
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
            return f"expected {_expected(key)}, got {value!r}{text_number_hint(value)}"
        shape = YAML_SHAPES.get(key)
        return shape(value) if shape else None

    return check


def estimator(*, required=(), overridden=None, nested=None):
    """A block check: a mapping of AutoEncoder parameters.

    ``required`` keys are read by the stage itself; ``overridden`` maps keys
    the stage sets for every run to what sets them; ``nested`` maps a key
    that is not a parameter to the block check of its value (e.g. a
    configuration's ``protocols`` overrides).
    """
    overridden = overridden or {}
    nested = nested or {}

    def check(path, block, params):
        if not isinstance(block, dict):
            return [(path, f"expected a mapping of AutoEncoder parameters, got {block!r}")]
        problems = []
        for key, value in block.items():
            where = f"{path}.{key}"
            if key in nested:
                problems += nested[key](where, value, params)
            elif key not in AutoEncoder._parameter_constraints:
                problems.append((where, unknown(key, AutoEncoder._parameter_constraints)))
            elif key in overridden:
                problems.append((where, f"has no effect: {overridden[key]} sets it for every run"))
            else:
                problem = parameter(key)(value)
                if problem:
                    problems.append((where, problem))
        problems += [(f"{path}.{key}", "missing (the stage reads it)") for key in required if key not in block]
        return problems

    return check


def _estimator_problem(params):
    """Raise the estimator's own ``ValueError`` when ``params`` do not go together.

    Each value was already checked against its own constraint, so only the
    cross-parameter rules run (``check_params(constraints=False)``).
    """
    make_estimator(params).check_params(constraints=False)


def merged_problems(runs):
    """The estimator's own checks of each merged run ``(label, parameters)``; one line per distinct problem."""
    seen = {}
    for label, merged in runs:
        try:
            _estimator_problem(merged)
        except ValueError as exc:
            seen.setdefault(str(exc).rstrip("."), []).append(label)
    return [(labels[0], message + (f" (and {len(labels) - 1} more runs)" if len(labels) > 1 else ""))
            for message, labels in seen.items()]
