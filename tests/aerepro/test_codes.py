"""Tests of ``aerepro.codes``: snapping, column alignment and code summaries.

Expected values are derived from how the inputs are built (a known
permutation, known flips, hand-made matrices), never from running the code.
"""

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from aerepro.codes import (
    agreement,
    align_columns,
    align_runs,
    apply_alignment,
    binary_fraction,
    consensus_agreement,
    consensus_table,
    distinct_codes,
    distinct_units,
    is_binary_bijection,
    is_symmetric_collapse,
    snap,
    success_rate,
    summarize_codes,
)

NOISE = 0.05


def all_binary_codes(k):
    """The ``2**k`` rows of every ``k``-bit word, as float64 (row i is i in binary)."""
    return ((np.arange(2**k)[:, None] >> np.arange(k)) & 1).astype(np.float64)


def well_separated_binary(rng, n, k, min_distance=3):
    """Random binary (n, k) matrix whose columns, and their complements, differ in
    at least ``min_distance`` places from every other column."""
    while True:
        B = rng.integers(0, 2, size=(n, k)).astype(np.float64)
        hamming = np.abs(B[:, :, None] - B[:, None, :]).sum(axis=0)
        off_diagonal = ~np.eye(k, dtype=bool)
        if (hamming[off_diagonal] >= min_distance).all() and (
            (n - hamming)[off_diagonal] >= min_distance
        ).all():
            return B


def add_noise(rng, B, scale=NOISE):
    """Move every 0/1 value of ``B`` inwards by a random amount below ``scale``."""
    e = rng.uniform(0.0, scale, size=B.shape)
    return np.where(B == 1.0, 1.0 - e, e)


def non_identity_permutation(rng, k):
    while True:
        sigma = rng.permutation(k)
        if (sigma != np.arange(k)).any():
            return sigma


# --------------------------------------------------------------------- snap


@pytest.mark.parametrize(
    "value, expected",
    [
        (0.25, 0.0),  # halfway 0 / 0.5: the lower level
        (0.75, 0.5),  # halfway 0.5 / 1: the lower level
        (0.0, 0.0),
        (0.5, 0.5),
        (1.0, 1.0),
        (0.2499, 0.0),
        (0.2501, 0.5),
        (0.7499, 0.5),
        (0.7501, 1.0),
        (-0.3, 0.0),  # below the range: nearest end
        (1.7, 1.0),  # above the range: nearest end
        (-np.inf, 0.0),
        (np.inf, 1.0),
    ],
)
def test_snap_default_levels(value, expected):
    assert snap([value])[0] == expected


def test_snap_keeps_shape_and_returns_float64():
    H = np.array([[0, 1, 1], [1, 0, 0]], dtype=np.int64)
    S = snap(H)
    assert S.dtype == np.float64
    assert S.shape == H.shape
    np.testing.assert_array_equal(S, H)


@pytest.mark.parametrize(
    "levels, values, expected",
    [
        ((0, 1), [0.49, 0.5, 0.51], [0.0, 0.0, 1.0]),
        ((-1, 0, 1), [-0.5, 0.5, -2.0, 0.3], [-1.0, 0.0, -1.0, 0.0]),
        ((1, 0, 0.5), [0.25, 0.75, 0.9], [0.0, 0.5, 1.0]),  # order of levels is irrelevant
        ((0.5,), [-3.0, 0.5, 7.0], [0.5, 0.5, 0.5]),
    ],
)
def test_snap_custom_levels(levels, values, expected):
    np.testing.assert_array_equal(snap(values, levels=levels), expected)


def test_snap_nan_raises():
    with pytest.raises(ValueError, match="NaN"):
        snap([[0.1, np.nan]])


@pytest.mark.parametrize("levels", [(), (0.0, np.nan), (0.0, np.inf)])
def test_snap_invalid_levels_raise(levels):
    with pytest.raises(ValueError, match="levels"):
        snap([0.3], levels=levels)


