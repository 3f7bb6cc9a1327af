"""ae: a scikit-learn compatible NumPy autoencoder whose math runs on stacks of models.

The library alone (NumPy, SciPy, scikit-learn, joblib, threadpoolctl); the
reproduction that uses it is the ``aerepro`` package.

The names below are imported on first use (PEP 562), so that a program
that needs only the math (``ae.losses``, ``ae.network``) does not import
scikit-learn, about a second of a process's start.
"""

__all__ = ["AutoEncoder", "fit_many", "SymmetricInitWarning", "TrainingDivergedError"]
__version__ = "0.1.0"


def __getattr__(name):
    if name == "AutoEncoder":
        from .estimator import AutoEncoder as value
    elif name == "fit_many":
        from .parallel import fit_many as value
    elif name == "SymmetricInitWarning":
        from .training import SymmetricInitWarning as value
    elif name == "TrainingDivergedError":
        from .training import TrainingDivergedError as value
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
