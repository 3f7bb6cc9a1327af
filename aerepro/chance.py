"""Chance baselines: what a measure of agreement scores on codes that share nothing but their shapes.

An agreement between two runs' codes means little without the level that
codes of the same shapes and snapped-level frequencies reach by chance:
:func:`chance_agreement` draws that null by permutation.
"""

import numpy as np
from sklearn.utils import check_random_state

from .codes import agreement, align_columns, apply_alignment

__all__ = ["chance_agreement"]


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
    S_ref, S = np.asarray(S_ref, dtype=np.float64), np.asarray(S, dtype=np.float64)
    if S_ref.shape != S.shape:
        raise ValueError(f"S_ref and S must have the same shape, got {S_ref.shape} and {S.shape}.")
    rng = check_random_state(random_state)
    null = np.empty(n_permutations)
    for i in range(n_permutations):
        shuffled = S[rng.permutation(S.shape[0])]
        null[i] = agreement(S_ref, apply_alignment(shuffled, align_columns(S_ref, shuffled)))
    return null
