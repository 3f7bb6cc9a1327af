"""Tests of aerepro.sources: the blog's numbers load into the pipeline's table shapes."""

from pathlib import Path

import numpy as np
import pytest
import yaml

from aerepro.sources import blog_groups, load_blog

BLOG = Path(__file__).parents[2] / "sources" / "blog.yaml"


@pytest.fixture(scope="module")
def blog():
    return load_blog(BLOG)


def test_runs_have_one_row_per_reported_run_with_missing_numbers_as_nan(blog):
    raw = yaml.safe_load(BLOG.read_text())["runs"]
    runs = blog["runs"]
    assert len(runs) == sum(len(r) for settings in raw.values() for r in settings.values())
    assert runs["final_loss"].dtype == float and runs["epochs"].dtype == float
    nulls = [(c, a, r["init"]) for c, s in raw.items() for a, rs in s.items() for r in rs if r["epochs"] is None]
    for configuration, activation, init in nulls:
        row = runs[(runs["configuration"] == configuration) & (runs["activation"] == activation)
                   & (runs["init_value"] == init)]
        assert row["epochs"].isna().all()


def test_inits_and_activations_are_the_params_names(blog):
    study = yaml.safe_load((BLOG.parents[1] / "params.yaml").read_text())["study"]
    assert set(blog["runs"]["init_value"]) == {float(c) for c in study["inits"]}
    assert set(blog["runs"]["activation"]) <= set(study["activations"])
    assert set(blog["runs"]["configuration"]) <= set(study["configurations"])


def test_code_tables_have_one_row_per_input_and_a_column_per_code_unit(blog):
    for configuration, table in blog["code_tables"].items():
        n_in, k = int(configuration.split("-")[0]), min(map(int, configuration.split("-")[1:-1]))
        assert table.shape == (n_in, k)
        assert set(np.unique(table)) <= {0.0, 0.5, 1.0}


def test_blog_groups_counts_identical_columns_and_binary_values():
    table = np.array([[1, 1, 0], [0.5, 0.5, 1], [0, 0, 1], [1, 1, 0.5]], dtype=float)
    groups = blog_groups({"code_tables": {"4-3-4": table}}, "sigmoid")
    row = groups.iloc[0]
    assert row["identical_columns"] == 1
    assert row["binary_fraction_mean"] == pytest.approx(9 / 12)
    assert row["distinct_codes_mean"] == 4
