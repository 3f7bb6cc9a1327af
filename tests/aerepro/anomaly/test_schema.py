"""The anomaly block's checks: one line per bad value, naming the key."""

import copy
from pathlib import Path

import pytest
import yaml

from aerepro.anomaly.schema import SCHEMA
from aerepro.anomaly.train import PARAMS
from aerepro.schema import check_params

ROOT = Path(__file__).resolve().parents[3]
REAL = yaml.safe_load((ROOT / "params.yaml").read_text())
KEYS = [k for k in PARAMS if k.startswith("anomaly.")]


def problems(**edits):
    params = copy.deepcopy(REAL)
    params["anomaly"].update(edits)
    return check_params({"anomaly": params["anomaly"]}, SCHEMA, keys=KEYS, params=params)


def test_the_repository_s_block_passes():
    assert problems() == []


@pytest.mark.parametrize("edits, expected", [
    ({"validation_size": 0.75}, "anomaly.validation_size: 0.75 + anomaly.test_size 0.3 leaves no training images"),
    ({"validation_size": 0}, "anomaly.validation_size: expected a float in (0, 1), got 0"),
    ({"epoch_fractions": [0.5, 1.5]}, "anomaly.epoch_fractions: item 1: expected a float in (0, 1], got 1.5"),
    ({"epoch_fractions": []}, "anomaly.epoch_fractions: empty list (no candidate to choose)"),
    ({"estimator": {**REAL["anomaly"]["estimator"], "checkpoint_epochs": [3]}},
     "anomaly.estimator.checkpoint_epochs: has no effect: anomaly.epoch_fractions sets it for every run"),
], ids=["no-train-left", "zero", "share-above-one", "empty", "checkpoints"])
def test_a_bad_value_is_one_line_naming_its_key(edits, expected):
    found = problems(**edits)
    assert len(found) == 1 and found[0].startswith(expected), found
