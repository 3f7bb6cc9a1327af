"""The paper's worked example and the network drawing."""

from pathlib import Path

import numpy as np
import pytest

from aerepro.paper.analysis import forward_pass_table, load_paper, paper_model, same_to_digits
from aerepro.paper.figures import network_figure

SOURCE = load_paper(Path(__file__).resolve().parents[3] / "sources" / "paper.yaml")


def test_every_printed_intermediate_matches_to_six_digits():
    table = forward_pass_table(paper_model(SOURCE), SOURCE)
    assert len(table) == 4 + 4 + 3 + 3
    assert table["match"].all()


def test_a_wrong_weight_is_caught():
    broken = paper_model(SOURCE)
    broken.coefs_[1][0, 0] += 1e-3
    table = forward_pass_table(broken, SOURCE).set_index("quantity")
    assert table.loc["z1[0]", "match"]  # the first layer is untouched
    assert not table.loc["z2[0]", "match"]


@pytest.mark.parametrize("a, b, same", [(3.23826473e-05, 3.23826e-05, True), (0.1234564, 0.1234566, False), (2.0, 2.0000004, True)])
def test_same_to_digits(a, b, same):
    assert same_to_digits(a, b) is same


def test_network_figure_labels_every_weight_and_bias():
    model = paper_model(SOURCE)
    fig = network_figure(model.coefs_, model.intercepts_, "title here")
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert ax.get_title() == "title here"
    assert "3.12" in texts and "-5.56" in texts  # weights, 3 significant digits
    assert sum(t.startswith("b=") for t in texts) == 4 + 3
    assert len(ax.lines) == 3 * 4 + 4 * 3


@pytest.mark.parametrize("long_biases", [False, True])
def test_network_figure_labels_do_not_overlap(long_biases):
    model = paper_model(SOURCE)
    if long_biases:  # the longest labels a bias gets at 3 significant digits
        model.intercepts_ = [np.full(4, -0.000229), np.full(3, -0.000455)]
    fig = network_figure(model.coefs_, model.intercepts_, "title")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    labels = [t for t in fig.axes[0].texts if t.get_text() and not t.get_text()[0].isalpha() or
              t.get_text().startswith("b=")]
    boxes = [t.get_window_extent(renderer) for t in labels]
    assert len(boxes) == 3 * 4 + 4 * 3 + 4 + 3
    clashes = [(labels[i].get_text(), labels[j].get_text()) for i in range(len(boxes)) for j in range(i)
               if boxes[i].overlaps(boxes[j])]
    assert clashes == []
