"""aerepro.chance: the permutation null of the agreement between codes."""

import numpy as np
import pytest

from aerepro.chance import chance_agreement
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
