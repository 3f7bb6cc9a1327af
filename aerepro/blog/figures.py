"""The blog study's figures: loss curves by protocol and activation, and code heat maps."""

import numpy as np

from ..figures import plt
from ..runs import code_grid

__all__ = ["loss_curves_figure", "code_heatmaps_figure"]


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
    constants = sorted(runs["init_value"].dropna().unique(), reverse=True)
    color_of = dict(zip(constants, plt.cm.viridis(np.linspace(0, 0.9, len(constants)))))
    for (i, protocol), (j, activation) in ((p, a) for p in enumerate(protocols) for a in enumerate(activations)):
        ax = axes[i, j]
        sel = runs[(runs["protocol"] == protocol) & (runs["activation"] == activation)]
        for _, row in sel.iterrows():
            c = by_run.get(row["run"])
            if c is not None:
                init = row["init_value"]
                ax.plot(c["epoch"], c["loss"], color=color_of.get(init, "0.5"), lw=1,
                        label="random start" if np.isnan(init) else f"c={init:g}")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.minorticks_off()  # a log axis' minor ticks take most of the drawing time of many panels
        ax.set_title(f"{protocol} · {activation}", fontsize=9)
        if i == len(protocols) - 1:
            ax.set_xlabel("epoch")
        if j == 0:
            ax.set_ylabel("loss (cross-entropy)")
        ax.grid(True, which="major", alpha=0.3)
    labelled = {}
    for ax in axes.flat:  # one legend entry per init, whichever panel has it
        labelled.update({label: handle for handle, label in zip(*ax.get_legend_handles_labels())})
    if labelled:
        fig.legend(labelled.values(), labelled.keys(), title="initial weight", loc="upper right", fontsize=8)
    fig.suptitle(title)
    fig.tight_layout(rect=(0, 0, 0.93, 0.97))
    return fig


def code_heatmaps_figure(aligned, runs, title):
    """Hidden activations of every run of one protocol, columns aligned within each group.

    A row per activation setting, a block per init: rows of a block are the
    inputs, its columns the code units in aligned order, colour the raw
    activation. A run with no code (diverged) gets an empty block saying
    so. Each row has its own colour range: [0, 1] (a sigmoid's), widened to
    the row's values where they leave it (tanh codes reach -1, ReLU codes go
    above 1), printed beside the row.

    Each row is one image, its blocks side by side with a blank column
    between them: a panel per run took matplotlib about four times as long
    to lay out and draw, for the same picture.

    Parameters
    ----------
    aligned : DataFrame
        Columns ``run``, ``input``, ``unit``, ``value`` (see :func:`aerepro.blog.analysis.analyse_codes`).
    runs : DataFrame
        Columns ``run``, ``activation``, ``init_value``, ``stop_reason``; one protocol.
    title : str
        Figure title.
    """
    activations = list(dict.fromkeys(runs["activation"]))
    inits = list(dict.fromkeys(runs["init_value"].dropna())) + ([np.nan] if runs["init_value"].isna().any() else [])
    codes = {run: code_grid(frame)[2] for run, frame in aligned.groupby("run", sort=False)}
    n_inputs, n_units = next(iter(codes.values())).shape if codes else (1, 1)
    width = n_units + 1  # a block and the blank column after it
    fig, axes = plt.subplots(len(activations), 1, figsize=(1.25 * len(inits) + 1.6, 2.3 * len(activations)),
                             sharex=True, squeeze=False)
    fig.subplots_adjust(left=0.16, right=0.8, top=1 - 0.55 / (2.3 * len(activations)), hspace=0.12)
    cmap = plt.get_cmap("viridis").with_extremes(bad="white")
    image = None
    for ax, activation in zip(axes[:, 0], activations):
        mosaic = np.full((n_inputs, width * len(inits) - 1), np.nan)
        for j, init in enumerate(inits):
            same_init = runs["init_value"].isna() if np.isnan(init) else runs["init_value"] == init
            row = runs[(runs["activation"] == activation) & same_init]
            H = codes.get(row["run"].iloc[0]) if len(row) else None
            if H is None:
                ax.text(j * width + (n_units - 1) / 2, (n_inputs - 1) / 2,
                        "no code\n(" + (row["stop_reason"].iloc[0] if len(row) else "missing") + ")",
                        ha="center", va="center", fontsize=7)
            else:
                mosaic[:, j * width : j * width + n_units] = H
        values = mosaic[np.isfinite(mosaic)]
        low = min(0.0, float(values.min())) if values.size else 0.0
        high = max(1.0, float(values.max())) if values.size else 1.0
        image = ax.imshow(mosaic, vmin=low, vmax=high, cmap=cmap, aspect="auto", interpolation="nearest")
        ax.set_yticks(range(0, n_inputs, 3), [str(r) for r in range(0, n_inputs, 3)])
        ax.tick_params(labelsize=6)
        ax.set_ylabel(f"{activation}\ncolour {low:.3g}..{high:.3g}\ninput", fontsize=7)
        for side in ax.spines.values():
            side.set_visible(False)
    axes[-1, 0].set_xticks([j * width + u for j in range(len(inits)) for u in range(n_units)],
                           [str(u + 1) for _ in inits for u in range(n_units)])
    axes[-1, 0].set_xlabel("unit (aligned), per initial weight", fontsize=7)
    for j, init in enumerate(inits):
        axes[0, 0].text(j * width + (n_units - 1) / 2, 1.02, "random start" if np.isnan(init) else f"c={init:g}",
                        transform=axes[0, 0].get_xaxis_transform(), ha="center", va="bottom", fontsize=9)
    bar = fig.colorbar(image, ax=axes[:, 0].tolist(), shrink=0.6, label="activation")
    bar.set_ticks(image.get_clim(), labels=["row's low", "row's high"])  # the rows' ranges differ: printed beside each
    fig.suptitle(title)
    return fig
