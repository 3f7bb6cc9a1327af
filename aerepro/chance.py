"""Chance baselines: what a measure of agreement scores on codes that share nothing but their shapes.

An agreement between two runs' codes means little without the level that
codes of the same shapes and snapped-level frequencies reach by chance:
:func:`chance_agreement` draws that null by permutation for one pair, and
:func:`chance_group_agreement` for a group's mean agreement with its first
run (the blog's "five runs" lined up on one); :func:`chance_group` draws
it together with the null of the group's consensus' binary fraction.
"""

from collections import namedtuple

import numpy as np
from scipy.optimize import linear_sum_assignment

from .codes import _check_codes, _check_same_shape

__all__ = ["chance_agreement", "chance_group_agreement", "chance_group", "NullSummary", "summarize_null"]


def _random_state(seed):
    """``seed`` as a ``RandomState``: the generator itself, NumPy's global one for None, else a new one it seeds.

    What scikit-learn's ``check_random_state`` returns, without importing
    scikit-learn (about a second) into the stages that only analyse codes.
    """
    if isinstance(seed, np.random.RandomState):
        return seed
    if seed is None:
        return np.random.mtrand._rand
    return np.random.RandomState(seed)


def chance_agreement(S_ref, S, *, n_permutations=200, random_state=0):
    """What :func:`agreement` scores by chance on codes of these shapes and levels.

    The null keeps everything but the correspondence between inputs: the
    rows of ``S`` are shuffled (so each unit keeps its own mix of snapped
    levels), its columns are aligned to ``S_ref`` again as a real pair would
    be (:func:`align_columns`), and the agreement is measured.

    Parameters
    ----------
    S_ref, S : array-like of shape (n_samples, n_units)
        Snapped code matrices.
    n_permutations : int, default=200
        Shuffles drawn.
    random_state : int, RandomState instance or None, default=0
        Seeds the shuffles.

    Returns
    -------
    null : ndarray of shape (n_permutations,)
        The agreement of each shuffle; its mean is the chance level and
        ``np.mean(null >= observed)`` a permutation p-value.

    Examples
    --------
    >>> from aerepro.chance import chance_agreement
    >>> S = [[0.0], [1.0], [0.0], [1.0]]
    >>> bool(0.0 <= chance_agreement(S, S, n_permutations=50).mean() < 1.0)
    True
    """
    S_ref, S = _check_codes(S_ref, "S_ref"), _check_codes(S, "S")
    _check_same_shape(S_ref, S, "S_ref", "S")
    aligned = _shuffled_aligned(S_ref, S, n_permutations, _random_state(random_state))
    return np.mean(S_ref == aligned, axis=(1, 2))  # counts of matches over one size: exact in any order


def _shuffled_aligned(S_ref, S, n_permutations, rng):
    """``n_permutations`` copies of ``S``, each with its rows shuffled and its columns aligned to ``S_ref`` again."""
    shuffled = np.stack([S[rng.permutation(S.shape[0])] for _ in range(n_permutations)])
    # cost[p, i, j]: distance between column i of S_ref and column j of shuffle p, as align_columns has it
    cost = np.abs(S_ref[None, :, :, None] - shuffled[:, :, None, :]).sum(axis=1)
    perms = np.stack([linear_sum_assignment(c)[1] for c in cost])
    return np.take_along_axis(shuffled, perms[:, None, :], axis=2)


def chance_group(snapped, *, n_permutations=200, random_state=0, levels=(0.0, 0.5, 1.0)):
    """The permutation nulls of a group's mean agreement with its first run and of its consensus' binary fraction.

    Both from the same draws: in each, every run but the first has its rows
    shuffled and its columns aligned to the first again; the draw's
    agreement is the mean over those runs of their agreement with the
    first, and its consensus is the most common value of each cell over
    all runs (ties to the lower value, as :func:`aerepro.codes.consensus_table`),
    whose share of 0s and 1s is the blog's "binary-like" measure. A
    consensus of codes that share nothing is as binary as its runs' levels
    make it: the null says how much of a consensus' binariness needs the
    runs to agree.

    Parameters
    ----------
    snapped : list of array-like of shape (n_samples, n_units)
        The group's snapped codes (values in ``levels``); the first is the
        reference (at least two).
    n_permutations : int, default=200
    random_state : int, RandomState instance or None, default=0
    levels : tuple of float
        The snapped levels, ascending.

    Returns
    -------
    agreement, consensus_binary : ndarray of shape (n_permutations,)
        The first equals :func:`chance_group_agreement` with the same arguments.

    Examples
    --------
    >>> S = [[0.0, 1.0], [1.0, 0.0], [0.5, 0.5], [1.0, 1.0]]
    >>> agreement, binary = chance_group([S, S, S], n_permutations=20)
    >>> agreement.shape, bool(((0 <= binary) & (binary <= 1)).all())
    ((20,), True)
    """
    if len(snapped) < 2:
        raise ValueError(f"a group needs at least two codes to agree, got {len(snapped)}.")
    snapped = [_check_codes(S, f"snapped[{k}]") for k, S in enumerate(snapped)]
    for k, S in enumerate(snapped[1:], start=1):
        _check_same_shape(snapped[0], S, "snapped[0]", f"snapped[{k}]")
    rng = _random_state(random_state)
    aligned = [_shuffled_aligned(snapped[0], S, n_permutations, rng) for S in snapped[1:]]
    agreement = np.mean([np.mean(snapped[0] == A, axis=(1, 2)) for A in aligned], axis=0)
    stack = np.stack([np.broadcast_to(snapped[0], aligned[0].shape), *aligned], axis=1)  # draw, run, input, unit
    levels = np.asarray(levels, dtype=np.float64)
    counts = (stack[..., None] == levels).sum(axis=1)  # draw, input, unit, level
    consensus = levels[counts.argmax(axis=-1)]  # the first most common level: the lower on a tie
    return agreement, np.mean((consensus == 0.0) | (consensus == 1.0), axis=(1, 2))


def chance_group_agreement(snapped, *, n_permutations=200, random_state=0):
    """The permutation null of a group's mean agreement with its first run.

    Parameters
    ----------
    snapped : list of array-like of shape (n_samples, n_units)
        The group's snapped codes; the first is the reference the others are
        aligned to (at least two).
    n_permutations : int, default=200
    random_state : int, RandomState instance or None, default=0

    Returns
    -------
    null : ndarray of shape (n_permutations,)
        Each draw is the mean over the other runs of :func:`chance_agreement`
        (independent shuffles per run).
    """
    return chance_group(snapped, n_permutations=n_permutations, random_state=random_state)[0]


#: ``(mean, q95, p_value)`` of a permutation null against an observed value.
NullSummary = namedtuple("NullSummary", ["mean", "q95", "p_value"])


def summarize_null(null, observed):
    """The chance level (mean), its 95th percentile and the one-sided p-value of ``observed``.

    The p-value counts the observation as one of the draws,
    ``(1 + #{null >= observed}) / (1 + n)``, so it is never 0.
    """
    null = np.asarray(null, dtype=np.float64)
    return NullSummary(float(null.mean()), float(np.quantile(null, 0.95)),
                       float((1 + np.sum(null >= observed)) / (1 + len(null))))
