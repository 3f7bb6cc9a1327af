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
            "distinct_codes": 2, "distinct_units": 1, "distinct_snapped_units": 1, "final_loss": 0.2, "epochs": 100,
            "core_type": "", "n_code": 5, "symmetric_collapse": False, "reconstructs_all": True}
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
    assert table["nearest"].sum() == 1 and table["blog_epochs"].iloc[0] == 2000 and table["runs"].eq(1).all()
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


def test_rows_within_the_tie_of_the_smallest_distance_are_all_nearest():
    from aerepro.symmetry.analysis import TIE

    blog = pd.DataFrame({"configuration": ["a"], "activation": ["s"], "epochs": [1000], "final_loss": [1e-5]})
    factor = 10 ** (TIE / 2)  # a row at distance TIE / 2 ties; one at 2 TIE does not
    runs = _runs([{"arm": "stop_rule", "configuration": "a", "stop_rule": "change", "patience": p, "init_jitter": 0.01,
                   "epochs": e, "final_loss": 1e-5, "separated_at": np.nan}
                  for p, e in [(1, 1000), (10, 1000 * factor), (20, 1000 * 10 ** (2 * TIE))]])
    assert stop_rule_table(runs, blog, "s")["nearest"].tolist() == [True, True, False]


def test_stop_rule_rows_under_another_core_type_stay_out_of_the_blog_comparison():
    blog = pd.DataFrame({"configuration": ["a"], "activation": ["s"], "epochs": [1000], "final_loss": [1e-5]})
    runs = _runs([{"arm": "stop_rule", "configuration": "a", "stop_rule": "change", "patience": 1, "core_type": core,
                   "epochs": e, "separated_at": np.nan} for core, e in [("", 1000), ("X", 5)]])
    table = stop_rule_table(runs, blog, "s")
    assert len(table) == 1 and table["median_epochs"].iloc[0] == 1000


def test_stop_epoch_is_where_the_estimators_own_rule_fires():
    from ae import AutoEncoder
    from aerepro.symmetry.analysis import stop_epoch

    X = np.eye(8)
    ruled = AutoEncoder(hidden_layer_sizes=(3,), tol=1e-4, n_iter_no_change=3, max_iter=3000, random_state=0,
                        solver="rmsprop", learning_rate_init=0.01).fit(X)
    free = AutoEncoder(hidden_layer_sizes=(3,), tol=0.0, max_iter=ruled.n_iter_ + 50, random_state=0,
                       solver="rmsprop", learning_rate_init=0.01)
    with pytest.warns(Warning):
        free.fit(X)
    assert stop_epoch(free.loss_curve_, "change", 1e-4, 3) == ruled.n_iter_
    improvement = stop_epoch(free.loss_curve_, "improvement", 1e-4, 3)
    assert improvement >= ruled.n_iter_ or np.isnan(improvement)
    assert np.isnan(stop_epoch(free.loss_curve_[:5], "change", 1e-4, 3))


def test_kernel_stop_table_counts_runs_separated_before_the_rule_fires():
    from aerepro.symmetry.analysis import stop_column, stop_rule_kernel_table

    col = stop_column("change", 1)
    runs = _runs([{"arm": "kernel", "core_type": "X", "configuration": "a", "separated_at": sep, col: stop}
                  for sep, stop in [(900.0, 800.0), (1000.0, 1200.0), (np.nan, 700.0)]])
    table = stop_rule_kernel_table(runs, {"readings": ["change"], "patience": [1]}, 100).iloc[0]
    assert table["runs"] == 3 and table["separated"] == 2 and table["stopped_before"] == 1
    assert table["stopped_after"] == 1 and table["undetermined"] == 0
    assert table["median_stop"] == 800 and table["smallest_gap"] == -200  # the run that stopped at 1200, after 1000


def test_a_stop_within_one_recording_interval_of_the_separation_is_undetermined():
    from aerepro.symmetry.analysis import stop_before_separation

    assert stop_before_separation(1600.0, 1500.0, 100) == "before"
    assert stop_before_separation(1600.0, 1501.0, 100) == "undetermined"
    assert stop_before_separation(1600.0, 1599.0, 100) == "undetermined"
    assert stop_before_separation(1600.0, 1600.0, 100) == "after"
    assert stop_before_separation(np.nan, 1.0, 100) == "never"


