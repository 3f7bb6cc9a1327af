"""aerepro.loss.report: the page, figure, metrics and claim row from the tiny study's run folder."""

import json

import pandas as pd
import pytest

from aerepro.loss.analysis import STATES, VERDICTS
from aerepro.loss.report import FIGURE, report
from aerepro.runs import RUNS
from tests.aerepro.loss.conftest import LOSS

#: End to end: reads the tiny study trained by the `trained` fixture.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def reported(trained, tmp_path_factory):
    folder, params, _ = trained
    out = tmp_path_factory.mktemp("loss-report")
    paths = (out / "report" / "loss.md", out / "report" / "loss", out / "metrics" / "loss.json",
             out / "report" / "loss" / "claim.json")
    report(params, folder, *paths)
    return folder, paths


def test_the_metrics_hold_a_verdict_and_interval_per_configuration_keyed_by_words(reported):
    folder, (_, _, metrics, _) = reported
    found = json.loads(metrics.read_text())
    assert list(found) == list(LOSS["budgets"])
    runs = pd.read_csv(folder / RUNS)
    for configuration, entry in found.items():
        assert entry["verdict"] in VERDICTS.values()
        own = runs[runs["configuration"] == configuration]
        for loss in LOSS["compared"]:
            assert entry[f"reconstructed_{loss}"] == own.loc[own["loss"] == loss, "reconstruction_epoch"].notna().sum()
        assert {"epochs_mse_minus_binary_crossentropy", "low", "high", "pairs"} <= set(entry)
    assert sum(len(entry) for entry in found.values()) <= 40  # a few dozen values


def test_the_claim_row_and_the_page_agree(reported):
    _, (page, figures, metrics, claim) = reported
    row, found, text = json.loads(claim.read_text()), json.loads(metrics.read_text()), page.read_text()
    assert row["state"] in STATES and row["column"] == LOSS["protocol"]
    for configuration, entry in found.items():
        assert VERDICTS[row["configurations"][configuration]["state"]] == entry["verdict"]
        assert f"- **{configuration}**" in text
    assert (figures / FIGURE).stat().st_size > 0 and f"]({figures.name}/{FIGURE})" in text


def test_the_page_reads_its_settings_and_says_why_there_is_no_stop_rule(reported):
    _, (page, *_) = reported
    text = page.read_text()
    assert "A stop rule on the loss value is not comparable across losses" in text
    assert all(f"{c}: {b:,}" in text for c, b in LOSS["budgets"].items())
    assert f"every {LOSS['checkpoint_every']:,} epochs" in text
    assert "seconds" not in text and "minutes" not in text
