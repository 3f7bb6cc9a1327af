"""Grids of runs: where each trained model sits, and its estimator parameters.

Every study expands its block of ``params.yaml`` into a list of
:class:`GridRun`: a name, the coordinates that place the run in its grid
(the first columns of its row in ``runs.csv``) and the ``AutoEncoder``
parameters, merged from the blocks in order. :func:`make_estimator` is the
one place a parameter dict read from YAML becomes an estimator.
"""

from dataclasses import dataclass, field

__all__ = ["GridRun", "make_estimator"]


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