def test_identical_pair_table_sets_each_mechanism_beside_the_blog_and_leaves_the_plateau_out():
    from aerepro.symmetry.analysis import identical_pair_table

    literal = {"stop_rule": "change", "patience": 1}
    runs = _runs([
        {"arm": "stop_rule", "configuration": "a", "init_jitter": 0.01, "distinct_snapped_units": 5, "separated_at": np.nan,
         **literal},
        {"arm": "stop_rule", "configuration": "a", "init_jitter": 0.01, "distinct_snapped_units": 4, "separated_at": np.nan,
         **literal},
        {"arm": "stop_rule", "configuration": "a", "init_jitter": 0.01, "distinct_snapped_units": 4, "separated_at": np.nan,
         "stop_rule": "change", "patience": 10},                                    # the same draw, another reading
        {"arm": "stop_rule", "configuration": "a", "init_jitter": 0.01, "distinct_snapped_units": 1, "separated_at": np.nan,
         "symmetric_collapse": True, **literal},                                    # on the plateau: left out
        {"arm": "stop_rule", "configuration": "a", "init_jitter": 0.0, "distinct_snapped_units": 1, "separated_at": np.nan,
         **literal},
        {"arm": "kernel", "core_type": "X", "configuration": "a", "distinct_snapped_units": 2, "separated_at": 900.0},
        {"arm": "kernel", "core_type": "X", "configuration": "a", "distinct_snapped_units": 1, "separated_at": np.nan},
    ])
    blog = {"a": np.array([[1.0, 1.0, 0.0, 0.5, 1.0], [0.0, 0.0, 1.0, 1.0, 0.5]])}
    table = identical_pair_table(runs, blog).set_index("mechanism")
    assert table.loc["jittered start", "runs"] == 2 and table.loc["jittered start", "keeps_a_pair"] == 1
    assert table.loc["rounding alone", "runs"] == 1 and table.loc["rounding alone", "keeps_a_pair"] == 1
    assert table.loc["the blog", "distinct_units"] == 4 and table.loc["the blog", "keeps_a_pair"] == 1


def test_separation_facts_count_distinct_units_at_the_level_and_snapped():
    from aerepro.symmetry.analysis import separation_facts

    class Fitted:
        records_ = {"unit_spread": np.array([0.0, 0.5])}
        record_epochs_ = np.array([0, 100])

        def transform(self, X):
            return np.array([[0.9, 0.905, 0.2], [0.1, 0.1, 0.8]])

    facts = separation_facts(Fitted(), 0.01, None)
    assert facts["separated_at"] == 100 and facts["max_spread"] == 0.5
    assert facts["distinct_units"] == 2 and facts["distinct_snapped_units"] == 2


@pytest.mark.parametrize("stops, separated_first", [([800.0, 850.0], False), ([800.0, 1200.0], True),
                                                    ([800.0, 950.0], False)])  # 950: within one interval of 1000
def test_a_configurations_verdict_follows_whether_the_rule_fires_before_the_kernel_separates(stops, separated_first):
    from aerepro.symmetry.analysis import stop_column
    from aerepro.symmetry.page import configuration_verdict

    col = stop_column("change", 1)
    runs = _runs([{"arm": "kernel", "core_type": "X", "configuration": "a", "separated_at": 1000.0, col: stop}
                  for stop in stops] + [{"arm": "start", "configuration": "a", "separated_at": np.nan}])
    table = pd.DataFrame(columns=["configuration", "nearest", "stop_rule", "patience", "init_jitter", "log_distance"])
    evidence, verdict = configuration_verdict("a", runs, table, "noise", col, 100)
    assert ("not told apart" in verdict) is separated_first
    assert ("the literal rule stops first" in verdict) is not separated_first
    assert "X (2 of 2)" in evidence and "noise" in verdict and "lands nearer" in verdict


def test_a_configuration_no_kernel_separates_needs_a_broken_start():
    from aerepro.symmetry.page import configuration_verdict

    runs = _runs([{"arm": "start", "configuration": "a", "separated_at": np.nan}])
    table = pd.DataFrame(columns=["configuration", "nearest", "stop_rule", "patience", "init_jitter", "log_distance"])
    evidence, verdict = configuration_verdict("a", runs, table, None, "stop_change_p1", 100)
    assert "did not separate it on this machine's kernel" in verdict and "not run under other kernels" in evidence


def test_a_configuration_nothing_brings_near_the_blog_is_not_reproduced():
    from aerepro.symmetry.page import FAR, configuration_verdict

    runs = _runs([{"arm": "start", "configuration": "a", "separated_at": np.nan}])
    table = pd.DataFrame({"configuration": ["a", "a"], "nearest": [True, True], "stop_rule": ["change", "improvement"],
                          "patience": [1, 1], "init_jitter": [0.0, 0.01], "log_distance": [FAR + 6, FAR + 6.1]})
    _, verdict = configuration_verdict("a", runs, table, None, "stop_change_p1", 100)
    assert verdict == "not reproduced by any start or reading tried here"


def test_the_metrics_order_the_literal_stop_and_the_separation_as_the_page_does():
    from aerepro.symmetry.analysis import stop_column
    from aerepro.symmetry.train import _metrics

    col = stop_column("change", 1)
    runs = _runs([{"arm": "kernel", "core_type": "X", "blas_kernel": "k", "configuration": "a", "separated_at": sep,
                   col: stop} for sep, stop in [(1000.0, 800.0), (1000.0, 950.0), (1000.0, 1200.0), (np.nan, 700.0)]])
    exact = _metrics(runs, "k", col, 100)["exact_start"]
    assert exact == {"runs": 4, "separated": 3, "literal_rule_stops_before": 1, "literal_rule_stops_after": 1,
                     "literal_rule_undetermined": 1}
