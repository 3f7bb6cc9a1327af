"""aerepro.symmetry.analysis and page: separation epochs, the tables, and which start lands nearer the blog."""

import numpy as np
import pandas as pd
import pytest

from aerepro.symmetry.analysis import perturbation_table, separation_epoch, start_table, stop_rule_table
from aerepro.symmetry.page import DECISIVE, _mechanism_winners


def test_separation_is_the_first_recorded_epoch_strictly_above_the_level():
    assert separation_epoch([0, 10, 20], [0.0, 0.01, 0.02], 0.01) == 20
    assert np.isnan(separation_epoch([0, 10], [0.0, 0.01], 0.01))


def _runs(rows):
    base = {"arm": "start", "dtype": "float64", "perturbation": 0.0, "stop_rule": "", "patience": 0, "init_jitter": 0.0,
            "distinct_codes": 2, "final_loss": 0.2, "epochs": 100}
    return pd.DataFrame([{**base, **row} for row in rows]).assign(run=lambda f: [f"r{i}" for i in range(len(f))])


def test_start_table_counts_separated_runs_and_their_epochs():
    runs = _runs([{"configuration": "a", "separated_at": 300.0}, {"configuration": "a", "separated_at": np.nan},
                  {"configuration": "a", "separated_at": 100.0}, {"configuration": "b", "separated_at": np.nan}])
    table = start_table(runs).set_index("configuration")
    assert table.loc["a", "runs"] == 3 and table.loc["a", "separated"] == 2
    assert table.loc["a", "first_separation"] == 100 and table.loc["a", "last_separation"] == 300
    assert table.loc["b", "separated"] == 0 and np.isnan(table.loc["b", "first_separation"])


def test_perturbation_table_is_separation_by_size_and_dtype():
    runs = _runs([{"arm": "perturbed", "configuration": "a", "perturbation": s, "dtype": d, "separated_at": e}
                  for s, d, e in [(1e-9, "float64", 1700.0), (1e-9, "float32", np.nan), (1e-6, "float64", 1600.0)]])
    table = perturbation_table(runs).set_index("perturbation")
    assert table.loc[1e-9, "float64"] == 1700 and np.isnan(table.loc[1e-9, "float32"])
    assert table.loc[1e-6, "float64"] == 1600


def test_stop_rule_table_marks_the_run_nearest_the_blog():
    blog = pd.DataFrame({"configuration": ["a", "a"], "activation": ["s", "s"], "epochs": [1000, 3000],
                         "final_loss": [1e-5, 1e-5]})
    runs = _runs([{"arm": "stop_rule", "configuration": "a", "stop_rule": rule, "patience": 1, "init_jitter": j,
                   "epochs": e, "final_loss": loss, "separated_at": np.nan}
                  for rule, j, e, loss in [("change", 0.0, 100, 0.2), ("change", 0.01, 2000, 1e-5),
                                          ("improvement", 0.01, 20000, 1e-6)]])
    table = stop_rule_table(runs, blog, "s")
    exact = table[(table["stop_rule"] == "change") & (table["init_jitter"] == 0.01)].iloc[0]
    assert exact["log_distance"] == pytest.approx(0.0) and exact["nearest"]
    assert table["nearest"].sum() == 1 and table["blog_epochs"].iloc[0] == 2000
    assert _mechanism_winners(table) == {"a": "noise"}


def test_a_mechanism_wins_only_by_a_decisive_margin():
    table = pd.DataFrame({"configuration": ["a", "a", "b", "b"], "init_jitter": [0.0, 0.01, 0.0, 0.01],
                          "log_distance": [8.3, 8.3 - DECISIVE / 2, 0.1, 0.1 + DECISIVE]})
    assert _mechanism_winners(table) == {"a": None, "b": "exact"}


def test_kernel_table_groups_by_core_type_and_the_kernel_reported():
    from aerepro.symmetry.analysis import kernel_table

    runs = _runs([{"arm": "kernel", "core_type": core, "blas_kernel": f"openblas {core}", "configuration": "a",
                   "separated_at": e} for core, e in [("X", 100.0), ("X", np.nan), ("Y", np.nan)]])
    table = kernel_table(runs).set_index("core_type")
    assert table.loc["X", "separated"] == 1 and table.loc["X", "runs"] == 2 and table.loc["X", "blas_kernel"] == "openblas X"
    assert table.loc["Y", "separated"] == 0
