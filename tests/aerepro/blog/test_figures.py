"""aerepro.blog.figures: what the code heat maps show."""

import numpy as np
import pandas as pd
import pytest

from aerepro.blog.figures import code_heatmaps_figure
from aerepro.figures import plt
from aerepro.runs import codes_frame


@pytest.fixture
def heatmaps():
    rng = np.random.default_rng(0)
    runs = pd.DataFrame({
        "run": ["s1", "s2", "r1", "r2"],
        "activation": ["sigmoid", "sigmoid", "relu", "relu"],
        "init_value": [1.0, 0.5, 1.0, 0.5],
        "stop_reason": ["tol", "tol", "tol", "diverged"],
    })
    codes = {"s1": rng.random((6, 3)), "s2": rng.random((6, 3)), "r1": 2.5 * rng.random((6, 3))}
    aligned = pd.concat([codes_frame(run, H) for run, H in codes.items()], ignore_index=True)
    fig = code_heatmaps_figure(aligned, runs, "title")
    yield fig, codes
    plt.close(fig)


def test_a_row_per_activation_shows_each_runs_code_as_a_block_in_init_order(heatmaps):
    fig, codes = heatmaps
    sigmoid, relu = (ax.get_images()[0].get_array() for ax in fig.axes[:2])
    np.testing.assert_array_equal(sigmoid[:, 0:3], codes["s1"])
    np.testing.assert_array_equal(sigmoid[:, 4:7], codes["s2"])
    np.testing.assert_array_equal(relu[:, 0:3], codes["r1"])
    assert np.ma.getmaskarray(sigmoid)[:, 3].all()  # the blank column between blocks


def test_a_run_without_a_code_is_an_empty_block_that_says_why(heatmaps):
    fig, _ = heatmaps
    relu = fig.axes[1]
    assert np.ma.getmaskarray(relu.get_images()[0].get_array())[:, 4:7].all()
    assert any("no code\n(diverged)" == t.get_text() for t in relu.texts)


def test_each_row_has_its_own_colour_range_widened_past_zero_to_one_only_where_its_codes_go(heatmaps):
    fig, codes = heatmaps
    sigmoid, relu = (ax.get_images()[0] for ax in fig.axes[:2])
    assert sigmoid.get_clim() == (0.0, 1.0)
    assert relu.get_clim() == (0.0, pytest.approx(codes["r1"].max()))
    assert f"colour 0..{codes['r1'].max():.3g}" in fig.axes[1].get_ylabel()


def test_the_colour_bar_names_the_ends_of_each_rows_range_not_one_rows_numbers(heatmaps):
    fig, _ = heatmaps
    bar = fig.axes[-1]
    assert [t.get_text() for t in bar.get_yticklabels()] == ["row's low", "row's high"]
