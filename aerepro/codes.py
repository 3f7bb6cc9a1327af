"""Reading learned codes: snapping, aligning and summarizing hidden units.

A *code matrix* ``H`` is ``(n_samples, n_units)``: row ``i`` is the code the
network gives to input ``i`` (for the one-hot study, ``X = eye(16)`` and row
``i`` is the code of the ``i``-th basis vector), column ``j`` the activation
of hidden unit ``j``. Sigmoid units give values in ``[0, 1]``.

Codes are read in three steps:

1. :func:`snap` rounds every activation to a few levels (by default 0,
   0.5 and 1), so that "nearly 1" and "nearly 0.5" become comparable;
2. :func:`align_columns` undoes the arbitrary order of hidden units between
   runs (and, optionally, their polarity), as an assignment problem;
3. the summaries (:func:`distinct_codes`, :func:`binary_fraction`,
   :func:`is_symmetric_collapse`, :func:`is_binary_bijection`,
   :func:`agreement`, :func:`consensus_table`) describe one run or the
   agreement of several; :func:`summarize_codes` and :func:`success_rate`
   put them together for a configuration.

Every function is pure, works in float64 and rejects NaN with a
``ValueError``.
"""

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

__all__ = [
    "snap",
    "align_columns",
    "apply_alignment",
    "align_runs",
    "distinct_codes",
    "distinct_units",
    "binary_fraction",
    "is_symmetric_collapse",
    "is_binary_bijection",
    "agreement",
    "consensus_table",
    "consensus_agreement",
    "summarize_codes",
    "success_rate",
]

#: Levels of :func:`snap` by default: off, half-on, on.
DEFAULT_LEVELS = (0.0, 0.5, 1.0)


def _check_codes(H, name="H"):
    """Return ``H`` as a 2-D float64 array with at least one cell, no NaN."""
    H = np.asarray(H, dtype=np.float64)
    if H.ndim != 2:
        raise ValueError(f"{name} must be 2-D (n_samples, n_units), got shape {H.shape}.")
    if H.size == 0:
        raise ValueError(f"{name} must have at least one row and one column, got shape {H.shape}.")
    if np.isnan(H).any():
        raise ValueError(f"{name} contains NaN.")
    return H


def _check_same_shape(A, B, name_a, name_b):
    if A.shape != B.shape:
        raise ValueError(
            f"{name_a} and {name_b} must have the same shape, "
            f"got {name_a}.shape={A.shape} and {name_b}.shape={B.shape}."
        )


def _check_stack(matrices, name):
    """Stack a non-empty list of equally shaped code matrices to ``(n_runs, n, k)``."""
    matrices = [_check_codes(M, f"{name}[{r}]") for r, M in enumerate(matrices)]
    if not matrices:
        raise ValueError(f"{name} must hold at least one code matrix.")
    for r, M in enumerate(matrices[1:], start=1):
        _check_same_shape(matrices[0], M, f"{name}[0]", f"{name}[{r}]")
    return np.stack(matrices)


def snap(H, levels=DEFAULT_LEVELS):
    """Round every value of ``H`` to the nearest of ``levels``.

    A value exactly halfway between two neighbouring levels goes to the
    LOWER one: with the default levels ``0.25 -> 0`` and ``0.75 -> 0.5``.
    Values outside the range of ``levels`` go to the nearest end.

    Parameters
    ----------
    H : array-like of float
        Values to round, of any shape (typically a code matrix).
    levels : sequence of float, default=(0.0, 0.5, 1.0)
        Finite target values, in any order; duplicates are ignored.

    Returns
    -------
    S : ndarray of float64, same shape as ``H``
        Each value replaced by its nearest level.

    Raises
    ------
    ValueError
        If ``H`` contains NaN, or ``levels`` is empty or not finite.

    Examples
    --------
    >>> from aerepro.codes import snap
    >>> snap([0.1, 0.25, 0.26, 0.75, 0.9, 1.3]).tolist()
    [0.0, 0.0, 0.5, 0.5, 1.0, 1.0]
    >>> snap([0.5, 0.51], levels=(0, 1)).tolist()
    [0.0, 1.0]
    """
    H = np.asarray(H, dtype=np.float64)
    if np.isnan(H).any():
        raise ValueError("Cannot snap NaN values.")
    levels = np.unique(np.asarray(levels, dtype=np.float64).ravel())
    if levels.size == 0 or not np.isfinite(levels).all():
        raise ValueError(f"levels must be a non-empty sequence of finite values, got {levels}.")
    # Value v goes to level i when mid[i-1] < v <= mid[i]: a value on a
    # midpoint is counted with the level below it.
    midpoints = (levels[:-1] + levels[1:]) / 2.0
    return levels[np.searchsorted(midpoints, H, side="left")]


