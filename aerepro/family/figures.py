"""The encoder family's figures: success over seeds and epochs against N."""


from ..figures import plt

__all__ = ["FAMILY_SHARES", "family_success_figure", "family_epochs_figure"]


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
        ``aerepro.family.analysis.summarize_family`` with an ``extra`` column (code units
        beyond log2 N).
    literature : DataFrame, default=None
        ``aerepro.family.analysis.literature_table``: figures with an ``ours_column`` are
        marked in that measure's panel at their N.
    """
    fig, axes = plt.subplots(1, len(FAMILY_SHARES), figsize=(4.2 * len(FAMILY_SHARES), 3.6), sharey=True)
    for ax, (column, title) in zip(axes, FAMILY_SHARES.items()):
        _family_lines(ax, summary, column)
        if literature is not None:
            for k, row in enumerate(literature[literature["ours_column"] == column].itertuples()):
                n = int(row.architecture.split("-")[0])
                ax.plot([n], [row.literature_share], marker="*", ms=13, ls="none", color="k",
                        label=f"literature, {row.source} ({row.literature})"
                              + (f", {row.comparison.split(' (')[0]} comparison" if row.comparison else ""))
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
