"""The anomaly study's figure: held-out scores of normal images and of anomalies."""

import numpy as np

from ..figures import plt

__all__ = ["scores_figure"]


def scores_figure(scores, auc, normal_class):
    """Histograms of ``score_samples`` for the normal class and the anomalies."""
    fig, ax = plt.subplots(figsize=(7, 4))
    bins = np.linspace(scores["score"].min(), scores["score"].max(), 40)
    for label, name in [(0, f"normal (digit {normal_class})"), (1, "anomalies (other digits)")]:
        ax.hist(scores.loc[scores["anomaly"] == label, "score"], bins=bins, alpha=0.6, density=True, label=name)
    ax.set_xlabel("score_samples: minus the reconstruction loss (lower = more abnormal)")
    ax.set_ylabel("density")
    ax.set_title(f"Held-out scores of an autoencoder trained on digit {normal_class} (ROC AUC {auc:.3f})")
    ax.legend()
    return fig