@given(
    H=arrays(np.float64, (4, 3), elements=st.floats(-2, 3, allow_nan=False)),
    levels=st.lists(st.floats(-2, 3, allow_nan=False), min_size=1, max_size=5),
)
def test_snap_returns_a_nearest_level(H, levels):
    S = snap(H, levels=levels)
    levels = np.array(levels)
    assert np.isin(S, levels).all()
    nearest = np.abs(H[..., None] - levels).min(axis=-1)
    np.testing.assert_allclose(np.abs(H - S), nearest, rtol=0, atol=1e-12)


# ------------------------------------------------------------ alignment


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_align_columns_recovers_permutation(seed):
    rng = np.random.default_rng(seed)
    B = well_separated_binary(rng, 16, 5)
    reference = add_noise(rng, B)
    sigma = non_identity_permutation(rng, 5)
    H = add_noise(rng, B)[:, sigma]  # H[:, j] is reference column sigma[j]

    perm = align_columns(reference, H)

    # H[:, perm[i]] must be reference column i, i.e. sigma[perm[i]] == i.
    np.testing.assert_array_equal(perm, np.argsort(sigma))
    np.testing.assert_array_equal(snap(apply_alignment(H, perm)), B)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_align_columns_recovers_permutation_and_flips(seed):
    rng = np.random.default_rng(seed)
    B = well_separated_binary(rng, 16, 5)
    reference = add_noise(rng, B)
    sigma = non_identity_permutation(rng, 5)
    flipped_in_H = np.array([True, False, True, False, False])[rng.permutation(5)]
    H = add_noise(rng, B)[:, sigma]
    H[:, flipped_in_H] = 1.0 - H[:, flipped_in_H]

    perm, flip = align_columns(reference, H, allow_flip=True)

    expected_perm = np.argsort(sigma)
    np.testing.assert_array_equal(perm, expected_perm)
    np.testing.assert_array_equal(flip, flipped_in_H[expected_perm])
    assert flip.dtype == bool
    np.testing.assert_array_equal(snap(apply_alignment(H, perm, flip)), B)


def test_align_columns_without_flip_returns_a_permutation_on_flipped_columns():
    rng = np.random.default_rng(3)
    B = well_separated_binary(rng, 16, 5)
    H = add_noise(rng, B)[:, non_identity_permutation(rng, 5)]
    H[:, 2] = 1.0 - H[:, 2]

    perm = align_columns(B, H)

    assert isinstance(perm, np.ndarray)
    np.testing.assert_array_equal(np.sort(perm), np.arange(5))


def test_align_columns_identity_on_itself():
    rng = np.random.default_rng(4)
    H = add_noise(rng, well_separated_binary(rng, 16, 4))
    np.testing.assert_array_equal(align_columns(H, H), np.arange(4))
    perm, flip = align_columns(H, H, allow_flip=True)
    np.testing.assert_array_equal(perm, np.arange(4))
    assert not flip.any()


def test_align_columns_does_not_flip_on_a_tie():
    # A column of 0.5 is as far from the reference as its flip: keep it unflipped.
    reference = np.array([[1.0, 0.5], [0.0, 0.5]])
    H = np.array([[0.5, 0.0], [0.5, 1.0]])
    perm, flip = align_columns(reference, H, allow_flip=True)
    np.testing.assert_array_equal(perm, [1, 0])
    np.testing.assert_array_equal(flip, [True, False])


@pytest.mark.parametrize("shape", [(16, 4), (16, 6), (8, 5)])
def test_align_columns_shape_mismatch_names_both_shapes(shape):
    reference = np.zeros((16, 5))
    with pytest.raises(ValueError) as excinfo:
        align_columns(reference, np.zeros(shape))
    message = str(excinfo.value)
    assert "(16, 5)" in message
    assert str(shape) in message


