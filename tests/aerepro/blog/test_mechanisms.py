"""Tests of aerepro.blog.mechanisms: the clip loss, and where a constant ReLU network starts."""

import numpy as np
import pytest

from ae.losses import binary_crossentropy
from aerepro.blog.mechanisms import at_clip, clip_loss, constant_start_output
from aerepro.plateau import input_blind_loss


def bce(X, p):
    """The library's loss of predicting ``p`` everywhere (one model of a stack)."""
    return float(binary_crossentropy(np.full((1, *X.shape), p), X[None])[0])


def test_clip_loss_is_the_loss_of_outputs_at_or_above_one():
    X = np.eye(16)
    assert clip_loss(16, 1e-7) == pytest.approx(bce(X, 3.0), rel=1e-9)


def test_constant_start_output_matches_a_forward_pass():
    from ae import AutoEncoder

    for c in (1.0, 0.4, 0.2):
        model = AutoEncoder(hidden_layer_sizes=(8, 4, 8), activation="relu", output_activation="relu",
                            init="constant", init_value=c, max_iter=1, learning_rate_init=1e-300, tol=0.0)
        with pytest.warns(Warning):
            model.fit(np.eye(16))
        assert constant_start_output([16, 8, 4, 8, 16], c) == pytest.approx(model.predict(np.eye(16))[0, 0], rel=1e-6)


def test_at_clip_picks_the_clip_loss_only():
    assert at_clip([clip_loss(16, 1e-7), 15.0, input_blind_loss(16)], 16).tolist() == [True, False, False]