def align_columns(reference, H, *, allow_flip=False):
    """Find the order of the columns of ``H`` that best matches ``reference``.

    Hidden units of two runs play the same roles in an arbitrary order. The
    cost of matching column ``i`` of ``reference`` with column ``j`` of ``H``
    is ``sum(abs(reference[:, i] - H[:, j]))``; the permutation of least
    total cost is found by :func:`scipy.optimize.linear_sum_assignment`.

    Parameters
    ----------
    reference : array-like of shape (n_samples, n_units)
        Code matrix to match, values in ``[0, 1]``.
    H : array-like of shape (n_samples, n_units)
        Code matrix whose columns are reordered, values in ``[0, 1]``.
    allow_flip : bool, default=False
        Also allow a column to be read flipped, ``v -> 1 - v`` (a unit that
        is on where the reference unit is off). A column is flipped only if
        that is strictly cheaper.

    Returns
    -------
    perm : ndarray of int of shape (n_units,)
        ``H[:, perm]`` is aligned to ``reference``: column ``i`` of the
        aligned matrix is column ``perm[i]`` of ``H``.
    flip : ndarray of bool of shape (n_units,)
        Only when ``allow_flip=True``, then ``(perm, flip)`` is returned:
        aligned column ``i`` is ``1 - H[:, perm[i]]`` where ``flip[i]``. See
        :func:`apply_alignment`.

    Raises
    ------
    ValueError
        If the shapes of ``reference`` and ``H`` differ, or either has NaN.

    Examples
    --------
    >>> import numpy as np
    >>> from aerepro.codes import align_columns
    >>> reference = np.array([[1.0, 0.0], [0.0, 0.0]])
    >>> align_columns(reference, reference[:, ::-1]).tolist()
    [1, 0]
    >>> perm, flip = align_columns(reference, 1.0 - reference, allow_flip=True)
    >>> perm.tolist(), flip.tolist()
    ([0, 1], [True, True])
    """
    reference = _check_codes(reference, "reference")
    H = _check_codes(H, "H")
    _check_same_shape(reference, H, "reference", "H")
    # cost[i, j]: distance between reference column i and H column j.
    cost = np.abs(reference[:, :, None] - H[:, None, :]).sum(axis=0)
    if allow_flip:
        cost_flipped = np.abs(reference[:, :, None] - (1.0 - H[:, None, :])).sum(axis=0)
        flipped = cost_flipped < cost
        cost = np.where(flipped, cost_flipped, cost)
    rows, perm = linear_sum_assignment(cost)  # rows is arange(n_units)
    perm = perm.astype(np.intp)
    if allow_flip:
        return perm, flipped[rows, perm]
    return perm


def apply_alignment(H, perm, flip=None):
    """Reorder (and optionally flip) the columns of ``H``.

    Parameters
    ----------
    H : array-like of shape (n_samples, n_units)
        Code matrix.
    perm : array-like of int of shape (n_units,)
        A permutation of ``range(n_units)``, as returned by
        :func:`align_columns`.
    flip : array-like of bool of shape (n_units,), default=None
        Aligned columns to read as ``1 - v``; ``None`` flips nothing.

    Returns
    -------
    aligned : ndarray of float64 of shape (n_samples, n_units)
        ``where(flip, 1 - H[:, perm], H[:, perm])``.

    Raises
    ------
    ValueError
        If ``perm`` is not a permutation of the columns, or ``flip`` has the
        wrong length.

    Examples
    --------
    >>> from aerepro.codes import apply_alignment
    >>> apply_alignment([[0.0, 1.0, 0.5]], [2, 0, 1], flip=[False, True, False]).tolist()
    [[0.5, 1.0, 1.0]]
    """
    H = _check_codes(H, "H")
    n_units = H.shape[1]
    perm = np.asarray(perm)
    if perm.shape != (n_units,) or not np.array_equal(np.sort(perm), np.arange(n_units)):
        raise ValueError(f"perm must be a permutation of range({n_units}), got {perm.tolist()}.")
    aligned = H[:, perm]
    if flip is None:
        return aligned
    flip = np.asarray(flip, dtype=bool)
    if flip.shape != (n_units,):
        raise ValueError(f"flip must have shape ({n_units},), got {flip.shape}.")
    return np.where(flip, 1.0 - aligned, aligned)


