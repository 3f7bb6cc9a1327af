"""The blog study's grid: from ``params.yaml`` to one estimator per run.

A study is configurations x activation settings x protocols x inits x
seeds. Each
block of the study holds the estimator's own parameter names, so a run's
parameters are the blocks merged in order (shared estimator settings,
configuration, activation setting, protocol, the configuration's own
overrides of that protocol, init) and passed straight to
``AutoEncoder(**params)``: no translation layer. A configuration overrides
a protocol under ``protocols: {name: {...}}`` (e.g. an epoch budget of its
own), so that changing it touches that configuration alone.

Seeds are independent replicates: replicate ``s`` of the ``k``-th init
trains with ``random_state = s * len(inits) + k``, so every run of a cell
draws its own jitter (five inits sharing one draw would not be five
independent runs) and a group of runs (one replicate, every init) is the
blog's "five runs with different initial weights".
"""

from itertools import product

from ..grid import GridRun, random_state_of

__all__ = ["SHARED", "ARM", "draws_nothing", "expand_study", "expand_controls", "run_name",
           "shared_name", "arm_name", "source_protocol", "core_type_of", "is_grid_protocol", "is_rerun", "rerun_of"]

#: Suffix of a protocol run the shared-draw way.
SHARED = "+shared"
#: Separator of a protocol and its sensitivity arm in the arm's name (``jitter~p10``).
ARM = "~"


def run_name(configuration, activation, protocol, init_value, seed):
    """The run's name, ``configuration/activation/protocol/c<init>/seed<seed>``."""
    return f"{configuration}/{activation}/{protocol}/c{init_value:g}/seed{seed}"


def draws_nothing(params):
    """Whether a run leaves nothing to chance: a constant start without jitter, full batch, no noise or dropout.

    Its seeds would train bit-identical copies, so it trains once (the first
    seed) and stands for all of them.
    """
    return (params.get("init") == "constant" and not params.get("init_jitter", 0.0)
            and params.get("batch_size") is None and not params.get("noise", 0.0) and not params.get("dropout", 0.0))


def shared_name(protocol):
    """The name of ``protocol`` run the shared-draw way (see :func:`expand_study`)."""
    return f"{protocol}{SHARED}"


def arm_name(protocol, arm):
    """The name of ``protocol`` rerun under the sensitivity arm ``arm``: ``jitter~p10``."""
    return f"{protocol}{ARM}{arm}"


def source_protocol(name):
    """The protocol of ``study.protocols`` a protocol arm runs: ``jitter`` for ``jitter``, ``jitter+shared``
    and ``jitter~p10``."""
    return name.split(ARM)[0].removesuffix(SHARED)


def is_rerun(name):
    """Whether ``name`` is a sensitivity arm's protocol: a grid protocol rerun under one free choice."""
    return ARM in name


def is_grid_protocol(name):
    """Whether ``name`` is a protocol of the grid itself, not a shared-draw control or a sensitivity arm."""
    return not name.endswith(SHARED) and not is_rerun(name)


def rerun_of(run):
    """The grid run a sensitivity arm's run reruns from the same start (its name), or "" for any other run."""
    protocol = run.coords["protocol"]
    if not is_rerun(protocol):
        return ""
    c = run.coords
    return run_name(c["configuration"], c["activation"], source_protocol(protocol), c["init_value"], c["seed"])


def core_type_of(study, protocol):
    """The OpenBLAS core type a protocol arm trains under: its sensitivity arm's ``core_type``, else "" (this
    machine's own)."""
    if not is_rerun(protocol):
        return ""
    return (study.get("sensitivity") or {})[protocol.split(ARM)[1]].get("core_type", "")


