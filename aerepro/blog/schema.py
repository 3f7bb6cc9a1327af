"""The blog study's slice of the ``params.yaml`` schema: the ``study`` block, its ``report`` block, and its runs."""

from ..estimator_checks import merged_problems
from ..networks import SCHEMA as NETWORKS
from ..networks import activation_name, configuration_name, protocol_name
from ..schema import Schema, name_in
from .grid import expand_study

__all__ = ["SCHEMA"]

_GRIDS = ("configurations", "activations", "protocols")


def _runs(view, clean):
    """The estimator's cross-parameter checks of every study run read, made only of blocks without problems."""
    study = view.get("study")
    if not (isinstance(study, dict) and "inits" in study and all(isinstance(study.get(g), dict) for g in _GRIDS)
            and clean("study.estimator") and clean("study.inits")):
        return []
    kept = {g: {n: b for n, b in study[g].items() if clean(f"study.{g}.{n}")} for g in _GRIDS}
    arms = study.get("sensitivity") if clean("study.sensitivity") else None
    runs = expand_study({"estimator": study.get("estimator") or {}, "inits": study["inits"], **kept,
                         "sensitivity": {n: a for n, a in (arms or {}).items()
                                         if set(a.get("protocols", ())) <= set(kept["protocols"])}})
    return merged_problems([(f"study run {run.name}", run.params) for run in runs])


SCHEMA = NETWORKS | Schema(
    blocks={
        "report.compare_protocol": protocol_name,
        "report.stop_rule_on": configuration_name,
        "report.roles.literal_protocol": protocol_name,
        "report.roles.jitter_protocol": protocol_name,
        "report.roles.blog_activation": activation_name,
        "report.roles.relu_everywhere": name_in("study.activations", none=True),
        "report.roles.relu_hidden": name_in("study.activations", none=True),
    },
    runs=(_runs,),
    sections=frozenset({"report"}),
)
