"""The anomaly study's slice of the ``params.yaml`` schema: the ``anomaly`` block and its runs."""

from numbers import Real

from ..estimator_checks import estimator, merged_problems, parameter
from ..schema import Schema, first, fraction, integer, list_of, lookup, name_in, text_number_hint

__all__ = ["SCHEMA"]


def _figure_class(path, value, params):
    """The digit whose scores are drawn: a digit, and one of the normal classes (which the stage need not read)."""
    problem = integer(0, 9)(value)
    return [(path, problem)] if problem else name_in("anomaly.normal_classes")(path, value, params)


def _share(value):
    """A float in (0, 1]: a share of ``max_iter``."""
    ok = isinstance(value, Real) and not isinstance(value, bool) and 0 < value <= 1
    return None if ok else f"expected a float in (0, 1], got {value!r}{text_number_hint(value)}"


def _validation_size(path, value, params):
    """A fraction of the images that leaves some to train beside ``anomaly.test_size``."""
    problem = fraction(value)
    if problem:
        return [(path, problem)]
    test_size = lookup(params, "anomaly.test_size")
    if fraction(test_size) is None and value + test_size >= 1:
        return [(path, f"{value!r} + anomaly.test_size {test_size!r} leaves no training images (their sum must be "
                       "below 1)")]
    return []


def _runs(view, clean):
    """The estimator's cross-parameter checks of the study's one estimator block."""
    anomaly = view.get("anomaly")
    if not (isinstance(anomaly, dict) and "estimator" in anomaly and clean("anomaly.estimator")):
        return []
    return merged_problems([("anomaly.estimator", anomaly["estimator"])])


SCHEMA = Schema(
    settings={
        "anomaly.normal_classes": list_of(integer(0, 9), empty="empty list (no runs to train)"),
        "anomaly.seeds": list_of(first(integer(0), parameter("random_state")), empty="empty list (no runs to train)"),
        "anomaly.test_size": fraction,
        "anomaly.epoch_fractions": list_of(_share, empty="empty list (no candidate to choose)"),
    },
    blocks={
        "anomaly.validation_size": _validation_size,
        "anomaly.figure_class": _figure_class,
        "anomaly.estimator": estimator(required=("hidden_layer_sizes", "activation"),
                                       overridden={"random_state": "anomaly.seeds",
                                                   "checkpoint_epochs": "anomaly.epoch_fractions"}),
    },
    runs=(_runs,),
    sections=frozenset({"anomaly"}),
)
