"""aerepro.loss.figures: the factor figure on constructed readings."""

import numpy as np
import pandas as pd

from aerepro.figures import plt
from aerepro.loss.figures import factor_figure

COMPARED = ["binary_crossentropy", "mse"]


def test_a_panel_per_configuration_a_median_line_per_loss_and_the_median_reconstruction_epoch():
    runs, records = [], []
    for configuration in ("8-3-8", "8-4-8"):
        for loss, scale, epoch in (("binary_crossentropy", 1.0, 200.0), ("mse", 2.0, np.nan)):
            for seed in range(3):
                name = f"{configuration}/{loss}/{seed}"
                runs.append({"run": name, "configuration": configuration, "loss": loss, "reconstruction_epoch": epoch})
                epochs = np.arange(0, 401, 100)
                records.append(pd.DataFrame({"run": name, "epoch": epochs, "factor": scale * (seed + 1) / (epochs + 1)}))
    fig = factor_figure(pd.concat(records), pd.DataFrame(runs), COMPARED)
    axes = fig.axes
    assert [ax.get_title() for ax in axes] == ["8-3-8", "8-4-8"]
    lines = axes[0].get_lines()
    medians = [line for line in lines if line.get_label() in COMPARED]
    assert [line.get_label() for line in medians] == COMPARED
    np.testing.assert_allclose(medians[1].get_ydata(), 2.0 * 2 / (np.arange(0, 401, 100) + 1))  # the middle seed
    vertical = [line for line in lines if line not in medians]
    assert [line.get_xdata()[0] for line in vertical] == [200.0]  # mse never reconstructed: no line
    plt.close(fig)
