"""aerepro.model_files: a model's files are those of MLflow's sklearn flavour, with its own pickle, uuid and size."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from ae import AutoEncoder
from aerepro.model_files import save_model


@pytest.fixture(scope="module")
def model():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return AutoEncoder(hidden_layer_sizes=(3,), max_iter=20, random_state=0).fit(np.eye(6))


def test_saved_model_is_mlflows_sklearn_flavour_with_its_own_pickle_uuid_and_size(model, tmp_path):
    import mlflow.sklearn
    import yaml

    for name in ("a", "b"):
        save_model(model, tmp_path / name / "model", ("aerepro",))
    mlflow.sklearn.save_model(model, tmp_path / "ref", serialization_format="pickle", pip_requirements=["aerepro"])
    ours, ref = tmp_path / "a" / "model", tmp_path / "ref"
    assert sorted(f.name for f in ours.iterdir()) == sorted(f.name for f in ref.iterdir())
    for f in ref.iterdir():
        if f.name != "MLmodel":
            assert (ours / f.name).read_bytes() == f.read_bytes(), f.name
    mine, theirs = (yaml.safe_load((d / "MLmodel").read_text()) for d in (ours, ref))
    varying = {"model_uuid", "utc_time_created", "model_size_bytes"}
    assert {k: v for k, v in mine.items() if k not in varying} == {k: v for k, v in theirs.items() if k not in varying}
    other = yaml.safe_load((tmp_path / "b" / "model" / "MLmodel").read_text())
    assert mine["model_uuid"] != other["model_uuid"]
    assert abs(mine["model_size_bytes"] - sum(f.stat().st_size for f in ours.iterdir())) <= 8
    loaded = mlflow.sklearn.load_model(str(ours))
    X = np.eye(model.n_features_in_)
    np.testing.assert_array_equal(loaded.transform(X), model.transform(X))