def test_align_columns_nan_raises():
    H = np.zeros((4, 2))
    H[1, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        align_columns(np.zeros((4, 2)), H)


def test_apply_alignment_reorders_and_flips():
    H = np.array([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]])
    np.testing.assert_array_equal(apply_alignment(H, [2, 0, 1]), H[:, [2, 0, 1]])
    np.testing.assert_allclose(
        apply_alignment(H, [2, 0, 1], flip=[True, False, False]),
        [[0.7, 0.1, 0.2], [0.4, 0.4, 0.5]],
    )


@pytest.mark.parametrize("perm", [[0, 0, 1], [0, 1], [0, 1, 3]])
def test_apply_alignment_rejects_non_permutations(perm):
    with pytest.raises(ValueError, match="permutation"):
        apply_alignment(np.zeros((2, 3)), perm)


def test_align_runs_aligns_every_run_to_the_first():
    rng = np.random.default_rng(5)
    B = well_separated_binary(rng, 16, 5)
    runs = [add_noise(rng, B)] + [
        add_noise(rng, B)[:, non_identity_permutation(rng, 5)] for _ in range(4)
    ]

    aligned = align_runs(runs)

    assert len(aligned) == len(runs)
    np.testing.assert_array_equal(aligned[0], runs[0])
    for A, H in zip(aligned, runs):
        np.testing.assert_array_equal(snap(A), B)
        # Alignment only reorders columns.
        np.testing.assert_array_equal(np.sort(A, axis=1), np.sort(H, axis=1))


def test_align_runs_with_explicit_reference():
    rng = np.random.default_rng(6)
    B = well_separated_binary(rng, 16, 4)
    sigma = non_identity_permutation(rng, 4)
    runs = [add_noise(rng, B), add_noise(rng, B)]

    aligned = align_runs(runs, reference=B[:, sigma])

    for A in aligned:
        np.testing.assert_array_equal(snap(A), B[:, sigma])


# ------------------------------------------------------------ summaries


@pytest.mark.parametrize(
    "S, expected",
    [
        ([[0, 1], [0, 1], [1, 0]], 2),
        ([[0.5, 0.5]] * 4, 1),
        (np.eye(16), 16),
        ([[0.0, 1.0], [-0.0, 1.0]], 1),  # -0.0 and 0.0 are the same value
    ],
)
def test_distinct_codes(S, expected):
    assert distinct_codes(S) == expected


@pytest.mark.parametrize(
    "S, expected",
    [
        ([[0, 0.5], [1, 1]], 0.75),
        ([[0.5, 0.5]], 0.0),
        (np.eye(4), 1.0),
        ([[0.999, 0.001], [1.0, 0.0]], 0.5),  # only exact 0 and 1 count
    ],
)
def test_binary_fraction(S, expected):
    assert binary_fraction(S) == expected


@pytest.mark.parametrize(
    "H, expected",
    [
        (np.tile([[0.1], [0.7], [0.3]], (1, 4)), True),  # identical columns
        (np.tile([[0.1], [0.7], [0.3]], (1, 4)) + [0, 0, 0, 1e-12], True),  # within atol
        (np.tile([[0.1], [0.7], [0.3]], (1, 4)) + [0, 0, 0.2, 0], False),  # one differs
        ([[0.1], [0.7], [0.3]], False),  # a single unit cannot collapse
    ],
)
def test_is_symmetric_collapse(H, expected):
    assert is_symmetric_collapse(H) is expected


def test_is_symmetric_collapse_atol():
    H = np.array([[0.1, 0.1 + 1e-6], [0.5, 0.5]])
    assert not is_symmetric_collapse(H)
    assert is_symmetric_collapse(H, atol=1e-5)


def four_bit_with_duplicate_row():
    S = all_binary_codes(4)
    S[15] = S[0]
    return S


def four_bit_with_half_value():
    S = all_binary_codes(4)
    S[3, 2] = 0.5
    return S


