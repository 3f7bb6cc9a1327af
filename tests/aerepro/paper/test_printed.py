"""The printed network's loss on the 8 patterns, against a hand computation from the printed weights."""

import itertools
import math
from pathlib import Path

import numpy as np
import pytest

from aerepro.paper.analysis import load_paper, paper_model, printed_loss_table

SOURCE = load_paper(Path(__file__).resolve().parents[3] / "sources" / "paper.yaml")
PATTERNS = np.array(list(itertools.product([0, 1], repeat=3)), dtype=float)


def hand_loss(pattern):
    """The paper's forward pass and Keras' clipped binary cross-entropy, one scalar at a time."""
    w = SOURCE["weights"]
    slope = SOURCE["network"]["leaky_relu_slope"]
    hidden = []
    for j in range(4):
        z = w["b1"][j] + sum(pattern[i] * w["W1"][i][j] for i in range(3))
        hidden.append(z if z > 0 else slope * z)
    total = 0.0
    for k in range(3):
        z = w["b2"][k] + sum(hidden[j] * w["W2"][j][k] for j in range(4))
        p = min(max(1 / (1 + math.exp(-z)), 1e-7), 1 - 1e-7)
        total -= pattern[k] * math.log(p) + (1 - pattern[k]) * math.log(1 - p)
    return total / 3


def test_the_loss_of_pattern_000_by_hand():
    # [0, 0, 0]: every b1 is positive, so a1 = b1; z2 = b1 @ W2 + b2; target 0 everywhere.
    w = SOURCE["weights"]
    z2 = [w["b2"][k] + sum(w["b1"][j] * w["W2"][j][k] for j in range(4)) for k in range(3)]
    by_hand = -sum(math.log(1 - 1 / (1 + math.exp(-z))) for z in z2) / 3
    table = printed_loss_table(paper_model(SOURCE), PATTERNS).set_index("pattern")
    assert table.loc["000", "loss"] == pytest.approx(by_hand, rel=1e-12)


def test_every_pattern_and_the_mean_match_the_hand_computation():
    table = printed_loss_table(paper_model(SOURCE), PATTERNS)
    expected = [hand_loss(p) for p in PATTERNS]
    assert list(table["pattern"]) == ["000", "001", "010", "011", "100", "101", "110", "111"]
    np.testing.assert_allclose(table["loss"], expected, rtol=1e-12)
    assert table["loss"].mean() == pytest.approx(np.mean(expected), rel=1e-12)
    assert round(table["loss"].mean(), 4) == 0.0155  # the figure the printed weights give (about 0.0155)
    assert table["reconstructed"].all()


def test_a_network_that_outputs_ones_reconstructs_only_111():
    model = paper_model(SOURCE)
    model.intercepts_[1] = np.full(3, 100.0)  # every output saturates at 1
    table = printed_loss_table(model, PATTERNS).set_index("pattern")
    assert table["reconstructed"].sum() == 1 and table.loc["111", "reconstructed"]
    assert table.loc["000", "loss"] > 10  # -log(1e-7), clipped, on every output
