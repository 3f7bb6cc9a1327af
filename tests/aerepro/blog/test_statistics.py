"""Our consensus codes beside the blog's code tables (aerepro.blog.statistics)."""

import numpy as np
import pandas as pd

from aerepro.blog.analysis import analyse_codes
from aerepro.blog.readings import STOP_READINGS
from aerepro.blog.statistics import (
    AGREEMENT_COLUMNS,
    blog_code_agreement,
    chosen_reading,
    code_comparison,
    stop_rule_search,
)
from tests.aerepro.blog.test_analysis import study


def test_code_comparison_realigns_a_permuted_table():
    rng = np.random.default_rng(0)
    blog = rng.choice([0.0, 0.5, 1.0], size=(16, 4))
    table, facts = code_comparison(blog, blog[:, [2, 0, 3, 1]])
    assert facts["agreement"] == 1.0 and facts["p_value"] < 0.05 and facts["chance_q95"] < 1.0
    np.testing.assert_array_equal(table[[f"ours P{j}" for j in range(1, 5)]].to_numpy(), blog)
    np.testing.assert_array_equal(table[[f"blog P{j}" for j in range(1, 5)]].to_numpy(), blog)
    _, flipped = code_comparison(blog, 1 - blog)
    assert flipped["agreement_flips"] == 1.0 and flipped["agreement"] < 1.0


def test_blog_code_agreement_compares_every_seed_of_the_blog_activation_with_the_blog_table():
    rng = np.random.default_rng(2)
    blog = rng.choice([0.0, 1.0], size=(4, 2))
    r1, c1 = study({"a": blog, "b": blog}, protocol="p", seed=0)
    r2, c2 = study({"c": 1 - blog, "d": 1 - blog}, protocol="p", seed=1)
    r3, c3 = study({"e": blog}, activation="relu", protocol="p", seed=0)
    r4, c4 = study({"f": blog}, protocol="other", seed=0)
    records = pd.concat([r1, r2, r3, r4], ignore_index=True)
    consensus = analyse_codes(records, pd.concat([c1, c2, c3, c4]))[3]
    table = blog_code_agreement({"4-2-4": blog, "8-3-8": np.zeros((8, 3))}, consensus, ["p"], "sigmoid")
    assert table.columns.tolist() == AGREEMENT_COLUMNS
    assert table[["configuration", "protocol", "seed"]].values.tolist() == [["4-2-4", "p", 0], ["4-2-4", "p", 1]]
    assert table["agreement"].tolist() == [1.0, code_comparison(blog, 1 - blog)[1]["agreement"]]
    assert table["agreement_flips"].tolist() == [1.0, 1.0]


def test_blog_code_agreement_without_any_consensus_is_an_empty_table():
    records, codes = study({"x": np.full((4, 2), np.nan)})
    consensus = analyse_codes(records, codes)[3]
    table = blog_code_agreement({"4-2-4": np.zeros((4, 2))}, consensus, ["p"], "sigmoid")
    assert table.empty and table.columns.tolist() == AGREEMENT_COLUMNS


def _search_runs(epochs_of):
    """Runs of two configurations whose readings stop at ``epochs_of(reading name, configuration)`` (loss 1e-5)."""
    rows = []
    for configuration in ("a", "b"):
        for seed in range(3):
            row = {"configuration": configuration, "activation": "sig", "protocol": "p", "seed": seed,
                   "final_loss": 1e-5}
            for r in STOP_READINGS:
                row[f"stop_{r.name}_epochs"] = epochs_of(r.name, configuration)
                row[f"stop_{r.name}_loss"] = 1e-5
            rows.append(row)
    return pd.DataFrame(rows)


BLOG_RUNS = pd.DataFrame({"configuration": ["a", "a", "b", "b"], "activation": "sig",
                          "epochs": [900, 1100, 4000, 6000], "final_loss": [1e-6, 1e-4, 1e-6, 1e-4]})


def test_the_reading_is_chosen_on_one_configuration_and_judged_on_the_others():
    right = STOP_READINGS[3].name
    runs = _search_runs(lambda name, c: (1000 if c == "a" else 5000) if name == right else 10**6)
    search = stop_rule_search(runs, BLOG_RUNS, "p", "sig")
    assert len(search) == 2 * len(STOP_READINGS)
    assert chosen_reading(search, "a") == {"reading": right, "select_on": "a", "hits_on_selection": 2,
                                           "held_out_hits": 2, "held_out_numbers": 2}
    # the same reading, wrong on the held-out configuration: the count says so
    runs = _search_runs(lambda name, c: (1000 if c == "a" else 50) if name == right else 10**6)
    assert chosen_reading(stop_rule_search(runs, BLOG_RUNS, "p", "sig"), "a")["held_out_hits"] == 1


def test_a_reading_that_fired_in_half_the_runs_or_fewer_has_no_median():
    runs = _search_runs(lambda name, c: 1000.0)
    runs.loc[runs["seed"] > 0, [f"stop_{r.name}_epochs" for r in STOP_READINGS]] = np.nan
    search = stop_rule_search(runs, BLOG_RUNS, "p", "sig")
    assert search["epochs"].isna().all() and not search["epochs_hit"].any()
    assert search["fired"].round(3).eq(0.333).all()


def test_no_blog_numbers_for_the_chosen_configuration_chooses_nothing():
    search = stop_rule_search(_search_runs(lambda name, c: 1000.0), BLOG_RUNS, "p", "sig")
    assert chosen_reading(search, "zz") == {"reading": None, "select_on": "zz", "hits_on_selection": 0,
                                            "held_out_hits": 0, "held_out_numbers": 0}
