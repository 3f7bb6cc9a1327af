"""The symmetric-start study's slice of the ``params.yaml`` schema: the ``symmetry`` block and its runs.

The study also reads the blog's networks (``study.configurations``,
``study.inits``, ``study.protocols``), whose rules are the shared
:mod:`aerepro.networks`, and the role ``report.roles.blog_activation``.
"""

from ..estimator_checks import estimator, merged_problems, parameter
from ..networks import SCHEMA as NETWORKS
from ..networks import activation_name, configuration_name, protocol_name
from ..schema import Schema, each, first, fraction, list_of, lookup, text
from .grid import expand_symmetry

__all__ = ["SCHEMA"]

_SET_BY_SYMMETRY = {"hidden_layer_sizes": "study.configurations", "init_value": "study.inits",
                    "dtype": "symmetry.dtypes", "max_iter": "symmetry.budget_protocol"}
_SET_BY_STOP_RULES = {"hidden_layer_sizes": "study.configurations", "init_value": "study.inits",
                      "init_jitter": "symmetry.stop_rules.mechanisms", "stop_rule": "symmetry.stop_rules.readings",
                      "n_iter_no_change": "symmetry.stop_rules.patience"}


def _budget_protocol(path, value, params):
    """The protocol whose ``max_iter`` is the study's epoch budget: it must set one."""
    problems = protocol_name(path, value, params)
    protocols = lookup(params, "study.protocols")
    block = protocols.get(value) if isinstance(protocols, dict) and isinstance(value, str) else None
    if not problems and isinstance(block, dict) and "max_iter" not in block:
        problems.append((f"study.protocols.{value}.max_iter", f"missing ({path} reads it)"))
    return problems


def _runs(view, clean):
    """The estimator's cross-parameter checks of every symmetric-start run, where a stage reads the whole grid
    and its blocks are clean."""
    symmetry, study = view.get("symmetry"), view.get("study")
    if not (clean("symmetry") and clean("study") and isinstance(symmetry, dict) and isinstance(study, dict)
            and "dtypes" in symmetry and "inits" in study):
        return []
    runs = expand_symmetry(view["symmetry"], view["study"])
    return merged_problems([(f"symmetry run {run.name}", run.params) for run in runs])


SCHEMA = NETWORKS | Schema(
    settings={
        "symmetry.dtypes": list_of(parameter("dtype"), empty="empty list (no runs to train)"),
        "symmetry.separated_at": fraction,
        "symmetry.perturbation.init_value": parameter("init_value"),
        "symmetry.perturbation.sizes": list_of(first(fraction, parameter("init_jitter"))),
        "symmetry.perturbation.max_iter": parameter("max_iter"),
        "symmetry.kernels.core_types": list_of(text),
        "symmetry.kernels.max_iter": parameter("max_iter"),
        "symmetry.stop_rules.readings": list_of(parameter("stop_rule"), empty="empty list (no runs to train)"),
        "symmetry.stop_rules.patience": list_of(parameter("n_iter_no_change"), empty="empty list (no runs to train)"),
        "symmetry.stop_rules.mechanisms": list_of(parameter("init_jitter"), empty="empty list (no runs to train)"),
    },
    blocks={
        "symmetry.estimator": estimator(overridden=_SET_BY_SYMMETRY),
        "symmetry.budget_protocol": _budget_protocol,
        "symmetry.perturbation.configuration": configuration_name,
        "symmetry.kernels.configurations": each(configuration_name),
        "symmetry.stop_rules.estimator": estimator(overridden=_SET_BY_STOP_RULES),
        "report.roles.blog_activation": activation_name,
    },
    runs=(_runs,),
    sections=frozenset({"symmetry"}),
)
