"""The input corruption (ae/corruption.py): the noises of NOISES, a stack's corrupted copies, dropout masks."""

import numpy as np
import pytest

from ae import AutoEncoder
from ae.corruption import NOISES, corrupted, dropout_masks


def test_masking_zeroes_about_the_fraction_and_never_the_ones_column():
    rng = np.random.RandomState(0)
    Xa = np.ones((1000, 11))
    out = corrupted(Xa, [(0.3, "masking"), (0.0, "masking")], [rng, np.random.RandomState(1)])
    assert out.shape == (2, 1000, 11)
    assert abs((out[0, :, :-1] == 0).mean() - 0.3) < 0.01
    np.testing.assert_array_equal(out[0, :, -1], 1.0)
    np.testing.assert_array_equal(out[1], Xa)  # level 0: clean


def test_every_noise_kind_is_a_valid_noise_type_and_back():
    assert set(NOISES) == set(AutoEncoder._parameter_constraints["noise_type"][0].options)
    for kind in NOISES:
        inputs = np.ones((3, 4))
        NOISES[kind](inputs[:, :-1], 0.5, np.random.RandomState(0))
        np.testing.assert_array_equal(inputs[:, -1], 1.0)  # only the view given is corrupted
        assert not np.array_equal(inputs[:, :-1], 1.0)


def test_gaussian_noise_has_the_given_scale():
    out = corrupted(np.zeros((2000, 6)), [(0.5, "gaussian")], [np.random.RandomState(0)])
    assert out[0, :, :-1].std() == pytest.approx(0.5, rel=0.03)


def test_dropout_masks_are_inverted_and_per_model():
    masks = dropout_masks(4000, [5, 3], [0.25, 0.0], [np.random.RandomState(0), np.random.RandomState(1)])
    assert [m.shape for m in masks] == [(2, 4000, 5), (2, 4000, 3)]
    assert set(np.unique(masks[0][0])) == {0.0, 1 / 0.75}
    assert masks[0][0].mean() == pytest.approx(1.0, rel=0.02)
    np.testing.assert_array_equal(masks[1][1], 1.0)
