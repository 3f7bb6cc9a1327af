"""A model's files in MLflow's sklearn flavour, written without MLflow's cost per model.

``mlflow.sklearn.save_model`` spends ~10 ms a model on YAML and package
lookups that give the same files for every model of a stage; only the
pickle, the model's uuid and its size differ. The flavour's files are saved
once per process and input width (:func:`_model_template`), and
:func:`save_model` writes each model's from them; ``mlflow.sklearn.load_model``
reads them back (tested against ``mlflow.sklearn.save_model``'s own).

Each model has a signature (float64 rows of its width in and out: ``predict``
is the reconstruction) and an input example (a one-hot row of that width),
and its requirements pin the versions this process runs
(:func:`pinned_requirements`), so that ``mlflow models`` can rebuild the
environment; ``aerepro`` itself is installed from the commit the parent run
records (``mlflow.source.git.commit``).
"""

import pickle
import re
import tempfile
import uuid
from importlib import metadata
from pathlib import Path

import numpy as np

__all__ = ["REQUIREMENTS", "pinned_requirements", "save_model"]

#: The distributions a saved model needs at load time: our package, and what its pickle is made of.
REQUIREMENTS = ("aerepro", "numpy", "scipy", "scikit-learn", "joblib", "threadpoolctl")

#: The flavour's pickle of the model, the one file that is each model's own.
PICKLE = "model.pkl"

#: The flavour's other files, by pip requirements: ``{name: bytes}`` (MLmodel as text).
_TEMPLATES = {}


def pinned_requirements(names=REQUIREMENTS):
    """``name==version`` of each installed distribution in ``names`` (the bare name when it is not installed).

    Examples
    --------
    >>> pinned_requirements(["numpy"]) == [f"numpy=={np.__version__}"]
    True
    """
    pinned = []
    for name in names:
        try:
            pinned.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pinned.append(name)
    return pinned


class _TemplateModel:
    """A stand-in estimator for saving the flavour's shared files: ``predict`` keeps the input's shape."""

    def predict(self, X):
        return np.asarray(X, dtype=np.float64)


def input_example(n_features):
    """A model's input example: the one-hot row of its first input, float64 of shape (1, n_features)."""
    return np.eye(1, n_features)


def _model_template(pip_requirements, n_features):
    """MLflow's sklearn-flavour files of this process, saved once per width: ``{name: bytes}`` (MLmodel as text).

    Parameters
    ----------
    pip_requirements : sequence of str
        Written into the flavour's requirement files.
    n_features : int
        The model's input (and output) width, for its signature and input example.

    Returns
    -------
    files : dict of str to bytes or str
        Every file but the pickle; ``MLmodel`` as text.
    """
    import mlflow.sklearn

    key = (tuple(pip_requirements), int(n_features))
    if key not in _TEMPLATES:
        with tempfile.TemporaryDirectory() as tmp:
            mlflow.sklearn.save_model(_TemplateModel(), Path(tmp, "model"), serialization_format="pickle",
                                      pip_requirements=list(pip_requirements),
                                      input_example=input_example(n_features))
            files = {f.name: f.read_bytes() for f in Path(tmp, "model").iterdir() if f.is_file()}
        files.pop(PICKLE)
        files["MLmodel"] = files["MLmodel"].decode()
        _TEMPLATES[key] = files
    return _TEMPLATES[key]


def save_model(model, target, pip_requirements):
    """Save a model as MLflow's sklearn flavour in the folder ``target``.

    The files are those ``mlflow.sklearn.save_model(..., serialization_format="pickle",
    input_example=...)`` writes (:func:`_model_template`), with the model's
    own pickle, a fresh ``model_uuid`` and its ``model_size_bytes``.

    Parameters
    ----------
    model : estimator
        Fitted (``n_features_in_``); pickled as ``model.pkl``.
    target : Path
        The model's folder, made if missing (a run stores it as ``model/``).
    pip_requirements : sequence of str
        The flavour's pip requirements.
    """
    target.mkdir(parents=True, exist_ok=True)
    files = _model_template(pip_requirements, model.n_features_in_)
    data = pickle.dumps(model, protocol=pickle.DEFAULT_PROTOCOL)
    (target / PICKLE).write_bytes(data)
    size = len(data)
    for name, content in files.items():
        if name != "MLmodel":
            (target / name).write_bytes(content)
            size += len(content)
    mlmodel = re.sub(r"(?m)^model_uuid: .*$", f"model_uuid: {uuid.uuid4().hex}", files["MLmodel"])
    size += len(mlmodel.encode())  # the size line's own digits barely matter; MLflow counts the folder
    mlmodel = re.sub(r"(?m)^model_size_bytes: .*$", f"model_size_bytes: {size}", mlmodel)
    (target / "MLmodel").write_text(mlmodel)
