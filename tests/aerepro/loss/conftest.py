"""The loss tests' tiny study: the real params.yaml's blog networks cut down, and a ``loss`` block for them."""

import copy
from pathlib import Path

import numpy as np
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
REAL = yaml.safe_load((ROOT / "params.yaml").read_text())

#: A loss block for the tiny study (8 inputs, two configurations, short budgets).
LOSS = {
    "protocol": "jitter",
    "activation": "sigmoid",
    "compared": ["binary_crossentropy", "mse"],
    "estimator": {"tol": 0.0},
    "checkpoint_every": 50,
    "budgets": {"8-3-8": 1500, "8-4-8": 1000},
}


def tiny_params():
    """The real params.yaml with a study of two 8-input configurations, 2 inits x 3 seeds and the block above."""
    params = copy.deepcopy(REAL)
    study = params["study"]
    study["configurations"] = {"8-3-8": {"hidden_layer_sizes": [3]}, "8-4-8": {"hidden_layer_sizes": [4]}}
    study["inits"] = [1.0, 0.5]
    study["seeds"] = [0, 1, 2]
    study["estimator"]["learning_rate_init"] = 0.01
    params["loss"] = copy.deepcopy(LOSS)
    params["train"]["n_jobs"] = 1
    return params


def write_onehot(path, n=8):
    """The ``n`` one-hot inputs as the data stage writes them."""
    path.write_text(",".join(f"x{i}" for i in range(n)) + "\n"
                    + "".join(",".join(str(int(v)) for v in row) + "\n" for row in np.eye(n)))
    return path


@pytest.fixture(scope="session")
def trained(tmp_path_factory):
    """The tiny study trained by the stage's body: ``(folder, params file, data file)``."""
    from aerepro.loss.train import train

    work = tmp_path_factory.mktemp("loss")
    params_path, data_path = work / "params.yaml", work / "onehot.csv"
    params_path.write_text(yaml.safe_dump(tiny_params(), sort_keys=False))
    write_onehot(data_path)
    train(params_path, data_path, work / "runs" / "loss")
    return work / "runs" / "loss", params_path, data_path
