"""Our consensus codes beside the blog's code tables (aerepro.blog.statistics)."""

import numpy as np
import pandas as pd

from aerepro.blog.analysis import analyse_codes
from aerepro.blog.statistics import AGREEMENT_COLUMNS, blog_code_agreement, code_comparison
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
