"""Tests of aerepro.markdown: cells, tables, ranges, settings and links read the same on every page."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from aerepro.markdown import MISSING, fmt, link, markdown_table, median_range, settings


@pytest.mark.parametrize("value, spec, expected", [
    (None, ".3g", "—"), (float("nan"), ".3g", "—"), (np.float64(1.23456e-5), ".3g", "1.23e-05"),
    (12345, ",", "12,345"), (True, ".3g", "yes"), ("x", ".3g", "x"),
])
def test_fmt(value, spec, expected):
    assert fmt(value, spec) == expected


def test_markdown_table_has_a_header_a_rule_and_a_row_per_line():
    text = markdown_table(pd.DataFrame({"a": [1.0, 2.5], "b": ["x", None]}))
    assert text.splitlines() == ["| a | b |", "|---|---|", "| 1 | x |", "| 2.5 | — |"]


def test_markdown_table_formats_by_column():
    frame = pd.DataFrame({"share": [0.256, float("nan")], "loss": [0.000123, 1.0], "n": [3, 40], "all": [1, 0]})
    lines = markdown_table(frame, ".2g", formats={"share": ".0%", "n": "d", "all": ".0%"}).splitlines()
    assert lines[2:] == ["| 26% | 0.00012 | 3 | 100% |", "| — | 1 | 40 | 0% |"]


def test_median_range_shows_the_range_in_brackets():
    assert median_range(0.123456, 0.1, np.float64(0.2)) == "0.123 [0.1, 0.2]"
    assert median_range(0.5, 0.5, 0.5, ".2f") == "0.50 [0.50, 0.50]"
    assert median_range(float("nan"), None, 1.0) == f"{MISSING} [{MISSING}, 1]"


def test_median_range_collapses_a_range_that_prints_as_one_number():
    assert median_range(0.9001, 0.9, 0.9002, ".3f", collapse=True) == "0.900"
    assert median_range(0.91, 0.9, 0.95, ".3f", collapse=True) == "0.910 [0.900, 0.950]"
    assert median_range(np.nan, np.nan, np.nan, collapse=True) == MISSING


def test_median_range_takes_other_brackets():
    assert median_range(2000, 1000, 30000, ",.0f", brackets="()", sep="..") == "2,000 (1,000..30,000)"


def test_settings_are_inline_code_in_their_order():
    block = {"tol": 1e-05, "activation": "relu", "max_iter": 10}
    assert settings(block) == "`tol=1e-05`, `activation=relu`, `max_iter=10`"
    assert settings({}) == ""


@pytest.mark.parametrize("path, page, expected", [
    ("report/family", "report/family.md", "family"),
    (Path("report/anomaly/scores.png"), Path("report/anomaly.md"), "anomaly/scores.png"),
    ("plots/loss/{configuration}.png", "report/README.md", "../plots/loss/{configuration}.png"),
    ("report/paper.md", "report/README.md", "paper.md"),
    ("report", "report/README.md", "."),
])
def test_link_is_the_posix_path_from_the_pages_folder(path, page, expected):
    assert link(path, page) == expected


def test_link_takes_absolute_paths(tmp_path):
    assert link(tmp_path / "a" / "b.png", tmp_path / "page.md") == "a/b.png"
