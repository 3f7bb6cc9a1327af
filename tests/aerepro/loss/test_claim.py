"""aerepro.loss.claim: the blog page's row, its state combining the configurations' and its cell naming each."""

import numpy as np
import pandas as pd
import pytest

from aerepro.loss.analysis import STATES
from aerepro.loss.claim import LABEL, QUOTE, claim_row, combined_state

COMPARED = ["binary_crossentropy", "mse"]


@pytest.mark.parametrize("states, expected", [
    (["holds", "holds", "n/a"], "holds"),
    (["fails", "fails", "fails", "n/a"], "fails"),
    (["fails", "borderline"], "borderline"),
    (["holds", "fails"], "borderline"),
    (["n/a", "n/a"], "n/a"),
])
def test_the_row_state_is_the_configurations_where_they_agree(states, expected):
    assert combined_state(states) == expected


def _table():
    return pd.DataFrame([
        {"configuration": "16-5-16", "state": "fails", "median": -1400.0, "median_low": -1400.0,
         "median_high": -1400.0, "low": -1800.0, "high": -1100.0},
        {"configuration": "16-3-16", "state": "fails", "median": np.nan, "median_low": -10700.0,
         "median_high": -8000.0, "low": -np.inf, "high": -3900.0},
        {"configuration": "16-8-4-8-16", "state": "n/a", "median": np.nan, "median_low": -np.inf,
         "median_high": np.inf, "low": -np.inf, "high": np.inf},
    ])


def test_the_row_carries_the_quote_the_scope_and_each_configurations_verdict():
    row = claim_row(_table(), COMPARED, "sigmoid", "jitter")
    assert row["claim"] == LABEL and QUOTE in row["the blog says"] and row["column"] == "jitter"
    assert row["state"] == "fails" and row["state"] in STATES
    assert "16-5-16, 16-3-16, 16-8-4-8-16 · sigmoid" in row["scope"]
    assert row["cell"] == ("fails: epochs mse minus binary_crossentropy, 16-5-16 fails (-1,400 [-1,800, -1,100]); "
                           "16-3-16 fails (-10,700..-8,000 [open, -3,900]); 16-8-4-8-16 n/a")
    assert row["configurations"]["16-3-16"] == {"state": "fails", "median": None, "low": None, "high": -3900.0}
