"""ae: a scikit-learn compatible NumPy autoencoder whose math runs on stacks of models.

The library alone (NumPy, SciPy, scikit-learn, joblib, threadpoolctl); the
reproduction that uses it is the ``aerepro`` package.
"""

from .estimator import AutoEncoder
from .parallel import fit_many
from .training import SymmetricInitWarning, TrainingDivergedError

__all__ = ["AutoEncoder", "fit_many", "SymmetricInitWarning", "TrainingDivergedError"]
__version__ = "0.1.0"
