"""The blog study's grid: from ``params.yaml`` to one estimator per run.

A study is configurations x activation settings x inits x protocols. Each
block of the study holds the estimator's own parameter names, so a run's
parameters are the blocks merged in order (shared estimator settings,
configuration, activation setting, protocol, the configuration's own
overrides of that protocol, init) and passed straight to
``AutoEncoder(**params)``: no translation layer. A configuration overrides
a protocol under ``protocols: {name: {...}}`` (e.g. an epoch budget of its
own), so that changing it touches that configuration alone.
"""

from ..grid import GridRun

__all__ = ["expand_study", "run_name"]


def run_name(configuration, activation, protocol, init_value):
    """The run's name, ``configuration/activation/protocol/c<init>``."""
    return f"{configuration}/{activation}/{protocol}/c{init_value:g}"


def expand_study(study, configurations=None):
    """Every run of a study, in a stable order.

    Parameters
    ----------
    study : dict
        The ``study`` block of ``params.yaml``: ``estimator`` (shared
        parameters), ``configurations``, ``activations`` and ``protocols``
        (name -> parameters; a configuration may hold ``protocols``
        overrides of its own) and ``inits`` (list of constants).
    configurations : list of str, default=None
        Only these configurations (all when ``None``).

    Returns
    -------
    runs : list of GridRun
        Coordinates ``configuration``, ``activation``, ``protocol``, ``init_value``.
    """
    names = list(study["configurations"]) if configurations is None else list(configurations)
    runs = []
    for configuration in names:
        arch = dict(study["configurations"][configuration])
        overrides = arch.pop("protocols", None) or {}
        for activation, act_params in study["activations"].items():
            for protocol, proto in study["protocols"].items():
                for value in study["inits"]:
                    params = {
                        **study.get("estimator", {}),
                        **arch,
                        **act_params,
                        **proto,
                        **overrides.get(protocol, {}),
                        "init_value": float(value),
                    }
                    coords = {"configuration": configuration, "activation": activation, "protocol": protocol,
                              "init_value": float(value)}
                    runs.append(GridRun(run_name(configuration, activation, protocol, value), coords, params))
    return runs
