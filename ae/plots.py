"""Figures of the pipeline and the report (matplotlib, no display needed)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

__all__ = ["loss_curves_figure", "code_heatmaps_figure", "save_figure", "family_success_figure",
           "family_epochs_figure", "family_cost_figure"]


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


#: The shares of the family summary drawn by :func:`family_success_figure`: column -> panel title.
FAMILY_SHARES = {
    "distinct_share": "N distinct codes (snapped to 0, 0.5, 1)",
    "binarised_share": "N distinct codes (binarised at 0.5)",
    "bijection_share": "perfect binary code (bijection)",
}


def _family_lines(ax, summary, column):
    for (k_extra, init), group in summary.groupby(["extra", "init"], sort=False):
        label = init + (f", log2(N)+{k_extra} units" if summary["extra"].nunique() > 1 else "")
        ax.plot(group["n_inputs"], group[column], marker="o", lw=1.2, label=label)
    ax.set_xscale("log", base=2)
    ax.set_xlabel("N (one-hot patterns; code width log2 N)")
    ax.grid(True, which="both", alpha=0.3)


def family_success_figure(summary, literature=None):
    """Success shares over seeds against N: a panel per measure, a line per init (and code width).

    Parameters
    ----------
    summary : DataFrame
        ``ae.family.summarize_family`` with an ``extra`` column (code units
        beyond log2 N).
    literature : DataFrame, default=None
        ``ae.family.literature_table``: figures with an ``ours_column`` are
        marked in that measure's panel at their N.
    """
    fig, axes = plt.subplots(1, len(FAMILY_SHARES), figsize=(4.2 * len(FAMILY_SHARES), 3.6), sharey=True)
    for ax, (column, title) in zip(axes, FAMILY_SHARES.items()):
        _family_lines(ax, summary, column)
        if literature is not None:
            for k, row in enumerate(literature[literature["ours_column"] == column].itertuples()):
                n = int(row.architecture.split("-")[0])
                ax.plot([n], [row.literature_share], marker="*", ms=13, ls="none", color="k",
                        label=f"literature, {row.source} ({row.literature})")
        ax.set_title(title, fontsize=10)
        ax.set_ylim(-0.03, 1.03)
        ax.legend(fontsize=7, loc="best")
    axes[0].set_ylabel("share of seeds")
    fig.suptitle("N-log2(N)-N encoders: how often a seed finds a code that tells the N patterns apart")
    fig.tight_layout()
    return fig


def family_epochs_figure(summary, max_iter):
    """Median epochs to the stop rule against N, a line per init; the budget as a dashed line."""
    fig, ax = plt.subplots(figsize=(6.5, 4))
    _family_lines(ax, summary, "median_epochs")
    ax.axhline(max_iter, color="gray", ls="--", lw=1, label=f"budget (max_iter = {max_iter})")
    ax.set_yscale("log")
    ax.set_ylabel("median epochs to the stop rule")
    ax.set_title("N-log2(N)-N encoders: epochs to the stop rule (median over seeds)")
    ax.legend(fontsize=8)
    return fig


def family_cost_figure(cost, exponent, min_n):
    """Seconds per model-epoch against N on log-log axes, with the fitted power law from ``min_n`` up.

    Parameters
    ----------
    cost : DataFrame
        ``ae.family.cost_table``.
    exponent : tuple of (float, float) or None
        ``(p, log c)`` of ``seconds = c * N**p``, fitted from ``min_n`` up
        (None: no fit drawn).
    min_n : int
        Smallest N of the fit.
    """
    fig, ax = plt.subplots(figsize=(6.5, 4))
    for k_extra, group in cost.groupby("extra", sort=False):
        ax.plot(group["n_inputs"], 1e6 * group["seconds_per_model_epoch"], marker="o", lw=1.2,
                label="measured, code width log2(N)" + (f"+{k_extra}" if k_extra else ""))
    if exponent is not None:
        p, log_c = exponent
        n = np.geomspace(min_n, cost["n_inputs"].max(), 50)
        ax.plot(n, 1e6 * np.exp(log_c) * n**p, "k--", lw=1, label=f"fit from N = {min_n}: time ~ N^{p:.2f}")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("N (one-hot patterns)")
    ax.set_ylabel("microseconds per model-epoch")
    ax.set_title("Cost of one epoch of one model, trained stacked (fit_many)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    return fig


def code_heatmaps_figure(aligned, runs, title):
    """Hidden activations of every run of one protocol, columns aligned within each group.

    A panel per (activation setting, init): rows are the inputs, columns the
    code units in aligned order, colour the raw activation. A run with no
    code (diverged) gets an empty panel saying so. Colours span [0, 1], the
    range of a sigmoid code; ReLU codes above 1 and tanh codes below 0 show at
    the ends of the scale.

    Parameters
    ----------
    aligned : DataFrame
        Columns ``run``, ``input``, ``unit``, ``value`` (see :func:`ae.codes.analyse_codes`).
    runs : DataFrame
        Columns ``run``, ``activation``, ``init_value``, ``stop_reason``; one protocol.
    title : str
        Figure title.
    """
    activations = list(dict.fromkeys(runs["activation"]))
    inits = list(dict.fromkeys(runs["init_value"]))
    fig, axes = plt.subplots(len(activations), len(inits), figsize=(1.25 * len(inits) + 1.6, 2.3 * len(activations)),
                             sharex=True, sharey=True, squeeze=False, layout="constrained")
    by_run = dict(tuple(aligned.groupby("run", sort=False)))
    image = None
    for (i, activation), (j, init) in ((a, c) for a in enumerate(activations) for c in enumerate(inits)):
        ax = axes[i, j]
        row = runs[(runs["activation"] == activation) & (runs["init_value"] == init)]
        codes = by_run.get(row["run"].iloc[0]) if len(row) else None
        if codes is None:
            ax.text(0.5, 0.5, "no code\n(" + (row["stop_reason"].iloc[0] if len(row) else "missing") + ")",
                    ha="center", va="center", fontsize=8, transform=ax.transAxes)
        else:
            H = codes.pivot(index="input", columns="unit", values="value").to_numpy()
            image = ax.imshow(H, vmin=0, vmax=1, cmap="viridis", aspect="auto", interpolation="nearest")
            ax.set_xticks(range(H.shape[1]), [str(u + 1) for u in range(H.shape[1])])
            ax.set_yticks(range(0, H.shape[0], 3), [str(r) for r in range(0, H.shape[0], 3)])
            ax.tick_params(labelsize=6)
        if i == 0:
            ax.set_title(f"c={init:g}", fontsize=9)
        if i == len(activations) - 1:
            ax.set_xlabel("unit (aligned)", fontsize=7)
        if j == 0:
            ax.set_ylabel(f"{activation}\ninput", fontsize=8)
    for ax in axes.flat:
        ax.label_outer()  # tick labels on the outer panels only: they are shared
    if image is not None:
        fig.colorbar(image, ax=axes, shrink=0.6, label="activation (colour clipped to [0, 1])")
    fig.suptitle(title)
    return fig
