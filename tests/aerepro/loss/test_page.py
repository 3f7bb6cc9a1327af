"""aerepro.loss.page: each configuration worded from its numbers, the settings read from params."""

import numpy as np
import pandas as pd
import pytest

from aerepro.loss.analysis import VERDICTS
from aerepro.loss.page import configuration_verdict, loss_page, shown_table
from tests.aerepro.loss.conftest import tiny_params

COMPARED = ["binary_crossentropy", "mse"]


def _row(state, median=-1400.0, low=-1800.0, high=-1100.0, reconstructed=(25, 25), **more):
    return {"configuration": "16-5-16", "epoch_budget": 10000, "pairs": 25, "state": state, "median": median,
            "median_low": median, "median_high": median, "low": low, "high": high, "both_censored": 0,
            "reconstructed_binary_crossentropy": reconstructed[0], "reconstructed_mse": reconstructed[1],
            "median_epoch_binary_crossentropy": 5700.0, "median_epoch_mse": np.inf,
            "median_max_error_binary_crossentropy": 0.05, "median_max_error_mse": 0.02, **more}


@pytest.mark.parametrize("row, words", [
    (_row("fails"), ["`mse` reconstructs every input sooner", "by a median of 1,400 epochs", "[-1,800, -1,100]",
                     f"**{VERDICTS['fails']}**"]),
    (_row("holds", 900.0, 300.0, 1500.0), ["`binary_crossentropy` reconstructs every input sooner", "by a median of 900",
                                           f"**{VERDICTS['holds']}**"]),
    (_row("borderline", 100.0, -300.0, 600.0), ["includes 0", f"**{VERDICTS['borderline']}**", "stays a hypothesis"]),
    (_row("n/a", np.nan, -np.inf, np.inf, (0, 0)), ["no run of either loss", "10,000 epochs", "**n/a**"]),
    (_row("n/a", 5.0, np.nan, np.nan, (3, 3)), ["too few for a 95% interval", "**n/a**"]),
    (_row("fails", np.nan, -np.inf, -3900.0, median_low=-10700.0, median_high=-8000.0),
     ["by a median of between 8,000 and 10,700 epochs", "[open, -3,900]"]),
    (_row("fails", np.nan, -np.inf, -1000.0, median_low=-np.inf, median_high=-5400.0),
     ["by a median of at least 5,400 epochs", "[open, -1,000]"]),
])
def test_each_state_is_worded_from_its_numbers(row, words):
    line = configuration_verdict(row, COMPARED)
    assert all(w in line for w in words), line


def test_the_table_shows_a_median_past_the_budget_as_such():
    shown = shown_table(pd.DataFrame([_row("fails")]), COMPARED).iloc[0]
    assert shown["median epoch, mse"] == "> 10,000" and shown["reconstructed, mse"] == "25 of 25"
    assert shown["mse minus binary_crossentropy [95%]"] == "-1,400 [-1,800, -1,100]"
    open_end = {**_row("fails", np.nan, -np.inf, -1000.0), "median_low": -np.inf, "median_high": -5400.0}
    assert shown_table(pd.DataFrame([open_end]), COMPARED).iloc[0]["mse minus binary_crossentropy [95%]"] == \
        "at most -5,400 [open, -1,000]"


def test_the_page_reads_its_settings_from_params():
    params = tiny_params()
    loss, study = params["loss"], params["study"]
    loss["budgets"] = {"8-3-8": 1234, "8-4-8": 4321}
    loss["checkpoint_every"] = 37
    runs = pd.DataFrame([{"run": f"{c}/{l}", "configuration": c, "loss": l, "final_loss": 0.5,
                          "reconstruction_epoch": 74.0} for c in loss["budgets"] for l in COMPARED])
    records = pd.DataFrame([{"run": r, "epoch": e, "factor": 0.1 / (e + 1)} for r in runs["run"] for e in (0, 37, 74)])
    table = pd.DataFrame([{**_row("fails"), "configuration": c, "epoch_budget": b} for c, b in loss["budgets"].items()])
    text = loss_page(loss, study, study["activations"]["sigmoid"], 0.01, runs, records, table, "loss", "fails")
    assert "8-3-8: 1,234, 8-4-8: 4,321" in text and "every 37 epochs" in text and "known to within 37 epochs" in text
    assert f"`learning_rate_init={study['estimator']['learning_rate_init']}`" in text and "`init_jitter=0.01`" in text
    assert "`random_state = s * 2 + k`" in text and "seeds 0, 1, 2" in text
    assert "8-3-8 0.1 and 0.0013" in text  # the factor at the first and the last reading, under mse
    assert "fell as the outputs saturated in 8-3-8, 8-4-8" in text and "reconstructed sooner in 8-3-8, 8-4-8" in text
    assert "RMSProp" in text  # the hypothesis follows a configuration where the claim failed, and only then
    undecided = table.assign(state="borderline")
    assert "RMSProp" not in loss_page(loss, study, study["activations"]["sigmoid"], 0.01, runs, records, undecided,
                                      "loss", "borderline")
