"""The loss study's grid, from the ``loss`` and ``study`` blocks of ``params.yaml``.

Every configuration of ``study.configurations`` x each loss of
``loss.compared`` x init x seed, on the blog's 16 one-hot inputs. A run's
parameters are the blog study's for the activation setting
``loss.activation`` under the protocol ``loss.protocol`` (shared estimator
settings, configuration, activation setting, protocol, the configuration's
own overrides of it), then ``loss.estimator`` (no stop rule), the loss, the
configuration's common budget ``loss.budgets`` and the epochs at which its
weights are kept (every ``loss.checkpoint_every``, and the last).

Replicate ``s`` of the ``k``-th init trains with ``random_state = s *
len(inits) + k``, as in the blog study
(:func:`aerepro.grid.random_state_of`), so its start (the constant plus its
jitter draw) is the blog's run's; the two losses of one configuration, init
and seed share that start exactly, which pairs them (:data:`PAIRED_BY`).
"""

from ..grid import GridRun, random_state_of

__all__ = ["PAIRED_BY", "reading_epochs", "n_readings", "run_name", "expand_loss"]

#: The coordinates that pair a run of one loss with the other loss's run from the same start.
PAIRED_BY = ("configuration", "init_value", "seed")


def reading_epochs(budget, every):
    """The epochs at which a run's weights are kept: 0, every ``every``-th epoch and the budget itself.

    Examples
    --------
    >>> reading_epochs(250, 100)
    [0, 100, 200, 250]
    """
    return sorted({*range(0, int(budget) + 1, int(every)), int(budget)})


def n_readings(budget, every):
    """How many epochs :func:`reading_epochs` keeps, counted without listing them (a budget may be any size).

    Examples
    --------
    >>> n_readings(250, 100), len(reading_epochs(250, 100)), n_readings(200, 100), n_readings(10**30, 100)
    (4, 4, 3, 10000000000000000000000000001)
    """
    budget, every = int(budget), int(every)
    return budget // every + 1 + (budget % every != 0)


def run_name(configuration, loss, init_value, seed):
    """The run's name, ``configuration/loss/c<init>/seed<seed>``."""
    return f"{configuration}/{loss}/c{init_value:g}/seed{seed}"


def expand_loss(loss, study):
    """Every run of the loss study, in a stable order.

    Parameters
    ----------
    loss : dict
        The ``loss`` block: ``protocol``, ``activation``, ``compared``,
        ``estimator``, ``budgets`` (configuration -> epochs) and
        ``checkpoint_every``.
    study : dict
        The ``study`` block: ``estimator``, ``configurations``,
        ``activations``, ``protocols``, ``inits`` and ``seeds``.

    Returns
    -------
    runs : list of GridRun
        Coordinates ``configuration``, ``loss``, ``init_value`` and ``seed``.
    """
    protocol, activation, inits = loss["protocol"], loss["activation"], study["inits"]
    runs = []
    for configuration, block in study["configurations"].items():
        arch = {k: v for k, v in block.items() if k != "protocols"}
        own = (block.get("protocols") or {}).get(protocol) or {}
        budget = loss["budgets"][configuration]
        for name in loss["compared"]:
            for index, value in enumerate(inits):
                for seed in study["seeds"]:
                    params = {**study.get("estimator", {}), **arch, **study["activations"][activation],
                              **study["protocols"][protocol], **own, **loss["estimator"],
                              "loss": name, "max_iter": int(budget), "init_value": float(value),
                              "checkpoint_epochs": reading_epochs(budget, loss["checkpoint_every"]),
                              "random_state": random_state_of(seed, index, len(inits))}
                    coords = {"configuration": configuration, "loss": name, "init_value": float(value),
                              "seed": int(seed)}
                    runs.append(GridRun(run_name(configuration, name, value, seed), coords, params))
    return runs
