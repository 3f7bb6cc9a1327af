"""The anomaly study's slice of the ``params.yaml`` schema: the ``anomaly`` block and its runs."""

from ..estimator_checks import estimator, merged_problems, parameter
from ..schema import Schema, first, fraction, integer, list_of, name_in

__all__ = ["SCHEMA"]


def _figure_class(path, value, params):
    """The digit whose scores are drawn: a digit, and one of the normal classes (which the stage need not read)."""
    problem = integer(0, 9)(value)
    return [(path, problem)] if problem else name_in("anomaly.normal_classes")(path, value, params)


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
        "anomaly.split_seed": first(integer(0), parameter("random_state")),
    },
    blocks={
        "anomaly.figure_class": _figure_class,
        "anomaly.estimator": estimator(required=("hidden_layer_sizes", "activation"),
                                       overridden={"random_state": "anomaly.seeds"}),
    },
    runs=(_runs,),
    sections=frozenset({"anomaly"}),
)
