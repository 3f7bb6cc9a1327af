"""The symmetric-start study's figures: the spread between hidden units over epochs, on this kernel and others."""

import numpy as np

from ..figures import plt

__all__ = ["spread_figure", "kernel_spread_figure"]


def _spread_panels(records, arm, rows, columns, title, label, style=lambda row: "-", height=2.8):
    """A grid of log-log panels of unit spread against epoch: rows x columns of ``arm``'s runs, a line per run,
    coloured by its constant; ``title(row, column, runs)`` heads a panel and ``label(run)`` names a line."""
    row_key, row_values = rows
    column_key, column_values = columns
    fig, axes = plt.subplots(len(row_values), len(column_values),
                             figsize=(3.3 * len(column_values), height * len(row_values)),
                             sharex=True, sharey=True, squeeze=False)
    by_run = dict(tuple(records.groupby("run", sort=False)))
    inits = sorted(arm["init_value"].unique(), reverse=True)
    colors = dict(zip(inits, plt.cm.viridis(np.linspace(0, 0.9, len(inits)))))
    for (i, r_value), (j, c_value) in ((r, c) for r in enumerate(row_values) for c in enumerate(column_values)):
        ax = axes[i, j]
        sel = arm[(arm[row_key] == r_value) & (arm[column_key] == c_value)]
        for run in sel.itertuples():
            r = by_run.get(run.run)
            if r is not None:
                ax.plot(r["epoch"].clip(lower=1), r["unit_spread"].clip(lower=1e-18), color=colors[run.init_value],
                        ls=style(run), lw=1, label=label(run))
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.minorticks_off()  # a log axis' minor ticks take most of the drawing time of many panels
        ax.set_title(title(r_value, c_value, sel), fontsize=9)
        if i == len(row_values) - 1:
            ax.set_xlabel("epoch")
        if j == 0:
            ax.set_ylabel("spread between units\n(0 shown as 1e-18)")
    return fig, axes


def _finish(fig, axes, level, legend, suptitle, right):
    for ax in axes.flat:
        ax.axhline(level, color="gray", ls="--", lw=0.8)
    handles, labels = axes[0, 0].get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, loc="upper right", **legend)
    fig.suptitle(suptitle)
    fig.tight_layout(rect=(0, 0, right, 0.95))
    return fig


def spread_figure(records, runs, level):
    """Unit spread against epoch (log-log): a panel per configuration x dtype of the ``start`` arm, a line per constant.

    Parameters
    ----------
    records : DataFrame
        ``run``, ``epoch``, ``unit_spread``.
    runs : DataFrame
        The study's runs table (``arm``, ``configuration``, ``dtype``, ``init_value``).
    level : float
        The spread above which units count as separated (a dashed line).
    """
    start = runs[runs["arm"] == "start"]
    fig, axes = _spread_panels(records, start, ("dtype", list(dict.fromkeys(start["dtype"]))),
                               ("configuration", list(dict.fromkeys(start["configuration"]))),
                               lambda dtype, configuration, sel: f"{configuration} · {dtype}",
                               lambda run: f"c={run.init_value:g}")
    return _finish(fig, axes, level, {"title": "initial weight", "fontsize": 8},
                   f"Exact constant init: largest spread between the hidden units (dashed: separated, {level:g})", 0.92)


def kernel_spread_figure(records, runs, level):
    """Unit spread against epoch under each core type of the ``kernel`` arm: a panel per core type x configuration,
    a line per constant (solid float64, dotted float32); what separated rises through the dashed level."""
    arm = runs[runs["arm"] == "kernel"]
    styles = {"float64": "-", "float32": ":"}
    fig, axes = _spread_panels(
        records, arm, ("core_type", list(dict.fromkeys(arm["core_type"]))),
        ("configuration", list(dict.fromkeys(arm["configuration"]))),
        lambda core, configuration, sel: (f"{core} · {configuration}\n"
                                          f"{int(sel['separated_at'].notna().sum())} of {len(sel)} separated"),
        lambda run: f"c={run.init_value:g}, {run.dtype}", style=lambda run: styles.get(run.dtype, "-"), height=2.6)
    return _finish(fig, axes, level, {"fontsize": 7},
                   f"The exact start under other OpenBLAS kernels (dashed: separated, {level:g})", 0.86)
