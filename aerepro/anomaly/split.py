"""The anomaly study's data and its split: train, validation and test images, one split per seed.

Every image of scikit-learn's 8x8 digits (scaled to [0, 1]) goes to one part,
stratified by digit, the same for every normal class of a seed: a detector is
trained on the normal digit's train images, its settings are chosen on the
validation images (the normal digit's against the other digits'), and it is
scored on the test images only, which neither training nor choosing saw.
"""

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

__all__ = ["PARTS", "load_images", "split_indices", "normal_train", "scored_part"]

#: The parts of a split, in the order the images are used.
PARTS = ("train", "validation", "test")


def load_images():
    """``(X, y)``: scikit-learn's digits, pixels scaled to [0, 1], and their digit."""
    digits = load_digits()
    return digits.data / 16.0, digits.target


def split_indices(y, validation_size, test_size, seed):
    """Part name -> sorted image indices: ``test_size`` and ``validation_size`` of the images (shares of all of
    them, the validation's rounded to a whole number), the rest to train, each stratified by ``y`` and drawn with
    ``random_state=seed``.

    >>> parts = split_indices(np.repeat([0, 1], 10), 0.2, 0.3, seed=0)
    >>> {name: len(index) for name, index in parts.items()}
    {'train': 10, 'validation': 4, 'test': 6}
    """
    rest, test = train_test_split(np.arange(len(y)), test_size=test_size, stratify=y, random_state=seed)
    train, validation = train_test_split(rest, test_size=round(validation_size * len(y)), stratify=y[rest],
                                         random_state=seed)
    return {"train": np.sort(train), "validation": np.sort(validation), "test": np.sort(test)}


def normal_train(X, y, index, normal_class):
    """The training images of a detector of ``normal_class``: its images among ``index`` (the train part)."""
    return X[index][y[index] == normal_class]


def scored_part(X, y, index, normal_class):
    """``(X_part, is_anomaly, digit)`` of the images ``index``: every one scored, the other digits' as anomalies."""
    return X[index], (y[index] != normal_class).astype(int), y[index]
