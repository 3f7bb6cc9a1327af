"""The split protocol: train, validation and test images, disjoint, stratified, and different for each seed."""

import numpy as np
import pytest

from aerepro.anomaly.split import PARTS, load_images, normal_train, scored_part, split_indices


@pytest.fixture(scope="module")
def images():
    return load_images()


def test_every_image_is_in_exactly_one_part_and_test_images_in_no_other(images):
    X, y = images
    parts = split_indices(y, 0.2, 0.3, seed=0)
    assert list(parts) == list(PARTS)
    together = np.concatenate(list(parts.values()))
    assert sorted(together.tolist()) == list(range(len(y)))
    assert not set(parts["test"]) & (set(parts["train"]) | set(parts["validation"]))
    assert not set(parts["train"]) & set(parts["validation"])


def test_the_parts_have_their_shares_of_every_digit(images):
    X, y = images
    parts = split_indices(y, 0.2, 0.3, seed=3)
    for digit in range(10):
        n = (y == digit).sum()
        assert abs((y[parts["test"]] == digit).sum() - 0.3 * n) <= 1
        assert abs((y[parts["validation"]] == digit).sum() - 0.2 * n) <= 1


def test_seeds_give_different_splits_and_a_seed_the_same(images):
    X, y = images
    a, b = split_indices(y, 0.2, 0.3, seed=0), split_indices(y, 0.2, 0.3, seed=1)
    assert not np.array_equal(a["test"], b["test"]) and not np.array_equal(a["train"], b["train"])
    again = split_indices(y, 0.2, 0.3, seed=0)
    assert all(np.array_equal(a[p], again[p]) for p in PARTS)


def test_a_detector_trains_on_its_digit_s_train_images_only(images):
    X, y = images
    parts = split_indices(y, 0.2, 0.3, seed=0)
    train = normal_train(X, y, parts["train"], 4)
    assert len(train) == (y[parts["train"]] == 4).sum()
    rows = {X[i].tobytes() for i in parts["train"] if y[i] == 4}
    assert {row.tobytes() for row in train} == rows


def test_a_scored_part_marks_the_other_digits_as_anomalies(images):
    X, y = images
    parts = split_indices(y, 0.2, 0.3, seed=0)
    X_test, is_anomaly, digit = scored_part(X, y, parts["test"], 7)
    assert len(X_test) == len(parts["test"])
    assert (digit[is_anomaly == 0] == 7).all() and (digit[is_anomaly == 1] != 7).all()
    assert set(digit[is_anomaly == 1]) == set(range(10)) - {7}
    assert 0 <= X_test.min() and X_test.max() <= 1
