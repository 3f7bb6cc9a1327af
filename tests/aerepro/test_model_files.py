"""aerepro.model_files: a model's files are those of MLflow's sklearn flavour, with its own pickle, uuid and size."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from ae import AutoEncoder
from aerepro.model_files import input_example, pinned_requirements, save_model


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
    mlflow.sklearn.save_model(model, tmp_path / "ref", serialization_format="pickle", pip_requirements=["aerepro"],
                              input_example=input_example(model.n_features_in_))
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


def test_saved_model_has_a_signature_and_an_input_example_of_its_width(model, tmp_path):
    from mlflow.models import Model

    save_model(model, tmp_path / "model", ("aerepro",))
    saved = Model.load(str(tmp_path / "model"))
    width = model.n_features_in_
    for spec in (saved.signature.inputs, saved.signature.outputs):
        assert spec.to_dict()[0]["tensor-spec"] == {"dtype": "float64", "shape": (-1, width)}
    example = saved.load_input_example(str(tmp_path / "model"))
    np.testing.assert_array_equal(example, np.eye(1, width))
    other = AutoEncoder(hidden_layer_sizes=(2,), max_iter=5, tol=0.0).fit(np.eye(4))
    save_model(other, tmp_path / "other", ("aerepro",))  # another width: a template of its own
    assert Model.load(str(tmp_path / "other")).signature.inputs.to_dict()[0]["tensor-spec"]["shape"] == (-1, 4)


def test_pinned_requirements_name_the_installed_versions():
    import sklearn

    pins = pinned_requirements(["numpy", "scikit-learn", "no-such-distribution-here"])
    assert pins == [f"numpy=={np.__version__}", f"scikit-learn=={sklearn.__version__}", "no-such-distribution-here"]