def _arms(study):
    """(protocol name, protocol it runs, seeds, random_state of (seed, init index), extra parameters) of every
    protocol arm: the grid's protocols, their shared-draw controls and their sensitivity arms."""
    seeds, n = list(study.get("seeds", [0])), len(study["inits"])

    def own(s, k):
        return random_state_of(s, k, n)

    arms = [(name, name, seeds, own, {}) for name in study["protocols"]]
    arms += [(shared_name(name), name, seeds[:1], lambda s, k: int(s), {}) for name in study.get("shared_draw", [])]
    return arms + [(arm_name(p, arm), p, seeds, own, spec.get("estimator") or {})
                   for arm, spec in (study.get("sensitivity") or {}).items() for p in spec["protocols"]]


def expand_study(study, configurations=None):
    """Every run of a study, in a stable order.

    Parameters
    ----------
    study : dict
        The ``study`` block of ``params.yaml``: ``estimator`` (shared
        parameters), ``configurations``, ``activations`` and ``protocols``
        (name -> parameters; a configuration may hold ``protocols``
        overrides of its own), ``inits`` (list of constants), ``seeds``
        (list of replicate numbers; ``[0]`` when absent) and
        ``shared_draw`` (protocols also run once the shared-draw way, as a
        control: every init draws with ``random_state`` = the first seed,
        so the inits share one jitter pattern; named ``<protocol>+shared``)
        and ``sensitivity`` (arm name -> ``protocols`` to rerun with the
        arm's ``estimator`` parameters on top, and under its ``core_type``
        of OpenBLAS, named ``<protocol>~<arm>``; each run of an arm starts
        where the protocol's run of the same init and seed starts).
    configurations : list of str, default=None
        Only these configurations (all when ``None``).

    Returns
    -------
    runs : list of GridRun
        Coordinates ``configuration``, ``activation``, ``protocol``,
        ``init_value`` and ``seed``; ``params["random_state"]`` from
        :func:`aerepro.grid.random_state_of`. A run that :func:`draws_nothing` trains
        for the first seed only.
    """
    names = list(study["configurations"]) if configurations is None else list(configurations)
    runs = []
    for configuration in names:
        arch = dict(study["configurations"][configuration])
        overrides = arch.pop("protocols", None) or {}
        for activation, act_params in study["activations"].items():
            for protocol, source, seeds, state_of, extra in _arms(study):
                for index, value in enumerate(study["inits"]):
                    params = {
                        **study.get("estimator", {}),
                        **arch,
                        **act_params,
                        **study["protocols"][source],
                        **overrides.get(source, {}),
                        **extra,
                        "init_value": float(value),
                    }
                    for seed in seeds[:1] if draws_nothing(params) else seeds:
                        coords = {"configuration": configuration, "activation": activation, "protocol": protocol,
                                  "init_value": float(value), "seed": int(seed)}
                        runs.append(GridRun(run_name(configuration, activation, protocol, value, seed), coords,
                                            {**params, "random_state": state_of(seed, index)}))
    return runs + expand_controls(study, names)


def expand_controls(study, configurations):
    """The runs of ``study["controls"]``: name -> ``configurations``, ``activations`` and ``estimator``.

    A control is a small arm of its own beside the grid (a random start
    instead of the constant one, say): each of its configurations x
    activation settings x seeds runs once, with the shared estimator
    settings, the configuration's, the activation setting's and then the
    control's ``estimator`` parameters, ``random_state`` = the seed. Its
    protocol coordinate is the control's name and its init is NaN (none of
    the constants).
    """
    runs = []
    for name, control in (study.get("controls") or {}).items():
        for configuration in (c for c in control["configurations"] if c in configurations):
            arch = {k: v for k, v in study["configurations"][configuration].items() if k != "protocols"}
            for activation, seed in product(control["activations"], study.get("seeds", [0])):
                params = {**study.get("estimator", {}), **arch, **study["activations"][activation],
                          **control["estimator"], "random_state": int(seed)}
                coords = {"configuration": configuration, "activation": activation, "protocol": name,
                          "init_value": float("nan"), "seed": int(seed)}
                runs.append(GridRun(f"{configuration}/{activation}/{name}/seed{seed}", coords, params))
    return runs
