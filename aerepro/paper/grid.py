"""The paper's grids, from the ``paper`` block of ``params.yaml``: its variants x seeds, and its batch sizes x seeds."""

from ..grid import GridRun

__all__ = ["VARIANTS", "BATCH_SIZES", "PLAIN", "expand_paper", "expand_batches"]

#: The ``comparison`` coordinate of each grid's runs.
VARIANTS = "variants"
BATCH_SIZES = "batch sizes"
#: The variant that is the paper's own setup (required in ``paper.variants``): every other is measured against it.
PLAIN = "plain"


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
        ``experiment`` ("paper"), ``comparison`` (:data:`VARIANTS`),
        ``variant``, ``batch_size`` (the estimator's), ``seed``.
    """
    batch = paper["estimator"]["batch_size"]
    return [GridRun(f"paper/{variant}/seed{seed}",
                    {"experiment": "paper", "comparison": VARIANTS, "variant": variant, "batch_size": batch,
                     "seed": seed},
                    {**paper["estimator"], **params, "random_state": seed})
            for variant, params in paper["variants"].items() for seed in paper["seeds"]]


def expand_batches(paper):
    """The paper's setup at each of ``paper.batch_sizes``, over its seeds.

    Its table of gradient descent (one sample, a subset, the whole set per
    update) made runs: named ``paper/batch<size>/seed<seed>``; coordinates
    as :func:`expand_paper`'s, ``comparison`` :data:`BATCH_SIZES` and
    ``variant`` ``batch<size>``.
    """
    return [GridRun(f"paper/batch{size}/seed{seed}",
                    {"experiment": "paper", "comparison": BATCH_SIZES, "variant": f"batch{size}",
                     "batch_size": size, "seed": seed},
                    {**paper["estimator"], "batch_size": size, "random_state": seed})
            for size in paper["batch_sizes"] for seed in paper["seeds"]]
