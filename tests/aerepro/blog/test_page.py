"""Tests of aerepro.blog.page (and aerepro.markdown): tables render as documented, and every number is traceable."""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from aerepro.blog.analysis import analyse_codes
from aerepro.blog.page import blog_report, by_init_table, code_comparison
from aerepro.markdown import fmt, markdown_table
from aerepro.blog.sources import blog_groups, load_blog
from aerepro.blog.grid import expand_study

ROOT = Path(__file__).parents[3]


@pytest.mark.parametrize("value, spec, expected", [
    (None, ".3g", "—"), (float("nan"), ".3g", "—"), (np.float64(1.23456e-5), ".3g", "1.23e-05"),
    (12345, ",", "12,345"), (True, ".3g", "yes"), ("x", ".3g", "x"),
])
def test_fmt(value, spec, expected):
    assert fmt(value, spec) == expected


def test_markdown_table_has_a_header_a_rule_and_a_row_per_line():
    text = markdown_table(pd.DataFrame({"a": [1.0, 2.5], "b": ["x", None]}))
    assert text.splitlines() == ["| a | b |", "|---|---|", "| 1 | x |", "| 2.5 | — |"]


def test_by_init_table_puts_missing_inits_as_dashes():
    runs = pd.DataFrame({"init_value": [1.0, 0.5], "epochs": [10, 20]})
    table = by_init_table([("ours", runs)], "epochs", [1.0, 0.5, 0.2], ",")
    assert table.iloc[0].tolist() == ["ours", "10", "20", "—"]


def test_code_comparison_realigns_a_permuted_table():
    rng = np.random.default_rng(0)
    blog = rng.choice([0.0, 0.5, 1.0], size=(16, 4))
    table, facts = code_comparison(blog, blog[:, [2, 0, 3, 1]])
    assert facts["agreement"] == 1.0
    np.testing.assert_array_equal(table[[f"ours P{j}" for j in range(1, 5)]].to_numpy(), blog)
    _, flipped = code_comparison(blog, 1 - blog)
    assert flipped["agreement_flips"] == 1.0 and flipped["agreement"] < 1.0


@pytest.fixture(scope="module")
def page():
    """The report of a made-up study on the real params grid and the real blog numbers."""
    study = yaml.safe_load((ROOT / "params.yaml").read_text())["study"]
    rng = np.random.default_rng(1)
    records, codes = [], []
    for run in expand_study(study):
        k = min(run.params["hidden_layer_sizes"])
        H = rng.uniform(size=(16, k))
        records.append({"run": run.name, **run.coords, "final_loss": rng.uniform(1e-7, 1),
                        "epochs": int(rng.integers(100, 10**6)), "stop_reason": "converged",
                        "train_seconds": rng.uniform(), "n_code": k, "distinct_codes": 16,
                        "symmetric_collapse": 0.0, "reconstructs_all": bool(rng.integers(2))})
        codes.append(pd.DataFrame({"run": run.name, "input": np.repeat(np.arange(16), k),
                                   "unit": np.tile(np.arange(k), 16), "value": H.ravel()}))
    runs, groups, _, consensus = analyse_codes(pd.DataFrame(records), pd.concat(codes, ignore_index=True))
    blog = load_blog(ROOT / "sources" / "blog.yaml")
    links = {"loss": "../plots/loss/{configuration}.png", "codes": "codes/{configuration}/{protocol}.png",
             "pages": [("paper", "paper.md")]}
    report = yaml.safe_load((ROOT / "params.yaml").read_text())["report"]
    text = blog_report(study, report, blog, blog_groups(blog, report["roles"]["blog_activation"]), runs, groups,
                       consensus, links)
    return text, study, blog, runs


def section(text, configuration):
    return text.split(f"\n## {configuration}\n", 1)[1].split("\n## ", 1)[0]


def row_cells(block, label):
    line = next(ln for ln in block.splitlines() if ln.startswith(f"| {label} |"))
    return [c.strip() for c in line.strip("|").split("|")][1:]


def test_every_blog_number_is_the_data_file_value(page):
    text, study, blog, _ = page
    for (configuration, activation), theirs in blog["runs"].groupby(["configuration", "activation"]):
        block = section(text, configuration)
        loss_table = block.split("### Final loss by init")[1].split("###")[0]
        epochs_table = block.split("### Epochs by init")[1].split("###")[0]
        by_init = theirs.set_index("init_value")
        inits = [float(c) for c in study["inits"]]
        assert row_cells(loss_table, f"blog · {activation}") == [fmt(by_init["final_loss"].get(c)) for c in inits]
        assert row_cells(epochs_table, f"blog · {activation}") == [fmt(by_init["epochs"].get(c), ",.0f")
                                                                  for c in inits]


def test_every_number_of_ours_is_the_pipeline_output(page):
    text, study, _, runs = page
    inits = [float(c) for c in study["inits"]]
    for configuration in study["configurations"]:
        loss_table = section(text, configuration).split("### Final loss by init")[1].split("###")[0]
        for protocol in study["protocols"]:
            ours = runs[(runs["configuration"] == configuration) & (runs["activation"] == "sigmoid")
                        & (runs["protocol"] == protocol)].set_index("init_value")
            assert row_cells(loss_table, f"ours · sigmoid · {protocol}") == [fmt(ours.loc[c, "final_loss"])
                                                                            for c in inits]


def test_every_claim_has_a_verdict_per_protocol(page):
    text, study, blog, _ = page
    claims = text.split("## The blog's claims")[1].split("\n## ")[0]
    for claim in blog["claims"]:
        cells = row_cells(claims, str(claim["id"]))
        assert len(cells) == 2 + len(study["protocols"])
        assert all(re.match(r"(\*\*(holds|does not hold)\*\*: .+|n/a)$", c) for c in cells[1:])


def test_figures_and_pages_are_linked(page):
    text, study, _, _ = page
    for configuration in study["configurations"]:
        assert f"](../plots/loss/{configuration}.png)" in text
        for protocol in study["protocols"]:
            assert f"](codes/{configuration}/{protocol}.png)" in text
    assert "[paper](paper.md)" in text


def test_markdown_table_formats_by_column():
    frame = pd.DataFrame({"share": [0.256, float("nan")], "loss": [0.000123, 1.0], "n": [3, 40], "all": [1, 0]})
    lines = markdown_table(frame, ".2g", formats={"share": ".0%", "n": "d", "all": ".0%"}).splitlines()
    assert lines[2:] == ["| 26% | 0.00012 | 3 | 100% |", "| — | 1 | 40 | 0% |"]
