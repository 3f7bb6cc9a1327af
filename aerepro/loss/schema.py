"""The loss study's slice of the ``params.yaml`` schema: the ``loss`` block and its runs.

The study also reads the blog's networks (``study.estimator``,
``study.configurations``, ``study.activations``, ``study.protocols``,
``study.inits``, ``study.seeds``), whose rules are the shared
:mod:`aerepro.networks`.
"""

from ..estimator_checks import estimator, merged_problems, parameter
from ..networks import SCHEMA as NETWORKS
from ..networks import activation_name, configuration_name, protocol_name
from ..schema import Schema, first, integer, list_of, lookup
from .grid import expand_loss, n_readings

__all__ = ["SCHEMA", "MAX_READINGS"]

#: Kept epochs per run at most: MLflow logs a run's ``checkpoint_epochs`` as one parameter of at most 6,000 characters.
MAX_READINGS = 600

_SET_BY_LOSS = {"loss": "loss.compared", "max_iter": "loss.budgets", "checkpoint_epochs": "loss.checkpoint_every",
                "hidden_layer_sizes": "study.configurations", "init_value": "study.inits",
                "random_state": "study.seeds"}


def _two(value):
    """Exactly two losses: the claim sets the first against the second."""
    return None if len(value) == 2 else f"expected two losses (the first claimed faster than the second), got {value!r}"


def _budgets(path, value, params):
    """Configuration -> its common epoch budget, for every configuration of ``study.configurations`` and no other."""
    if not isinstance(value, dict) or not value:
        return [(path, f"expected a mapping of configuration -> epochs, got {value!r}")]
    problems = []
    for name, epochs in value.items():
        problems += configuration_name(f"{path}.{name}", name, params)
        problem = parameter("max_iter")(epochs)
        if problem:
            problems.append((f"{path}.{name}", problem))
    configurations = lookup(params, "study.configurations")
    if isinstance(configurations, dict):
        problems += [(f"{path}.{name}", "missing (every configuration of study.configurations trains both losses)")
                     for name in configurations if name not in value]
    every = lookup(params, "loss.checkpoint_every")
    if not problems and isinstance(every, int) and every >= 1:
        problems += [(f"{path}.{name}", f"{n_readings(epochs, every)} kept epochs a run at "
                                        f"loss.checkpoint_every={every}: at most {MAX_READINGS} (MLflow logs them "
                                        "as one parameter); raise loss.checkpoint_every")
                     for name, epochs in value.items() if n_readings(epochs, every) > MAX_READINGS]
    return problems


def _runs(view, clean):
    """The estimator's cross-parameter checks of every run, where a stage reads the whole grid and its blocks are clean."""
    loss, study = view.get("loss"), view.get("study")
    if not (clean("loss") and clean("study") and isinstance(loss, dict) and isinstance(study, dict)
            and "configurations" in study and "inits" in study and "seeds" in study):
        return []
    return merged_problems([(f"loss run {run.name}", run.params) for run in expand_loss(loss, study)])


SCHEMA = NETWORKS | Schema(
    settings={
        "loss.compared": first(list_of(parameter("loss")), _two),
        "loss.checkpoint_every": integer(1),
    },
    blocks={
        "loss.protocol": protocol_name,
        "loss.activation": activation_name,
        "loss.estimator": estimator(overridden=_SET_BY_LOSS),
        "loss.budgets": _budgets,
    },
    runs=(_runs,),
    sections=frozenset({"loss"}),
)
