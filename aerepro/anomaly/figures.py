"""The anomaly study's figure: test squared reconstruction errors of normal images and of anomalies, per method."""

import numpy as np

from ..figures import plt

__all__ = ["scores_figure"]


def scores_figure(scores, aucs, names, normal_class):
    """One panel per reconstruction method: histograms of its squared errors for the normal digit and the others.

    ``scores`` has columns ``method``, ``anomaly`` and ``score``; ``aucs`` maps
    a method to its ROC AUC on these scores, ``names`` to its name on the page.
    """
    methods = list(dict.fromkeys(scores["method"]))
    fig, axes = plt.subplots(1, len(methods), figsize=(5 * len(methods), 4), sharey=True, squeeze=False)
    bins = np.linspace(0, scores["score"].max(), 40)
    for ax, m in zip(axes[0], methods):
        mine = scores[scores["method"] == m]
        for label, name in [(0, f"normal (digit {normal_class})"), (1, "anomalies (other digits)")]:
            ax.hist(mine.loc[mine["anomaly"] == label, "score"], bins=bins, alpha=0.6, density=True, label=name)
        ax.set_xlabel("squared reconstruction error (higher = more abnormal)")
        ax.set_title(f"{names.get(m, m)}, test ROC AUC {aucs[m]:.3f}")
    axes[0][0].set_ylabel("density")
    axes[0][0].legend()
    return fig
