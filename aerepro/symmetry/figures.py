"""The symmetric-start study's figures: the spread between hidden units over epochs, on this kernel and others."""

import numpy as np

from ..figures import plt

__all__ = ["spread_figure", "kernel_spread_figure"]


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
    configurations = list(dict.fromkeys(start["configuration"]))
    dtypes = list(dict.fromkeys(start["dtype"]))
    fig, axes = plt.subplots(len(dtypes), len(configurations), figsize=(3.3 * len(configurations), 2.8 * len(dtypes)),
                             sharex=True, sharey=True, squeeze=False)
    by_run = dict(tuple(records.groupby("run", sort=False)))
    inits = sorted(start["init_value"].unique(), reverse=True)
    colors = dict(zip(inits, plt.cm.viridis(np.linspace(0, 0.9, len(inits)))))
    for (i, dtype), (j, configuration) in ((d, c) for d in enumerate(dtypes) for c in enumerate(configurations)):
        ax = axes[i, j]
        sel = start[(start["dtype"] == dtype) & (start["configuration"] == configuration)]
        for row in sel.itertuples():
            r = by_run.get(row.run)
            if r is not None:
                ax.plot(r["epoch"].clip(lower=1), r["unit_spread"].clip(lower=1e-18), color=colors[row.init_value],
                        lw=1, label=f"c={row.init_value:g}")
        ax.axhline(level, color="gray", ls="--", lw=0.8)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.minorticks_off()  # a log axis' minor ticks take most of the drawing time of many panels
        ax.set_title(f"{configuration} · {dtype}", fontsize=9)
        if i == len(dtypes) - 1:
            ax.set_xlabel("epoch")
        if j == 0:
            ax.set_ylabel("spread between units\n(0 shown as 1e-18)")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, title="initial weight", loc="upper right", fontsize=8)
    fig.suptitle(f"Exact constant init: largest spread between the hidden units (dashed: separated, {level:g})")
    fig.tight_layout(rect=(0, 0, 0.92, 0.95))
    return fig


def kernel_spread_figure(records, runs, level):
    """Unit spread against epoch under each core type of the ``kernel`` arm: a panel per core type x configuration,
    a line per constant (solid float64, dotted float32); what separated rises through the dashed level."""
    arm = runs[runs["arm"] == "kernel"]
    cores = list(dict.fromkeys(arm["core_type"]))
    configurations = list(dict.fromkeys(arm["configuration"]))
    fig, axes = plt.subplots(len(cores), len(configurations), figsize=(3.3 * len(configurations), 2.6 * len(cores)),
                             sharex=True, sharey=True, squeeze=False)
    by_run = dict(tuple(records.groupby("run", sort=False)))
    inits = sorted(arm["init_value"].unique(), reverse=True)
    colors = dict(zip(inits, plt.cm.viridis(np.linspace(0, 0.9, len(inits)))))
    styles = {"float64": "-", "float32": ":"}
    for (i, core), (j, configuration) in ((c, k) for c in enumerate(cores) for k in enumerate(configurations)):
        ax = axes[i, j]
        sel = arm[(arm["core_type"] == core) & (arm["configuration"] == configuration)]
        for row in sel.itertuples():
            r = by_run.get(row.run)
            if r is not None:
                ax.plot(r["epoch"].clip(lower=1), r["unit_spread"].clip(lower=1e-18), color=colors[row.init_value],
                        ls=styles.get(row.dtype, "-"), lw=1, label=f"c={row.init_value:g}, {row.dtype}")
        ax.axhline(level, color="gray", ls="--", lw=0.8)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.minorticks_off()
        split = int(sel["separated_at"].notna().sum())
        ax.set_title(f"{core} · {configuration}\n{split} of {len(sel)} separated", fontsize=9)
        if i == len(cores) - 1:
            ax.set_xlabel("epoch")
        if j == 0:
            ax.set_ylabel("spread between units\n(0 shown as 1e-18)")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, loc="upper right", fontsize=7)
    fig.suptitle(f"The exact start under other OpenBLAS kernels (dashed: separated, {level:g})")
    fig.tight_layout(rect=(0, 0, 0.86, 0.95))
    return fig
