"""aerepro.track: what the stage hands to MLflow besides the runs table (see test_pipeline/test_queue for the stage)."""

import math

import pytest

from aerepro.track import training_times


@pytest.mark.parametrize("seconds", [0.0, 0.0004, 2.5, 3601.25])
def test_a_run_ends_when_its_models_were_saved_and_lasts_its_training_time(seconds):
    start, end = training_times(seconds, 1_700_000_000.25)
    assert end == 1_700_000_000_250
    assert abs((end - start) / 1000 - seconds) <= 0.0005  # MLflow keeps milliseconds


@pytest.mark.parametrize("seconds", [math.nan, None])
def test_a_run_without_a_clock_is_logged_at_logging_time(seconds):
    assert training_times(seconds, 1_700_000_000.0) == (None, None)


def test_code_artifacts_are_the_csv_files_pandas_writes_of_the_code_and_its_snap():
    import io

    import numpy as np
    import pandas as pd

    from aerepro.codes import snap
    from aerepro.runs import codes_frame
    from aerepro.track import code_artifacts

    H = np.random.default_rng(0).random((16, 5))
    H[0] = [0.0, 1.0, 0.5, 1e-17, 1 - 1e-12]
    codes = codes_frame("run", H).sample(frac=1.0, random_state=0)  # the table's row order must not matter
    files = code_artifacts(codes)
    expected = pd.DataFrame(H, columns=[f"unit{j}" for j in range(5)]).rename_axis("input")
    assert files["hidden_codes.csv"].decode() == expected.to_csv()
    snapped = pd.DataFrame(snap(H), index=expected.index, columns=expected.columns)
    assert files["snapped_codes.csv"].decode() == snapped.to_csv()
    np.testing.assert_array_equal(pd.read_csv(io.BytesIO(files["hidden_codes.csv"]), index_col="input").to_numpy(), H)


def test_reruns_leave_the_runs_logged_and_keep_their_rows_for_the_parent():
    import pandas as pd

    from aerepro.track import split_reruns

    table = pd.DataFrame({"run": ["a", "b", "c"], "rerun_of": ["", "a", None], "final_loss": [1.0, 2.0, 3.0]})
    own, reruns = split_reruns(table)
    assert own["run"].tolist() == ["a", "c"] and "rerun_of" not in own.columns
    assert reruns.to_dict("records") == [{"run": "b", "rerun_of": "a", "final_loss": 2.0}]
    plain = table.drop(columns="rerun_of")
    assert split_reruns(plain)[0] is plain and split_reruns(plain)[1].empty
