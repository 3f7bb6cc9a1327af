"""The study grid: from ``params.yaml`` to one estimator per run.

A study is configurations x activation settings x inits x protocols. Each
block of the study holds the estimator's own parameter names, so a run's
parameters are the blocks merged in order (shared estimator settings,
configuration, activation setting, protocol, the configuration's own
overrides of that protocol, init) and passed straight to
``AutoEncoder(**params)``: no translation layer. A configuration overrides
a protocol under ``protocols: {name: {...}}`` (e.g. an epoch budget of its
own), so that changing it touches that configuration alone.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .analysis import binary_fraction, distinct_codes, is_symmetric_collapse, snap
from .estimator import AutoEncoder
from .io import downsample_curve

__all__ = ["Run", "expand_study", "run_name", "fit_facts", "run_record", "codes_frame", "curve_frame"]


@dataclass(frozen=True)
class Run:
    """One trained model of a study: where it sits in the grid, and its parameters."""

    configuration: str
    activation: str
    protocol: str
    init_value: float
    params: dict = field(compare=False, hash=False)

    @property
    def name(self):
        return run_name(self.configuration, self.activation, self.protocol, self.init_value)

    def estimator(self):
        """A fresh, unfitted :class:`~ae.AutoEncoder` for this run."""
        return AutoEncoder(**self.params)


def run_name(configuration, activation, protocol, init_value):
    """The run's name, ``configuration/activation/protocol/c<init>``."""
    return f"{configuration}/{activation}/{protocol}/c{init_value:g}"


def _as_estimator_params(params):
    out = dict(params)
    if "hidden_layer_sizes" in out:
        out["hidden_layer_sizes"] = tuple(out["hidden_layer_sizes"])
    return out


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
    runs : list of Run
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
                    runs.append(Run(configuration, activation, protocol, float(value), _as_estimator_params(params)))
    return runs


def fit_facts(estimator, X):
    """The measured facts of one fitted model, whatever grid it belongs to.

    ``X`` is the training data; the code is ``estimator.transform(X)``. A
    model that diverged has no code to read: its code facts are NaN (and
    ``reconstructs_all`` False), never numbers computed from NaN weights.

    Returns
    -------
    facts : dict
        ``final_loss``, ``epochs``, ``stop_reason``, ``train_seconds``,
        ``stack_size``, ``n_code``, ``distinct_codes``, ``binary_fraction``,
        ``symmetric_collapse``, ``reconstructs_all``.
    """
    curve = estimator.loss_curve_
    facts = {
        "final_loss": float(curve[-1]),
        "epochs": int(estimator.n_iter_),
        "stop_reason": estimator.stop_reason_,
        "train_seconds": float(estimator.train_seconds_),
        "stack_size": int(estimator.stack_size_),
        "n_code": int(estimator._n_features_out),
        "distinct_codes": np.nan,
        "binary_fraction": np.nan,
        "symmetric_collapse": np.nan,
        "reconstructs_all": False,
    }
    H = estimator.transform(X)
    if estimator.stop_reason_ != "diverged" and np.isfinite(H).all():
        S = snap(H)
        facts.update(
            distinct_codes=int(distinct_codes(S)),
            binary_fraction=float(binary_fraction(S)),
            symmetric_collapse=bool(is_symmetric_collapse(H)),
            reconstructs_all=bool(np.array_equal(estimator.predict(X).round(), X)),
        )
    return facts


def run_record(run, estimator, X):
    """The measured facts of one fitted run of the study, as a flat JSON-friendly dict.

    Where the run sits in the grid, then :func:`fit_facts`.
    """
    return {
        "run": run.name,
        "configuration": run.configuration,
        "activation": run.activation,
        "protocol": run.protocol,
        "init_value": run.init_value,
        **fit_facts(estimator, X),
    }


def codes_frame(run, estimator, X):
    """The run's hidden code in long form: ``run, input, unit, value``."""
    H = estimator.transform(X)
    n, k = H.shape
    return pd.DataFrame(
        {
            "run": run.name,
            "input": np.repeat(np.arange(n), k),
            "unit": np.tile(np.arange(k), n),
            "value": H.ravel(),
        }
    )


def curve_frame(run, estimator, max_points):
    """The run's loss curve, downsampled to at most ``max_points`` epochs."""
    epochs, values = downsample_curve(estimator.loss_curve_, max_points)
    return pd.DataFrame({"run": run.name, "epoch": epochs, "loss": values})
