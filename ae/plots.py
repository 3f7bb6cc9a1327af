"""Figures of the pipeline and the report (matplotlib, no display needed)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

__all__ = ["loss_curves_figure", "save_figure"]


def save_figure(fig, path, dpi=110):
    """Save ``fig`` as PNG atomically and close it."""
    from .io import atomic_path

    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)


def loss_curves_figure(curves, runs, title):
    """Loss against epoch on log axes: a panel per (protocol, activation), a line per init.

    Parameters
    ----------
    curves : DataFrame
        Columns ``run``, ``epoch``, ``loss``.
    runs : DataFrame
        Columns ``run``, ``protocol``, ``activation``, ``init_value``.
    title : str
        Figure title.
    """
    protocols = list(dict.fromkeys(runs["protocol"]))
    activations = list(dict.fromkeys(runs["activation"]))
    fig, axes = plt.subplots(
        len(protocols), len(activations), figsize=(3.2 * len(activations), 2.6 * len(protocols)),
        sharex=True, sharey=True, squeeze=False,
    )
    by_run = dict(tuple(curves.groupby("run", sort=False)))
    colors = plt.cm.viridis(np.linspace(0, 0.9, runs["init_value"].nunique()))
    color_of = dict(zip(sorted(runs["init_value"].unique(), reverse=True), colors))
    for (i, protocol), (j, activation) in ((p, a) for p in enumerate(protocols) for a in enumerate(activations)):
        ax = axes[i, j]
        sel = runs[(runs["protocol"] == protocol) & (runs["activation"] == activation)]
        for _, row in sel.iterrows():
            c = by_run.get(row["run"])
            if c is not None:
                ax.plot(c["epoch"], c["loss"], color=color_of[row["init_value"]], lw=1, label=f"c={row['init_value']:g}")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(f"{protocol} · {activation}", fontsize=9)
        if i == len(protocols) - 1:
            ax.set_xlabel("epoch")
        if j == 0:
            ax.set_ylabel("loss (cross-entropy)")
        ax.grid(True, which="major", alpha=0.3)
    handles, labels = axes[0, 0].get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, title="initial weight", loc="upper right", fontsize=8)
    fig.suptitle(title)
    fig.tight_layout(rect=(0, 0, 0.93, 0.97))
    return fig
