"""aerepro.chance: the permutation null of the agreement between codes."""

import numpy as np
import pytest

from aerepro.chance import chance_agreement, chance_group_agreement, summarize_null
from aerepro.codes import agreement


def test_chance_agreement_of_one_column_is_the_analytic_level():
    # One unit: alignment is the identity, so the null is the agreement of two independent
    # draws with these level frequencies: sum over levels of p_ref(l) * p(l).
    rng = np.random.RandomState(3)
    S_ref = rng.choice([0.0, 0.5, 1.0], p=[0.5, 0.2, 0.3], size=(400, 1))
    S = rng.choice([0.0, 0.5, 1.0], p=[0.2, 0.2, 0.6], size=(400, 1))
    p_ref = [np.mean(S_ref == level) for level in (0.0, 0.5, 1.0)]
    p = [np.mean(S == level) for level in (0.0, 0.5, 1.0)]
    expected = sum(a * b for a, b in zip(p_ref, p))
    assert chance_agreement(S_ref, S, n_permutations=300).mean() == pytest.approx(expected, abs=0.01)


def test_identical_codes_score_one_and_stand_far_above_chance():
    S = np.random.RandomState(0).choice([0.0, 0.5, 1.0], size=(16, 4))
    null = chance_agreement(S, S, n_permutations=200)
    assert agreement(S, S) == 1.0
    assert null.max() < 1.0 and np.mean(null >= 1.0) == 0.0
    # and alignment lifts chance above the unaligned level: it picks the best of the column matchings
    unaligned = np.mean([agreement(S, S[np.random.RandomState(k).permutation(16)]) for k in range(200)])
    assert null.mean() >= unaligned - 0.01


def test_chance_agreement_is_seeded():
    S = np.random.RandomState(1).choice([0.0, 1.0], size=(8, 3))
    assert np.array_equal(chance_agreement(S, S, n_permutations=20, random_state=5),
                          chance_agreement(S, S, n_permutations=20, random_state=5))


def test_group_null_of_independent_random_codes_sits_at_their_observed_level():
    # Independent random codes share nothing: their observed mean agreement is itself a draw
    # from the null, so it lands inside it (not above its 95th percentile, in this seeded case)
    rng = np.random.RandomState(7)
    codes = [rng.choice([0.0, 0.5, 1.0], size=(16, 5)) for _ in range(5)]
    from aerepro.codes import align_columns, apply_alignment
    observed = np.mean([agreement(codes[0], apply_alignment(S, align_columns(codes[0], S))) for S in codes[1:]])
    summary = summarize_null(chance_group_agreement(codes, n_permutations=300), observed)
    assert summary.mean == pytest.approx(observed, abs=0.06)
    assert summary.p_value > 0.05


def test_group_null_of_identical_codes_puts_them_far_above_chance():
    S = np.random.RandomState(2).choice([0.0, 1.0], size=(16, 4))
    summary = summarize_null(chance_group_agreement([S] * 5, n_permutations=200), 1.0)
    assert summary.q95 < 0.9 and summary.p_value == pytest.approx(1 / 201)


def test_group_null_needs_two_codes():
    with pytest.raises(ValueError, match="at least two"):
        chance_group_agreement([np.zeros((4, 2))])


def test_the_shuffles_draw_from_the_generator_scikit_learns_check_random_state_would_give():
    from sklearn.utils import check_random_state

    from aerepro.chance import _random_state

    for seed in (0, 7, np.random.RandomState(3), None):
        ours, theirs = _random_state(seed), check_random_state(seed)
        assert type(ours) is type(theirs)
        if not isinstance(seed, int):
            assert ours is theirs  # the caller's generator (or NumPy's global one) itself, not a copy
    np.testing.assert_array_equal(_random_state(7).permutation(50), check_random_state(7).permutation(50))


def test_chance_group_draws_the_agreement_null_and_the_consensus_binary_null_from_the_same_shuffles():
    from aerepro.chance import chance_group, chance_group_agreement

    rng = np.random.default_rng(0)
    snapped = [rng.choice([0.0, 0.5, 1.0], size=(16, 4)) for _ in range(5)]
    agreement, binary = chance_group(snapped, n_permutations=50, random_state=3)
    np.testing.assert_array_equal(agreement, chance_group_agreement(snapped, n_permutations=50, random_state=3))
    assert binary.shape == (50,) and np.all((0 <= binary) & (binary <= 1))
    # codes of 0s and 1s only: any consensus of an odd number of them is binary, agreeing or not
    binary_codes = [rng.choice([0.0, 1.0], size=(16, 4)) for _ in range(5)]
    assert np.all(chance_group(binary_codes, n_permutations=20)[1] == 1.0)
    # a tie between 0 and 1 goes to 0, still binary; a majority of 0.5 is not
    half = [np.full((4, 2), 0.5)] * 3
    assert np.all(chance_group(half, n_permutations=5)[1] == 0.0)
    with pytest.raises(ValueError, match="at least two"):
        chance_group(snapped[:1])