@pytest.mark.parametrize(
    "S, expected",
    [
        (all_binary_codes(4), True),
        (all_binary_codes(4)[::-1], True),  # any row order
        (four_bit_with_duplicate_row(), False),
        (four_bit_with_half_value(), False),
        (all_binary_codes(4)[:8], False),  # too few rows for 4 bits
        (all_binary_codes(3), True),
        (np.eye(16), False),  # 16 distinct binary rows, but 16 != 2**16
    ],
)
def test_is_binary_bijection(S, expected):
    assert is_binary_bijection(S) is expected


def test_agreement():
    S_ref = np.array([[0, 1, 0.5], [1, 1, 0]])
    S = np.array([[0, 0, 0.5], [1, 0.5, 0]])
    assert agreement(S_ref, S) == 4 / 6
    assert agreement(S_ref, S_ref) == 1.0
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(3, 2\)"):
        agreement(S_ref, S.T)


def test_consensus_table_majority():
    runs = [
        np.array([[1.0, 0.0], [0.5, 1.0]]),
        np.array([[1.0, 0.5], [0.5, 1.0]]),
        np.array([[0.0, 0.5], [1.0, 1.0]]),
    ]
    table = consensus_table(runs)

    assert isinstance(table, pd.DataFrame)
    assert table.index.name == "input"
    assert table.index.tolist() == [0, 1]
    assert table.columns.tolist() == ["Perceptron1", "Perceptron2"]
    np.testing.assert_array_equal(table.to_numpy(), [[1.0, 0.5], [0.5, 1.0]])
    assert table.to_numpy().dtype == np.float64


@pytest.mark.parametrize(
    "cell_values, expected",
    [
        ([0.0, 1.0], 0.0),
        ([1.0, 0.0], 0.0),
        ([1.0, 1.0, 0.0, 0.0], 0.0),
        ([1.0, 0.5, 1.0, 0.5], 0.5),
        ([1.0, 0.5, 0.0], 0.0),
        ([1.0, 0.5, 0.5, 0.0, 0.0, 1.0, 1.0], 1.0),  # a strict majority beats the tie rule
    ],
)
def test_consensus_table_ties_go_to_the_lower_value(cell_values, expected):
    table = consensus_table([[[v]] for v in cell_values])
    assert table.loc[0, "Perceptron1"] == expected


def test_consensus_agreement():
    runs = [
        np.array([[1.0, 0.0], [0.5, 1.0]]),
        np.array([[1.0, 0.5], [0.5, 1.0]]),
        np.array([[0.0, 0.5], [1.0, 1.0]]),
    ]
    # Cells agree with the consensus in 2, 2, 2 and 3 runs out of 3.
    assert consensus_agreement(runs) == pytest.approx((2 + 2 + 2 + 3) / 12)
    assert consensus_agreement([runs[0]] * 5) == 1.0


def test_consensus_of_mismatched_shapes_raises():
    with pytest.raises(ValueError, match=r"\(2, 2\).*\(2, 3\)"):
        consensus_table([np.zeros((2, 2)), np.zeros((2, 3))])


def test_summarize_codes_hand_made_runs():
    rng = np.random.default_rng(7)
    B = all_binary_codes(4)[rng.permutation(16)]  # a 16-4-16 bijection code
    sigma = non_identity_permutation(rng, 4)
    reference = add_noise(rng, B)
    permuted_copy = add_noise(rng, B)[:, sigma]
    collapsed = np.full((16, 4), 0.5)
    collapsed[:8] = 0.48  # identical columns, snapping to 0.5

    summary = summarize_codes([reference, permuted_copy, collapsed])

    assert summary["n_runs"] == 3
    assert summary["n_samples"] == 16
    assert summary["n_units"] == 4
    assert summary["distinct_codes"] == [16, 16, 1]
    assert summary["binary_fraction"] == [1.0, 1.0, 0.0]
    assert summary["symmetric_collapse"] == [False, False, True]
    assert summary["binary_bijection"] == [True, True, False]
    # The copy agrees everywhere, the collapsed run nowhere.
    assert summary["agreement_with_first"] == [1.0, 1.0, 0.0]
    assert summary["mean_agreement"] == pytest.approx((1.0 + 0.0) / 2)
    # The copy's columns are put back in the reference's order before snapping.
    np.testing.assert_array_equal(summary["aligned"][0], reference)
    np.testing.assert_array_equal(summary["snapped"][1], B)
    assert all(np.array_equal(S, snap(H)) for S, H in zip(summary["snapped"], summary["aligned"]))
    # Two of three runs hold the reference code in every cell.
    np.testing.assert_array_equal(summary["consensus"].to_numpy(), B)
    assert summary["consensus_agreement"] == pytest.approx(2 / 3)
    json.dumps({key: value for key, value in summary.items() if key not in ("aligned", "snapped", "consensus")})


