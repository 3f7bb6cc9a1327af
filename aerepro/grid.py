"""Grids of runs: where each trained model sits, and its estimator parameters.

Every study expands its block of ``params.yaml`` into a list of
:class:`GridRun`: a name, the coordinates that place the run in its grid
(the first columns of its row in ``runs.csv``) and the ``AutoEncoder``
parameters, merged from the blocks in order. :func:`make_estimator` is the
one place a parameter dict read from YAML becomes an estimator.
"""

from dataclasses import dataclass, field

__all__ = ["GridRun", "make_estimator", "random_state_of"]


def random_state_of(seed, init_index, n_inits):
    """The ``random_state`` of replicate ``seed`` of the ``init_index``-th of ``n_inits`` inits: distinct for
    every run of a grid over inits and seeds, and the same start wherever a study trains that replicate.

    Examples
    --------
    >>> random_state_of(2, 1, 5)
    11
    """
    return int(seed) * int(n_inits) + int(init_index)


def make_estimator(params):
    """An unfitted :class:`~ae.AutoEncoder` from YAML-read parameters (lists become tuples).

    ``ae`` (and with it scikit-learn, about a second to import) is imported
    here, not with the module: stages that only read a grid's names, such
    as the code analysis, do without it.
    """
    from ae import AutoEncoder

    params = dict(params)
    if isinstance(params.get("hidden_layer_sizes"), list):
        params["hidden_layer_sizes"] = tuple(params["hidden_layer_sizes"])
    return AutoEncoder(**params)


@dataclass(frozen=True)
class GridRun:
    """One trained model of a study.

    Parameters
    ----------
    name : str
        Unique within the study; MLflow's run name and the key of every table.
    coords : dict
        Where the run sits in its grid, column -> value (``configuration``,
        ``seed``, ...), in the order ``runs.csv`` shows them.
    params : dict
        The estimator's parameters.
    """

    name: str
    coords: dict = field(compare=False, hash=False)
    params: dict = field(compare=False, hash=False)

    def estimator(self):
        """A fresh, unfitted :class:`~ae.AutoEncoder` for this run."""
        return make_estimator(self.params)
