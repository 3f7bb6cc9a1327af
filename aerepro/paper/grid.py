"""The paper's grids, from the ``paper`` block of ``params.yaml``: its variants x seeds, its batch sizes x seeds
(at the paper's epochs, and at its number of updates), and its setup trained with one pattern left out."""

from ..grid import GridRun
from .batches import epochs_for_updates, updates_per_epoch

__all__ = ["VARIANTS", "BATCH_SIZES", "EQUAL_UPDATES", "LEAVE_ONE_OUT", "PLAIN", "expand_paper", "expand_batches",
           "expand_equal_updates", "leave_one_out_seeds", "subset_variant", "expand_leave_one_out"]

#: The ``comparison`` coordinate of each grid's runs.
VARIANTS = "variants"
BATCH_SIZES = "batch sizes"
EQUAL_UPDATES = "equal updates"
LEAVE_ONE_OUT = "leave one out"
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


def expand_equal_updates(paper, n_samples):
    """The paper's setup at each of ``paper.equal_updates``, trained for as many updates as the paper's setup makes.

    The paper's setup makes ``max_iter`` epochs of
    :func:`~aerepro.paper.batches.updates_per_epoch` updates on
    ``n_samples`` patterns at its own batch size; a batch size making fewer
    updates per epoch is given proportionally more epochs
    (:func:`~aerepro.paper.batches.epochs_for_updates`). Named
    ``paper/batch<size>-equal-updates/seed<seed>``; coordinates as
    :func:`expand_batches`'s, ``comparison`` :data:`EQUAL_UPDATES`.
    """
    est = paper["estimator"]
    updates = est["max_iter"] * updates_per_epoch(n_samples, est["batch_size"])
    return [GridRun(f"paper/batch{size}-equal-updates/seed{seed}",
                    {"experiment": "paper", "comparison": EQUAL_UPDATES, "variant": f"batch{size}-equal-updates",
                     "batch_size": size, "seed": seed},
                    {**est, "batch_size": size, "max_iter": epochs_for_updates(updates, n_samples, size),
                     "random_state": seed})
            for size in paper["equal_updates"] for seed in paper["seeds"]]


def leave_one_out_seeds(paper):
    """The seeds of the leave-one-out runs: the first ``paper.leave_one_out.seeds`` of ``paper.seeds``."""
    return paper["seeds"][:paper["leave_one_out"]["seeds"]]


def subset_variant(pattern):
    """The ``variant`` coordinate of a run trained without ``pattern`` (its name, e.g. ``"000"``)."""
    return f"without{pattern}"


def expand_leave_one_out(paper, patterns):
    """The paper's setup trained on every pattern but one, for each of ``patterns`` (their names), over
    :func:`leave_one_out_seeds`.

    Named ``paper/without<pattern>/seed<seed>``; coordinates as
    :func:`expand_paper`'s, ``comparison`` :data:`LEAVE_ONE_OUT` and
    ``variant`` :func:`subset_variant`. Which rows each run trains on is
    the stage's to give (:func:`aerepro.paper.subsets.leave_one_out`).
    """
    est = paper["estimator"]
    return [GridRun(f"paper/{subset_variant(pattern)}/seed{seed}",
                    {"experiment": "paper", "comparison": LEAVE_ONE_OUT, "variant": subset_variant(pattern),
                     "batch_size": est["batch_size"], "seed": seed},
                    {**est, "random_state": seed})
            for pattern in patterns for seed in leave_one_out_seeds(paper)]
