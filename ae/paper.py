"""The paper's worked example: its printed 3-4-3 network, the forward pass, a drawing."""

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .estimator import AutoEncoder
from .plots import plt

__all__ = ["load_paper", "paper_model", "forward_pass_table", "network_figure", "same_to_digits"]


def load_paper(path):
    """The paper's data file (``sources/paper.yaml``) as a dict."""
    return yaml.safe_load(Path(path).read_text())


def paper_model(source):
    """An :class:`~ae.AutoEncoder` holding the paper's printed weights.

    Parameters
    ----------
    source : dict
        As returned by :func:`load_paper`.
    """
    w = source["weights"]
    model = AutoEncoder(**{**source["network"], "hidden_layer_sizes": tuple(source["network"]["hidden_layer_sizes"])})
    model.coefs_ = [np.array(w["W1"], dtype=float), np.array(w["W2"], dtype=float)]
    model.intercepts_ = [np.array(w["b1"], dtype=float), np.array(w["b2"], dtype=float)]
    model.n_features_in_ = model.coefs_[0].shape[0]
    return model


def same_to_digits(a, b, digits=6):
    """True when ``a`` and ``b`` agree once both are rounded to ``digits`` significant digits."""
    return float(f"{a:.{digits}g}") == float(f"{b:.{digits}g}")


def forward_pass_table(model, source, digits=6):
    """Every intermediate value of the worked forward pass, ours beside the paper's.

    Returns a DataFrame with columns ``quantity``, ``ours``, ``paper`` and
    ``match`` (equal to ``digits`` significant digits).
    """
    printed = source["forward_pass"]
    x = np.array([printed["input"]], dtype=float)
    W1, W2 = model.coefs_
    b1, b2 = model.intercepts_
    ours = {
        "z1": (x @ W1 + b1)[0],
        "a1": model.transform(x)[0],
        "z2": (model.transform(x) @ W2 + b2)[0],
        "output": model.predict(x)[0],
    }
    rows = []
    for name, values in ours.items():
        for i, (mine, theirs) in enumerate(zip(values, printed[name])):
            rows.append({"quantity": f"{name}[{i}]", "ours": mine, "paper": float(theirs),
                         "match": same_to_digits(mine, theirs, digits)})
    return pd.DataFrame(rows)


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
                t = 0.28
                ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0), f"{w:.3g}", fontsize=6.5, ha="center", va="center",
                        bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.8), zorder=3)
    for l, y in enumerate(ys):
        ax.scatter(np.full(len(y), l), y, s=700, color="#f2f2f2", edgecolors="black", zorder=2)
        for k, yy in enumerate(y):
            ax.text(l, yy, f"{layer_names[min(l, len(layer_names) - 1)][0]}{k}", ha="center", va="center", fontsize=8, zorder=4)
            if l:
                ax.text(l + 0.13, yy - 0.32, f"b={intercepts[l - 1][k]:.3g}", fontsize=7, color="dimgray", zorder=4)
    for l in range(len(sizes)):
        name = layer_names[0] if l == 0 else layer_names[-1] if l == len(sizes) - 1 else layer_names[1]
        ax.text(l, max(sizes) - 0.35, name, ha="center", fontsize=9, weight="bold")
    sm = plt.cm.ScalarMappable(cmap=cmap, norm=plt.Normalize(-limit, limit))
    fig.colorbar(sm, ax=ax, shrink=0.6, label="weight")
    ax.set_xlim(-0.5, len(sizes) - 0.5)
    ax.set_ylim(-0.8, max(sizes) - 0.1)
    ax.axis("off")
    ax.set_title(title)
    return fig
