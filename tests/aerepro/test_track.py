"""aerepro.track: what the stage hands to MLflow besides the runs table (see test_pipeline/test_queue for the stage)."""

import math

import pytest

from aerepro.track import training_times


@pytest.mark.parametrize("seconds", [0.0, 0.0004, 2.5, 3601.25])
def test_a_run_ends_when_its_models_were_saved_and_lasts_its_training_time(seconds):
    start, end = training_times({"train_seconds": seconds}, 1_700_000_000.25)
    assert end == 1_700_000_000_250
    assert abs((end - start) / 1000 - seconds) <= 0.0005  # MLflow keeps milliseconds


@pytest.mark.parametrize("row", [{}, {"train_seconds": math.nan}, {"train_seconds": None}])
def test_a_row_without_a_training_time_is_logged_at_logging_time(row):
    assert training_times(row, 1_700_000_000.0) == (None, None)
