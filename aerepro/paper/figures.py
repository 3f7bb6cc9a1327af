"""The paper's figures: the loss over epochs, and a trained network drawn as the paper draws its own."""

import numpy as np

from ..figures import plt

__all__ = ["loss_figure", "network_figure"]


def loss_figure(curves, runs):
    """Loss against epoch, one line per seed, a colour per variant."""
    fig, ax = plt.subplots(figsize=(7, 4))
    variants = list(runs["variant"].unique())
    for variant, group in runs.groupby("variant", sort=False):
        for k, name in enumerate(group["run"]):
            c = curves[curves["run"] == name]
            ax.plot(c["epoch"], c["loss"], lw=0.8, alpha=0.7, color=f"C{variants.index(variant)}",
                    label=variant if k == 0 else None)
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss (binary cross-entropy, epoch mean)")
    ax.set_title("3-4-3 on the 8 three-bit patterns: loss over epochs (one line per seed)")
    ax.legend(title="variant")
    ax.grid(True, alpha=0.3)
    return fig


def _label_position(j, n_targets):
    """Where along an edge (0 = its source, 1 = its target) the weight of an edge into target ``j`` is written.

    The edges into one target get one position and every target its own, so
    the labels of a layer stand in columns, one per target, apart from each
    other and from the nodes (and the bias labels under them).
    """
    return 0.5 if n_targets == 1 else 0.26 + 0.44 * j / (n_targets - 1)


def network_figure(coefs, intercepts, title, layer_names=("input", "hidden", "output")):
    """Draw a fully connected network: nodes by layer, edges coloured and sized by weight.

    Edge colour is the weight's sign and size (blue negative, red positive),
    line width its magnitude; every weight is written on its edge and every
    bias beside its node.
    """
    sizes = [coefs[0].shape[0]] + [W.shape[1] for W in coefs]
    fig, ax = plt.subplots(figsize=(2.8 * len(sizes) + 1, 1.3 * max(sizes) + 1))
    ys = [np.linspace(0, max(sizes) - 1, n) if n > 1 else np.array([(max(sizes) - 1) / 2]) for n in sizes]
    ys = [y[::-1] for y in ys]
    limit = max(np.abs(W).max() for W in coefs)
    cmap = plt.get_cmap("coolwarm")
    for l, W in enumerate(coefs):
        for i in range(W.shape[0]):
            for j in range(W.shape[1]):
                x0, y0, x1, y1 = l, ys[l][i], l + 1, ys[l + 1][j]
                w = W[i, j]
                ax.plot([x0, x1], [y0, y1], color=cmap(0.5 + 0.5 * w / limit), lw=0.5 + 3.5 * abs(w) / limit, zorder=1)
                t = _label_position(j, W.shape[1])
                ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0), f"{w:.3g}", fontsize=6.5, ha="center", va="center",
                        bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.8), zorder=3)
    for l, y in enumerate(ys):
        ax.scatter(np.full(len(y), l), y, s=700, color="#f2f2f2", edgecolors="black", zorder=2)
        for k, yy in enumerate(y):
            ax.text(l, yy, f"{layer_names[min(l, len(layer_names) - 1)][0]}{k}", ha="center", va="center", fontsize=8, zorder=4)
            if l:
                ax.text(l, yy - 0.3, f"b={intercepts[l - 1][k]:.3g}", fontsize=7, color="dimgray", ha="center",
                        va="top", zorder=4)
    for l in range(len(sizes)):
        name = layer_names[0] if l == 0 else layer_names[-1] if l == len(sizes) - 1 else layer_names[1]
        ax.text(l, max(sizes) - 0.35, name, ha="center", fontsize=9, weight="bold")
    sm = plt.cm.ScalarMappable(cmap=cmap, norm=plt.Normalize(-limit, limit))
    fig.colorbar(sm, ax=ax, shrink=0.6, label="weight")
    ax.set_xlim(-0.5, len(sizes) - 0.5)
    ax.set_ylim(-0.9, max(sizes) - 0.1)
    ax.axis("off")
    ax.set_title(title)
    return fig
