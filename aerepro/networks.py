"""The ``study`` block of ``params.yaml``: the blog's networks, activation settings, inits, protocols and seeds.

More than one study trains these networks (the blog study, the symmetric
start), so the block's schema lives on the shared floor; each study expands
it into runs in its own ``grid``.
"""

import difflib

from .estimator_checks import estimator, parameter
from .schema import Schema, arms, each, integer, list_of, name_in, named, setting, text

__all__ = ["SCHEMA", "SET_BY_STUDY", "protocol_name", "activation_name", "configuration_name"]

#: Estimator parameters the study sets for every run, and what sets them.
SET_BY_STUDY = {"init_value": "study.inits", "random_state": "study.seeds"}

protocol_name = name_in("study.protocols")
activation_name = name_in("study.activations")
configuration_name = name_in("study.configurations")


def _protocol_overrides(path, overrides, params):
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
            problems += estimator(overridden=SET_BY_STUDY)(f"{path}.{name}", block, params)
    return problems


#: ``study.controls``: name -> ``configurations`` and ``activations`` (names in study) and an ``estimator``.
_controls = arms({"configurations": each(configuration_name), "activations": each(activation_name),
                  "estimator": estimator(overridden={"random_state": "study.seeds"})}, "control")


#: ``study.sensitivity``: arm name -> the ``protocols`` it reruns, with ``estimator`` parameters on top and/or
#: under an OpenBLAS ``core_type`` (at least one of the two).
_arm_parts = arms({"protocols": each(protocol_name), "estimator": estimator(overridden=SET_BY_STUDY),
                   "core_type": setting(text)}, "sensitivity arm", optional=("estimator", "core_type"))


def _sensitivity(path, value, params):
    problems = _arm_parts(path, value, params)
    for name, arm in (value.items() if isinstance(value, dict) else ()):
        if not str(name).replace("_", "").replace("-", "").isalnum():
            problems.append((f"{path}.{name}", "an arm's name is letters, digits, - and _ only (it is part of "
                                               "each run's name)"))
        elif isinstance(arm, dict) and not (arm.get("estimator") or arm.get("core_type")):
            problems.append((f"{path}.{name}", "an arm changes something: give it `estimator` parameters, a "
                                               "`core_type`, or both"))
    return problems


SCHEMA = Schema(
    settings={
        "study.inits": list_of(parameter("init_value"), empty="empty list (no runs to train)"),
        "study.seeds": list_of(integer(0), empty="empty list (no runs to train)"),
    },
    blocks={
        "study.estimator": estimator(overridden=SET_BY_STUDY),
        "study.configurations": named(estimator(required=("hidden_layer_sizes",), overridden=SET_BY_STUDY,
                                                nested={"protocols": _protocol_overrides})),
        "study.activations": named(estimator(overridden=SET_BY_STUDY)),
        "study.protocols": named(estimator(overridden=SET_BY_STUDY)),
        "study.shared_draw": each(protocol_name),
        "study.controls": _controls,
        "study.sensitivity": _sensitivity,
    },
    optional=frozenset({"study.estimator", "study.shared_draw", "study.controls", "study.sensitivity"}),
    sections=frozenset({"study"}),
)