def align_runs(codes, *, reference=None):
    """Align the columns of every run's code matrix to a reference.

    Parameters
    ----------
    codes : list of array-like of shape (n_samples, n_units)
        One code matrix per run (e.g. one per initialization).
    reference : array-like of shape (n_samples, n_units), default=None
        Code matrix to align to; ``None`` uses ``codes[0]``.

    Returns
    -------
    aligned : list of ndarray of float64 of shape (n_samples, n_units)
        ``aligned[r]`` is ``codes[r]`` with its columns reordered by
        :func:`align_columns` (no flips).

    Raises
    ------
    ValueError
        If ``codes`` is empty, or the shapes differ.

    Examples
    --------
    >>> from aerepro.codes import align_runs
    >>> [A.tolist() for A in align_runs([[[1.0, 0.0]], [[0.0, 1.0]]])]
    [[[1.0, 0.0]], [[1.0, 0.0]]]
    """
    stack = _check_stack(codes, "codes")
    reference = stack[0] if reference is None else _check_codes(reference, "reference")
    return [apply_alignment(H, align_columns(reference, H)) for H in stack]


def distinct_codes(S):
    """Return the number of distinct rows of a code matrix.

    Rows are compared exactly, so ``S`` is normally snapped first.

    Parameters
    ----------
    S : array-like of shape (n_samples, n_units)
        Code matrix, usually the output of :func:`snap`.

    Returns
    -------
    n_distinct : int
        Number of different codes, between 1 and ``n_samples``.

    Examples
    --------
    >>> from aerepro.codes import distinct_codes
    >>> distinct_codes([[0, 1], [0, 1], [1, 0.5]])
    2
    """
    S = _check_codes(S, "S")
    return int(np.unique(S + 0.0, axis=0).shape[0])  # + 0.0 turns -0.0 into 0.0


def distinct_units(H, atol=0.0):
    """Return the number of distinct hidden units (columns) of a code matrix.

    Units whose activations differ by at most ``atol`` on every input count
    as one: a symmetry broken only partly leaves some units identical (the
    blog's 16-5-16 table has Perceptron 1 equal to Perceptron 2). Each unit
    joins the first earlier group whose first unit is within ``atol``.

    Parameters
    ----------
    H : array-like of shape (n_samples, n_units)
        Code matrix: snapped (compare with ``atol=0``) or raw.
    atol : float, default=0.0
        Largest absolute difference, over the inputs, between two units that count as one.

    Returns
    -------
    n_distinct : int
        Between 1 and ``n_units``.

    Examples
    --------
    >>> from aerepro.codes import distinct_units
    >>> distinct_units([[1, 1, 0], [0.5, 0.5, 1]])
    2
    >>> distinct_units([[0.2, 0.2004, 0.9], [0.7, 0.7, 0.1]], atol=0.01)
    2
    """
    H = _check_codes(H, "H")
    if atol < 0:
        raise ValueError(f"atol must be >= 0, got {atol!r}.")
    heads = []
    for column in H.T:
        if not any(np.max(np.abs(column - head)) <= atol for head in heads):
            heads.append(column)
    return len(heads)


def binary_fraction(S):
    """Return the share of the values of ``S`` that are exactly 0 or 1.

    Parameters
    ----------
    S : array-like of shape (n_samples, n_units)
        Code matrix, usually the output of :func:`snap`.

    Returns
    -------
    fraction : float
        In ``[0, 1]``.

    Examples
    --------
    >>> from aerepro.codes import binary_fraction
    >>> binary_fraction([[0, 0.5], [1, 1]])
    0.75
    """
    S = _check_codes(S, "S")
    return float(np.mean((S == 0.0) | (S == 1.0)))


def is_symmetric_collapse(H, atol=1e-9):
    """Tell whether all hidden units compute the same function.

    That is where a network whose units start from identical weights stays
    in exact arithmetic (identical gradients); in floating point rounding may
    separate them after long training, so this is tested within ``atol``.

    Parameters
    ----------
    H : array-like of shape (n_samples, n_units)
        Raw (unsnapped) code matrix.
    atol : float, default=1e-9
        Absolute tolerance of the comparison of each column with the first.

    Returns
    -------
    collapsed : bool
        True when there are at least two units and every column equals the
        first within ``atol``.

    Examples
    --------
    >>> from aerepro.codes import is_symmetric_collapse
    >>> is_symmetric_collapse([[0.2, 0.2], [0.7, 0.7]])
    True
    >>> is_symmetric_collapse([[0.2], [0.7]])
    False
    """
    H = _check_codes(H, "H")
    return bool(H.shape[1] > 1 and np.all(np.abs(H - H[:, :1]) <= atol))


