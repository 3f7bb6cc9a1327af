"""The paper's grid: every variant it names x seeds, from the ``paper`` block of ``params.yaml``."""

from ..grid import GridRun

__all__ = ["expand_paper"]


def expand_paper(paper):
    """Every run of the paper's experiment, in a stable order.

    Parameters
    ----------
    paper : dict
        The ``paper`` block: ``estimator`` (the paper's setup), ``variants``
        (name -> parameters added to it) and ``seeds``.

    Returns
    -------
    runs : list of GridRun
        Variants x seeds, named ``paper/<variant>/seed<seed>``; coordinates
        ``experiment`` ("paper"), ``variant``, ``seed``.
    """
    return [GridRun(f"paper/{variant}/seed{seed}", {"experiment": "paper", "variant": variant, "seed": seed},
                    {**paper["estimator"], **params, "random_state": seed})
            for variant, params in paper["variants"].items() for seed in paper["seeds"]]
