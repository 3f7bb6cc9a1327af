"""aerepro.loss.train: the stage's body on the tiny study, end to end."""

import joblib
import numpy as np
import pandas as pd
import pytest
import yaml

from aerepro.loss.grid import reading_epochs
from aerepro.loss.measures import common_error
from aerepro.loss.train import train
from aerepro.runs import MODELS, RECORDS, RUNS
from tests.aerepro.loss.conftest import LOSS, tiny_params

#: End to end: trains the tiny study (`python -m pytest -m 'not slow'` leaves it out while developing).
pytestmark = pytest.mark.slow


def test_one_row_per_run_with_its_reconstruction_and_no_clock(trained):
    folder, _, _ = trained
    runs = pd.read_csv(folder / RUNS)
    assert len(runs) == 2 * 2 * 2 * 3 and runs["run"].is_unique
    assert not [c for c in runs.columns if "second" in c or "time" in c]
    assert (runs["epochs"] == runs["configuration"].map(LOSS["budgets"])).all()  # no stop rule
    assert runs["stop_reason"].eq("max_iter").all()
    seen = runs["reconstruction_epoch"].dropna()
    assert len(seen) and (seen % LOSS["checkpoint_every"] == 0).all()
    assert runs.loc[runs["reconstructs_at_end"], "reconstructs_all"].all()  # its outputs round to the inputs


def test_the_readings_are_every_kept_epoch_of_every_run(trained):
    folder, _, _ = trained
    runs, records = pd.read_csv(folder / RUNS), pd.read_csv(folder / RECORDS)
    assert list(records.columns) == ["run", "epoch", "factor", "reconstructs", "max_error"]
    for row in runs.itertuples():
        own = records[records["run"] == row.run]
        assert own["epoch"].tolist() == reading_epochs(LOSS["budgets"][row.configuration], LOSS["checkpoint_every"])
        first = own.loc[own["reconstructs"], "epoch"]
        assert (first.iloc[0] if len(first) else np.nan) == pytest.approx(row.reconstruction_epoch, nan_ok=True)


def test_the_saved_models_are_the_runs_without_their_kept_weights(trained):
    folder, _, data = trained
    runs, models = pd.read_csv(folder / RUNS), joblib.load(folder / MODELS)
    X = np.eye(8)
    for row in runs.itertuples():
        model = models[row.run]
        assert model.checkpoints_ == {} and model.loss == row.loss
        assert row.max_error == pytest.approx(common_error(model.predict(X)[None], X)[0])


def test_the_results_do_not_depend_on_the_number_of_processes(trained, tmp_path):
    folder, _, data = trained
    params = tiny_params()
    params["train"]["n_jobs"] = 2
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(params, sort_keys=False))
    train(path, data, tmp_path / "out")
    for name in (RUNS, RECORDS):
        one, two = pd.read_csv(folder / name), pd.read_csv(tmp_path / "out" / name)
        keep = [c for c in one.columns if c != "stack_size"]
        pd.testing.assert_frame_equal(one[keep], two[keep], check_exact=True)