def test_summarize_codes_permuted_copy_agrees_fully():
    rng = np.random.default_rng(8)
    B = well_separated_binary(rng, 16, 5)
    summary = summarize_codes(
        [add_noise(rng, B), add_noise(rng, B)[:, non_identity_permutation(rng, 5)]]
    )
    assert summary["mean_agreement"] == 1.0
    assert summary["binary_bijection"] == [False, False]  # 16 != 2**5


def test_summarize_codes_single_run_has_no_agreement():
    summary = summarize_codes([all_binary_codes(3)])
    assert summary["mean_agreement"] is None
    assert summary["agreement_with_first"] == [1.0]
    assert summary["binary_bijection"] == [True]


def test_summarize_codes_empty_raises():
    with pytest.raises(ValueError):
        summarize_codes([])


def test_success_rate_counts_a_known_set():
    rng = np.random.default_rng(9)
    perfect = [add_noise(rng, all_binary_codes(4)[rng.permutation(16)]) for _ in range(3)]
    duplicated = add_noise(rng, all_binary_codes(4))
    duplicated[15] = duplicated[0]
    half_valued = add_noise(rng, all_binary_codes(4))
    half_valued[5, 1] = 0.52  # snaps to 0.5; the row stays unlike any other

    rates = success_rate(perfect + [duplicated, half_valued])

    assert rates == {"n_seeds": 5, "distinct_share": 4 / 5, "bijection_share": 3 / 5}


def test_success_rate_custom_levels():
    # With levels (0, 1), 0.52 snaps to 1 and the row becomes binary again.
    half_valued = add_noise(np.random.default_rng(10), all_binary_codes(3))
    half_valued[2, 0] = 0.52  # bits of row 2, LSB first: 0,1,0 -> 1,1,0 = row 3
    assert success_rate([half_valued], levels=(0, 1))["distinct_share"] == 0.0
    assert success_rate([half_valued])["distinct_share"] == 1.0


def test_success_rate_empty_raises():
    with pytest.raises(ValueError):
        success_rate([])


@pytest.mark.parametrize("H, atol, expected", [
    (np.eye(4), 0.0, 4),
    (np.ones((3, 5)), 0.0, 1),
    ([[1.0, 1.0, 0.0], [0.5, 0.5, 1.0]], 0.0, 2),         # a pair identical, as the blog's P1 = P2
    ([[0.2, 0.205, 0.9], [0.7, 0.7, 0.1]], 0.01, 2),      # within the tolerance: one unit
    ([[0.2, 0.205, 0.9], [0.7, 0.7, 0.1]], 0.001, 3),
    ([[0.0, 0.008, 0.016]], 0.01, 2),                      # grouped by each group's first unit, not chained
])
def test_distinct_units(H, atol, expected):
    assert distinct_units(H, atol) == expected


def test_distinct_units_rejects_a_negative_tolerance_and_nan():
    with pytest.raises(ValueError, match="atol"):
        distinct_units(np.eye(2), -1.0)
    with pytest.raises(ValueError):
        distinct_units([[np.nan, 1.0]])


def test_distinct_units_counts_columns_as_distinct_codes_counts_rows():
    S = np.random.default_rng(0).choice([0.0, 0.5, 1.0], size=(16, 5))
    S[:, 1] = S[:, 0]
    assert distinct_units(S) == distinct_codes(S.T) == 4
