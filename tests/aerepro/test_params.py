"""Reading params.yaml: only the keys a stage reads, checked, problems prefixed with the file."""

import pytest
import yaml

from aerepro.blog.schema import SCHEMA as BLOG
from aerepro.blog.train import PARAMS as BLOG_TRAIN
from aerepro.params import ParamsError, load_params, read_params, resolve, select
from aerepro.schema import Schema, integer
from tests.aerepro.test_validation import REAL, ROOT, edited


def test_load_params_lists_problems_prefixed_with_the_file(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(edited(train__n_jobs=0, train__curve_points=1)))
    with pytest.raises(ParamsError) as info:
        load_params(path, ["train.n_jobs", "train.curve_points"], Schema())
    assert str(info.value).splitlines() == [
        f"{path}: train.n_jobs: expected an integer other than 0 or null, got 0",
        f"{path}: train.curve_points: expected an integer >= 2, got 1",
    ]
    assert read_params(path)["train"]["n_jobs"] == 0


def test_a_stage_gets_only_the_keys_it_reads():
    params = load_params(ROOT / "params.yaml", BLOG_TRAIN, BLOG, key="16-4-16")
    assert list(params["study"]["configurations"]) == ["16-4-16"]
    assert params["study"]["seeds"] == REAL["study"]["seeds"]
    assert set(params) == {"study", "train"} and "paper" not in params and "report" not in params
    assert set(params["train"]) == {"curve_points", "n_jobs"}


def test_a_problem_outside_the_keys_read_is_not_the_stages(tmp_path):
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(edited(tracking__n_jobs=0)))
    assert load_params(path, ["train.n_jobs"], Schema())["train"] == {"n_jobs": 2}
    with pytest.raises(ParamsError, match="tracking.n_jobs: expected an integer >= 1, got 0"):
        load_params(path, ["tracking.n_jobs"], Schema(settings={"tracking.n_jobs": integer(1)}))


def test_select_keeps_the_sections_above_each_key_and_nothing_else():
    params = {"a": {"b": 1, "c": {"d": 2, "e": 3}}, "f": 4, "g": [1]}
    assert select(params, ["a.c.e", "g"]) == {"a": {"c": {"e": 3}}, "g": [1]}
    assert select(params, ["a.x.y", "h"]) == {}  # missing keys are the schema's to report
    assert select({"a": 5}, ["a.b"]) == {"a": 5}  # a section that is not a mapping is kept, for the schema to report


def test_resolve_fills_fields_as_dvc_does():
    assert resolve(["study.configurations.${key}", "study.protocols.${symmetry.budget_protocol}.max_iter"],
                   REAL, key="16-5-16") == ["study.configurations.16-5-16", "study.protocols.budget.max_iter"]


def test_repeated_yaml_key_is_an_error(tmp_path):
    path = tmp_path / "params.yaml"
    path.write_text((ROOT / "params.yaml").read_text().replace("  n_jobs: 2", "  n_jobs: 2\n  n_jobs: 1"))
    with pytest.raises(ParamsError, match=r"line \d+, column 3\): repeated key 'n_jobs'"):
        read_params(path)


@pytest.mark.parametrize("text, problem", [
    ("a: [1\n", "not valid YAML (line 2, column 1)"),
    ("- 1\n", "expected a mapping of sections at the top level, got list"),
])
def test_a_file_that_is_not_params_is_one_line(tmp_path, text, problem):
    path = tmp_path / "params.yaml"
    path.write_text(text)
    with pytest.raises(ParamsError, match=problem.replace("(", r"\(").replace(")", r"\)")) as info:
        read_params(path)
    assert "\n" not in str(info.value)


def test_a_missing_file_is_one_line(tmp_path):
    with pytest.raises(ParamsError, match="cannot read"):
        read_params(tmp_path / "nope.yaml")
