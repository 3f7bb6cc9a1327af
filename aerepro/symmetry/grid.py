"""The symmetric-start study's grid, from the ``symmetry`` and ``study`` blocks of ``params.yaml``.

Four arms, every run on the blog's 16 one-hot inputs with its optimizer
(``symmetry.estimator``):

- ``start``: every configuration x constant x dtype, exact constant init
  (no jitter), no early stop, trained to the configuration's budget (the
  ``max_iter`` of ``symmetry.budget_protocol``), recording the spread
  between the hidden units;
- ``perturbed``: one configuration and constant, the same start with one
  weight moved by each of ``perturbation.sizes``: how the epoch at which the
  units separate depends on the size of the seed;
- ``kernel``: the same exact start under each OpenBLAS core type of
  ``kernels.core_types`` (trained in a process of its own with
  ``OPENBLAS_CORETYPE`` set), for ``kernels.configurations``;
- ``stop_rule``: every configuration x constant x symmetry mechanism
  (``stop_rules.mechanisms``: init_jitter values) x reading of the blog's
  "loss changes less than 1e-7 in 1 epoch" (``stop_rule``) x patience.
"""

import numpy as np

from ..grid import GridRun, make_estimator

__all__ = ["epoch_budget", "expand_symmetry", "estimator_of"]


def epoch_budget(study, configuration, protocol):
    """The epoch budget of ``configuration`` under ``protocol`` (its own override, else the protocol's)."""
    own = (study["configurations"][configuration].get("protocols") or {}).get(protocol) or {}
    return own.get("max_iter", study["protocols"][protocol]["max_iter"])


def _coords(arm, configuration, init_value, dtype, **more):
    return {"arm": arm, "configuration": configuration, "init_value": float(init_value), "dtype": dtype,
            "core_type": "", "perturbation": 0.0, "stop_rule": "", "patience": 0, "init_jitter": 0.0, **more}


def _start_runs(symmetry, study):
    runs = []
    for configuration, arch in study["configurations"].items():
        for value in study["inits"]:
            for dtype in symmetry["dtypes"]:
                params = {**symmetry["estimator"], "hidden_layer_sizes": arch["hidden_layer_sizes"],
                          "init_value": float(value), "dtype": dtype,
                          "max_iter": epoch_budget(study, configuration, symmetry["budget_protocol"])}
                runs.append(GridRun(f"start/{configuration}/c{value:g}/{dtype}",
                                    _coords("start", configuration, value, dtype), params))
    return runs


def _perturbed_runs(symmetry, study):
    arm = symmetry["perturbation"]
    configuration, value = arm["configuration"], float(arm["init_value"])
    runs = []
    for size in arm["sizes"]:
        for dtype in symmetry["dtypes"]:
            params = {**symmetry["estimator"], "hidden_layer_sizes": study["configurations"][configuration]["hidden_layer_sizes"],
                      "init_value": value, "dtype": dtype, "max_iter": arm["max_iter"]}
            runs.append(GridRun(f"perturbed/{configuration}/c{value:g}/{size:g}/{dtype}",
                                _coords("perturbed", configuration, value, dtype, perturbation=float(size)), params))
    return runs


def _kernel_runs(symmetry, study):
    arm = symmetry["kernels"]
    runs = []
    for core_type in arm["core_types"]:
        for configuration in arm["configurations"]:
            for value in study["inits"]:
                for dtype in symmetry["dtypes"]:
                    params = {**symmetry["estimator"],
                              "hidden_layer_sizes": study["configurations"][configuration]["hidden_layer_sizes"],
                              "init_value": float(value), "dtype": dtype, "max_iter": arm["max_iter"]}
                    runs.append(GridRun(f"kernel/{core_type}/{configuration}/c{value:g}/{dtype}",
                                        _coords("kernel", configuration, value, dtype, core_type=core_type), params))
    return runs


def _stop_rule_runs(symmetry, study):
    rules = symmetry["stop_rules"]
    runs = []
    for configuration, arch in study["configurations"].items():
        for value in study["inits"]:
            for jitter in rules["mechanisms"]:
                for reading in rules["readings"]:
                    for patience in rules["patience"]:
                        params = {**symmetry["estimator"], **rules["estimator"],
                                  "hidden_layer_sizes": arch["hidden_layer_sizes"], "init_value": float(value),
                                  "init_jitter": float(jitter), "stop_rule": reading, "n_iter_no_change": patience}
                        name = f"stop_rule/{configuration}/c{value:g}/jitter{jitter:g}/{reading}/p{patience}"
                        coords = _coords("stop_rule", configuration, value, params.get("dtype", "float64"),
                                         stop_rule=reading, patience=int(patience), init_jitter=float(jitter))
                        runs.append(GridRun(name, coords, params))
    return runs


def expand_symmetry(symmetry, study):
    """Every run of the symmetric-start study, in a stable order (the arms as the module docstring says).

    Returns
    -------
    runs : list of GridRun
        Coordinates ``arm``, ``configuration``, ``init_value``, ``dtype``,
        ``core_type`` (the ``OPENBLAS_CORETYPE`` of the kernel arm; empty:
        the kernel the machine picks), ``perturbation`` (the moved weight's
        change; 0 outside that arm),
        ``stop_rule``, ``patience`` and ``init_jitter`` (for the stop-rule arm).
    """
    return (_start_runs(symmetry, study) + _perturbed_runs(symmetry, study) + _kernel_runs(symmetry, study)
            + _stop_rule_runs(symmetry, study))


def estimator_of(run, n_features):
    """The run's unfitted estimator; a perturbed run starts from the constant weights with one weight moved.

    The moved weight is the first input's weight into the first hidden unit;
    the estimator continues from those weights (``warm_start``).
    """
    est = make_estimator(run.params)
    size = run.coords["perturbation"]
    if size:
        sizes = [n_features, *est.hidden_layer_sizes, n_features]
        dtype = np.dtype(est.dtype)
        est.coefs_ = [np.full((a, b), est.init_value, dtype=dtype) for a, b in zip(sizes[:-1], sizes[1:])]
        est.intercepts_ = [np.zeros(b, dtype=dtype) for b in sizes[1:]]
        est.coefs_[0][0, 0] += dtype.type(size)
        est.set_params(warm_start=True)
    return est
