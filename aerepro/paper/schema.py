"""The paper study's slice of the ``params.yaml`` schema: the ``paper`` block and its runs."""

from ..estimator_checks import estimator, merged_problems, parameter
from ..schema import Schema, first, fraction, integer, list_of, named

__all__ = ["SCHEMA"]

_SET_BY_SEEDS = {"random_state": "paper.seeds"}


def _runs(view, clean):
    """The estimator's cross-parameter checks of every variant read, once its block is clean."""
    paper = view.get("paper")
    if not (isinstance(paper, dict) and "estimator" in paper and clean("paper.estimator")
            and isinstance(paper.get("variants"), dict)):
        return []
    return merged_problems([(f"paper run paper/{name}", {**paper["estimator"], **variant})
                            for name, variant in paper["variants"].items() if clean(f"paper.variants.{name}")])


SCHEMA = Schema(
    settings={
        "paper.seeds": list_of(first(integer(0), parameter("random_state")), empty="empty list (no runs to train)"),
        "paper.batch_sizes": list_of(integer(1), empty="empty list (no runs to train)"),
        "paper.equal_updates": list_of(integer(1), empty="empty list (no runs to train)"),
        "paper.noise.epochs": integer(1),
        "paper.noise.seed": integer(0),
        "paper.leave_one_out.seeds": integer(1),
        "paper.loss_level": fraction,
        "paper.properties.noise_type": parameter("noise_type"),
        "paper.properties.levels": list_of(fraction, empty="empty list (nothing to measure)"),
        "paper.properties.draws": integer(1),
        "paper.properties.seed": integer(0),
        "paper.properties.silent_below": fraction,
    },
    blocks={
        "paper.estimator": estimator(required=("hidden_layer_sizes", "learning_rate_init", "max_iter", "init",
                                               "batch_size"), overridden=_SET_BY_SEEDS),
        "paper.variants": named(estimator(overridden=_SET_BY_SEEDS), required=("plain",)),
    },
    runs=(_runs,),
    sections=frozenset({"paper"}),
)
