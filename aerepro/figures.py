"""Figures: matplotlib without a display, and saving a figure atomically.

Each study draws its own figures (``<study>/figures.py``) with the ``plt``
this module sets up.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from .io import atomic_path  # noqa: E402

__all__ = ["plt", "save_figure"]


def save_figure(fig, path, dpi=110):
    """Save ``fig`` as PNG atomically and close it."""
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