def is_binary_bijection(S):
    """Tell whether a code uses every binary word of its width exactly once.

    Parameters
    ----------
    S : array-like of shape (n_samples, n_units)
        Snapped code matrix.

    Returns
    -------
    bijection : bool
        True when ``S`` has only 0/1 values, ``n_samples == 2 ** n_units``
        and its rows are all distinct, i.e. the rows are a bijection onto
        ``{0, 1} ** n_units``.

    Examples
    --------
    >>> from aerepro.codes import is_binary_bijection
    >>> is_binary_bijection([[0, 0], [0, 1], [1, 0], [1, 1]])
    True
    >>> is_binary_bijection([[0, 0], [0, 1], [1, 0], [1, 0.5]])
    False
    """
    S = _check_codes(S, "S")
    n_samples, n_units = S.shape
    return bool(
        n_samples == 2**n_units and binary_fraction(S) == 1.0 and distinct_codes(S) == n_samples
    )


def agreement(S_ref, S):
    """Return the share of cells where two aligned snapped codes agree.

    Parameters
    ----------
    S_ref, S : array-like of shape (n_samples, n_units)
        Snapped code matrices, columns already aligned.

    Returns
    -------
    share : float
        In ``[0, 1]``; 1 when the matrices are equal.

    Raises
    ------
    ValueError
        If the shapes differ.

    Examples
    --------
    >>> from aerepro.codes import agreement
    >>> agreement([[0, 1], [1, 1]], [[0, 1], [1, 0.5]])
    0.75
    """
    S_ref = _check_codes(S_ref, "S_ref")
    S = _check_codes(S, "S")
    _check_same_shape(S_ref, S, "S_ref", "S")
    return float(np.mean(S_ref == S))


def _consensus(stack):
    """Per-cell mode of ``(n_runs, n, k)`` (ties to the lower value) and its share."""
    values = np.unique(stack)  # ascending
    counts = (stack[None] == values[:, None, None, None]).sum(axis=1)  # (n_values, n, k)
    best = counts.argmax(axis=0)  # first maximum: the lowest of tied values
    share = np.take_along_axis(counts, best[None], axis=0)[0] / stack.shape[0]
    return values[best], share


def consensus_table(aligned_snapped):
    """Tabulate the most common code value of every cell across runs.

    Parameters
    ----------
    aligned_snapped : list of array-like of shape (n_samples, n_units)
        Snapped code matrices of several runs, columns aligned (see
        :func:`align_runs` and :func:`snap`).

    Returns
    -------
    table : pandas.DataFrame of shape (n_samples, n_units)
        Index ``0 .. n_samples - 1`` named ``"input"``, columns
        ``"Perceptron1" .. "Perceptron<n_units>"``; each cell holds the value
        most runs give it. Ties go to the lower value.

    Raises
    ------
    ValueError
        If the list is empty or the shapes differ.

    Examples
    --------
    >>> from aerepro.codes import consensus_table
    >>> table = consensus_table([[[1.0, 0.5]], [[1.0, 1.0]], [[0.0, 0.5]], [[0.0, 1.0]]])
    >>> table.columns.tolist(), table.index.name
    (['Perceptron1', 'Perceptron2'], 'input')
    >>> table.to_numpy().tolist()
    [[0.0, 0.5]]
    """
    stack = _check_stack(aligned_snapped, "aligned_snapped")
    values, _ = _consensus(stack)
    n_samples, n_units = values.shape
    return pd.DataFrame(
        values,
        index=pd.RangeIndex(n_samples, name="input"),
        columns=[f"Perceptron{j}" for j in range(1, n_units + 1)],
    )


def consensus_agreement(aligned_snapped):
    """Return the mean share of runs that agree with the consensus, per cell.

    Parameters
    ----------
    aligned_snapped : list of array-like of shape (n_samples, n_units)
        Snapped code matrices of several runs, columns aligned.

    Returns
    -------
    share : float
        Mean over cells of the share of runs holding the value of
        :func:`consensus_table`; 1 when all runs are equal.

    Examples
    --------
    >>> from aerepro.codes import consensus_agreement
    >>> consensus_agreement([[[1.0, 0.5]], [[1.0, 1.0]], [[1.0, 1.0]], [[1.0, 0.0]]])
    0.75
    """
    stack = _check_stack(aligned_snapped, "aligned_snapped")
    _, share = _consensus(stack)
    return float(share.mean())


