"""The blog study's figures: loss curves by protocol and activation, and code heat maps."""

import numpy as np

from ..figures import plt

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

    A panel per (activation setting, init): rows are the inputs, columns the
    code units in aligned order, colour the raw activation. A run with no
    code (diverged) gets an empty panel saying so. Each activation setting's
    row has its own colour range: [0, 1] (a sigmoid's), widened to the row's
    values where they leave it (tanh codes reach -1, ReLU codes go above 1),
    printed beside the row.

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
    fig, axes = plt.subplots(len(activations), len(inits), figsize=(1.25 * len(inits) + 1.6, 2.3 * len(activations)),
                             sharex=True, sharey=True, squeeze=False, layout="constrained")
    by_run = dict(tuple(aligned.groupby("run", sort=False)))
    ranges = {}
    for activation in activations:
        values = aligned[aligned["run"].isin(runs.loc[runs["activation"] == activation, "run"])]["value"]
        ranges[activation] = (min(0.0, float(values.min())) if len(values) else 0.0,
                              max(1.0, float(values.max())) if len(values) else 1.0)
    image = None
    for (i, activation), (j, init) in ((a, c) for a in enumerate(activations) for c in enumerate(inits)):
        ax = axes[i, j]
        same_init = runs["init_value"].isna() if np.isnan(init) else runs["init_value"] == init
        row = runs[(runs["activation"] == activation) & same_init]
        codes = by_run.get(row["run"].iloc[0]) if len(row) else None
        if codes is None:
            ax.text(0.5, 0.5, "no code\n(" + (row["stop_reason"].iloc[0] if len(row) else "missing") + ")",
                    ha="center", va="center", fontsize=8, transform=ax.transAxes)
        else:
            H = codes.pivot(index="input", columns="unit", values="value").to_numpy()
            low, high = ranges[activation]
            image = ax.imshow(H, vmin=low, vmax=high, cmap="viridis", aspect="auto", interpolation="nearest")
            ax.set_xticks(range(H.shape[1]), [str(u + 1) for u in range(H.shape[1])])
            ax.set_yticks(range(0, H.shape[0], 3), [str(r) for r in range(0, H.shape[0], 3)])
            ax.tick_params(labelsize=6)
        if i == 0:
            ax.set_title("random start" if np.isnan(init) else f"c={init:g}", fontsize=9)
        if i == len(activations) - 1:
            ax.set_xlabel("unit (aligned)", fontsize=7)
        if j == 0:
            low, high = ranges[activation]
            ax.set_ylabel(f"{activation}\ncolour {low:.3g}..{high:.3g}\ninput", fontsize=7)
    for ax in axes.flat:
        ax.label_outer()  # tick labels on the outer panels only: they are shared
    if image is not None:
        fig.colorbar(image, ax=axes, shrink=0.6, label="activation, low to high of the row's range")
    fig.suptitle(title)
    return fig
