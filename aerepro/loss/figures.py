"""The loss study's figure: MSE's gradient factor 2p(1-p) against epoch, under each loss."""

import numpy as np

from ..figures import plt

__all__ = ["factor_figure"]


def factor_figure(records, runs, compared):
    """The median gradient factor against epoch: a panel per configuration, a line per loss.

    Parameters
    ----------
    records : DataFrame
        ``run``, ``epoch``, ``factor`` (the median over outputs of 2p(1-p) at each reading).
    runs : DataFrame
        The runs table (``run``, ``configuration``, ``loss``, ``reconstruction_epoch``).
    compared : list of str
        The losses, in the order of their lines.

    Each line is the median over a loss's runs, the band their quartiles;
    a dotted vertical line marks the loss's median reconstruction epoch where
    more than half its runs reconstructed within the budget.
    """
    configurations = list(dict.fromkeys(runs["configuration"]))
    fig, axes = plt.subplots(1, len(configurations), figsize=(3.4 * len(configurations), 3.2), squeeze=False)
    colors = dict(zip(compared, ("tab:blue", "tab:orange")))
    joined = records.merge(runs[["run", "configuration", "loss"]], on="run")
    for ax, configuration in zip(axes[0], configurations):
        for name in compared:
            sel = joined[(joined["configuration"] == configuration) & (joined["loss"] == name)]
            by_epoch = sel.groupby("epoch")["factor"]
            quartiles = by_epoch.quantile([0.25, 0.5, 0.75]).unstack()
            epochs = quartiles.index.to_numpy()
            ax.fill_between(epochs, quartiles[0.25], quartiles[0.75], color=colors[name], alpha=0.2, lw=0)
            ax.plot(epochs, quartiles[0.5], color=colors[name], lw=1.2, label=name)
            own = runs[(runs["configuration"] == configuration) & (runs["loss"] == name)]["reconstruction_epoch"]
            median = own.fillna(np.inf).median()
            if np.isfinite(median):
                ax.axvline(median, color=colors[name], ls=":", lw=1)
        ax.set_yscale("log")
        ax.minorticks_off()
        ax.set_title(configuration, fontsize=9)
        ax.set_xlabel("epoch")
    axes[0, 0].set_ylabel("median over outputs of 2p(1-p)")
    axes[0, 0].legend(fontsize=8, title="trained with", title_fontsize=8)
    fig.suptitle("The factor MSE puts on the output delta (dotted: median epoch at which every input is reconstructed)",
                 fontsize=10)
    fig.tight_layout(rect=(0, 0, 1, 0.93))
    return fig