def summarize_codes(codes, *, levels=(0, 0.5, 1)):
    """Summarize the codes learned by several runs of one configuration.

    The runs are aligned to the first (:func:`align_runs`, no flips, on the
    raw values), then snapped to ``levels``: the one reading of a group of
    runs, which a study's analysis tabulates group by group.

    Parameters
    ----------
    codes : list of array-like of shape (n_samples, n_units)
        Raw code matrices, one per run.
    levels : sequence of float, default=(0, 0.5, 1)
        Levels of :func:`snap`.

    Returns
    -------
    summary : dict
        All values are JSON-serializable except ``"aligned"``, ``"snapped"``
        and ``"consensus"``:

        - ``"n_runs"``, ``"n_samples"``, ``"n_units"`` : int;
        - ``"aligned"`` : list of ndarray, per run, the raw codes with their
          columns aligned to the first run's;
        - ``"snapped"`` : list of ndarray, per run, the aligned codes snapped;
        - ``"distinct_codes"`` : list of int, per run, out of ``n_samples``;
        - ``"binary_fraction"`` : list of float, per run;
        - ``"symmetric_collapse"`` : list of bool, per run (raw codes);
        - ``"binary_bijection"`` : list of bool, per run (only meaningful
          when ``n_units == log2(n_samples)``, else always False);
        - ``"agreement_with_first"`` : list of float, per run, its
          :func:`agreement` with the first run (1 for the first itself);
        - ``"mean_agreement"`` : float, mean :func:`agreement` of the other
          aligned runs with the first, or None with a single run;
        - ``"consensus"`` : pandas.DataFrame, the :func:`consensus_table`
          of the aligned snapped runs;
        - ``"consensus_agreement"`` : float, their
          :func:`consensus_agreement`.

    Raises
    ------
    ValueError
        If ``codes`` is empty, the shapes differ, or a value is NaN.

    Examples
    --------
    >>> from aerepro.codes import summarize_codes
    >>> summary = summarize_codes([[[0.9, 0.1], [0.1, 0.9]], [[0.2, 0.8], [0.7, 0.3]]])
    >>> summary["distinct_codes"], summary["mean_agreement"]
    ([2, 2], 0.5)
    """
    aligned = align_runs(codes)
    snapped = [snap(A, levels) for A in aligned]
    n_samples, n_units = snapped[0].shape
    with_first = [agreement(snapped[0], S) for S in snapped]
    return {
        "n_runs": len(snapped),
        "n_samples": int(n_samples),
        "n_units": int(n_units),
        "aligned": aligned,
        "snapped": snapped,
        "distinct_codes": [distinct_codes(S) for S in snapped],
        "binary_fraction": [binary_fraction(S) for S in snapped],
        "symmetric_collapse": [is_symmetric_collapse(H) for H in aligned],
        "binary_bijection": [is_binary_bijection(S) for S in snapped],
        "agreement_with_first": with_first,
        "mean_agreement": float(np.mean(with_first[1:])) if len(snapped) > 1 else None,
        "consensus": consensus_table(snapped),
        "consensus_agreement": consensus_agreement(snapped),
    }


def success_rate(codes, *, levels=(0, 0.5, 1)):
    """Return how often a configuration learned a perfect code, over seeds.

    Parameters
    ----------
    codes : list of array-like of shape (n_samples, n_units)
        Raw code matrices, one per seed.
    levels : sequence of float, default=(0, 0.5, 1)
        Levels of :func:`snap`.

    Returns
    -------
    rates : dict
        ``"n_seeds"`` (int); ``"distinct_share"`` (float), the share of seeds
        whose snapped code has ``n_samples`` distinct rows; and
        ``"bijection_share"`` (float), the share whose snapped code is a
        bijection onto ``{0, 1} ** n_units`` (:func:`is_binary_bijection`).

    Raises
    ------
    ValueError
        If ``codes`` is empty or a value is NaN.

    Examples
    --------
    >>> from aerepro.codes import success_rate
    >>> success_rate([[[0.1], [0.8]], [[0.9], [0.2]], [[0.4], [0.6]], [[0.3], [0.9]]])
    {'n_seeds': 4, 'distinct_share': 0.75, 'bijection_share': 0.5}
    """
    snapped = [snap(_check_codes(H, f"codes[{r}]"), levels) for r, H in enumerate(codes)]
    if not snapped:
        raise ValueError("codes must hold at least one code matrix.")
    return {
        "n_seeds": len(snapped),
        "distinct_share": float(np.mean([distinct_codes(S) == S.shape[0] for S in snapped])),
        "bijection_share": float(np.mean([is_binary_bijection(S) for S in snapped])),
    }
