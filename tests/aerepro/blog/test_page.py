"""Tests of aerepro.blog.page: tables render as documented, and every number is traceable."""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from aerepro.blog.analysis import analyse_codes
from aerepro.blog.readings import STOP_READINGS
from aerepro.blog.statistics import blog_code_agreement, chosen_reading, stop_rule_search
from aerepro.blog.page import blog_report, by_init_table
from aerepro.blog.verdicts import BLOG_COLUMN
from aerepro.markdown import fmt
from aerepro.sources import blog_groups, load_blog
from aerepro.blog.grid import expand_study

ROOT = Path(__file__).parents[3]


def test_by_init_table_puts_missing_inits_as_dashes():
    runs = pd.DataFrame({"init_value": [1.0, 0.5], "epochs": [10, 20]})
    table = by_init_table([("ours", runs)], "epochs", [1.0, 0.5, 0.2], ",.0f")
    assert table.iloc[0].tolist() == ["ours", "10", "20", "—"]


def test_by_init_table_gives_the_median_over_seeds_and_its_range():
    runs = pd.DataFrame({"init_value": [1.0, 1.0, 1.0, 0.5], "epochs": [10, 30, 20, 7]})
    table = by_init_table([("ours", runs)], "epochs", [1.0, 0.5], ",.0f")
    assert table.iloc[0].tolist() == ["ours", "20 (10..30)", "7"]


@pytest.fixture(scope="module")
def page():
    """The report of a made-up study on the real params grid (two seeds) and the real blog numbers."""
    params = yaml.safe_load((ROOT / "params.yaml").read_text())
    study = {**params["study"], "seeds": [0, 1]}
    rng = np.random.default_rng(1)
    records, codes = [], []
    for run in expand_study(study):
        k = min(run.params["hidden_layer_sizes"])
        H = rng.uniform(size=(16, k))
        records.append({"run": run.name, **run.coords, "final_loss": rng.uniform(1e-7, 1),
                        "epochs": int(rng.integers(100, 10**6)), "stop_reason": "converged",
                        "train_seconds": rng.uniform(), "n_code": k, "distinct_codes": 16,
                        "binary_fraction": rng.uniform(), "symmetric_collapse": 0.0,
                        "reconstructs_all": bool(rng.integers(2)), "loss_at_tol_1e-05": rng.uniform(),
                        "distance_from_start": rng.uniform(),
                        **{f"stop_{r.name}_{what}": rng.uniform(1, 1e5) if what == "epochs" else rng.uniform()
                           for r in STOP_READINGS for what in ("epochs", "loss")}})
        codes.append(pd.DataFrame({"run": run.name, "input": np.repeat(np.arange(16), k),
                                   "unit": np.tile(np.arange(k), 16), "value": H.ravel()}))
    runs, groups, _, consensus = analyse_codes(pd.DataFrame(records), pd.concat(codes, ignore_index=True))
    blog = load_blog(ROOT / "sources" / "blog.yaml")
    links = {"loss": "../plots/loss/{configuration}.png", "codes": "codes/{configuration}/{protocol}.png",
             "pages": [("paper", "paper.md")]}
    report = params["report"]
    activation = report["roles"]["blog_activation"]
    agreement = blog_code_agreement(blog["code_tables"], consensus, list(study["protocols"]), activation)
    search = stop_rule_search(runs, blog["runs"], report["compare_protocol"], activation)
    text, verdicts = blog_report(study, report, blog, blog_groups(blog, activation), runs, groups, agreement, 16,
                                 links, (search, chosen_reading(search, report["stop_rule_on"])))
    return text, study, blog, runs, verdicts


def section(text, configuration):
    return text.split(f"\n### {configuration}\n", 1)[1].split("\n### ", 1)[0]


def row_cells(block, label):
    line = next(ln for ln in block.splitlines() if ln.startswith(f"| {label} |"))
    return [c.strip() for c in line.strip("|").split("|")][1:]


def table_after(block, words):
    return block.split(words, 1)[1].split("\n\n", 2)[1]


def test_every_blog_number_is_the_data_file_value(page):
    text, study, blog, *_ = page
    for (configuration, activation), theirs in blog["runs"].groupby(["configuration", "activation"]):
        block = section(text, configuration)
        by_init = theirs.set_index("init_value")
        inits = [float(c) for c in study["inits"]]
        assert row_cells(table_after(block, "Final loss by init"), f"blog · {activation}") == [
            fmt(by_init["final_loss"].get(c)) for c in inits]
        assert row_cells(table_after(block, "Epochs by init"), f"blog · {activation}") == [
            fmt(by_init["epochs"].get(c), ",.0f") for c in inits]


def test_every_number_of_ours_is_the_median_and_range_of_the_pipeline_output(page):
    text, study, _, runs, _ = page
    inits = [float(c) for c in study["inits"]]
    for configuration in study["configurations"]:
        table = table_after(section(text, configuration), "Final loss by init")
        for protocol in study["protocols"]:
            ours = runs[(runs["configuration"] == configuration) & (runs["activation"] == "sigmoid")
                        & (runs["protocol"] == protocol)]
            expected = []
            for c in inits:
                loss = ours.loc[ours["init_value"] == c, "final_loss"]
                low, mid, high = fmt(loss.min()), fmt(loss.median()), fmt(loss.max())
                expected.append(mid if low == high else f"{mid} ({low}..{high})")  # one seed: one number
            assert row_cells(table, f"ours · sigmoid · {protocol}") == expected


def test_every_claim_row_has_a_state_and_margin_per_column(page):
    text, study, blog, _, verdicts = page
    table = text.split("**Verdicts**", 1)[1].split("\n\n", 2)[1]
    columns = [BLOG_COLUMN, *study["protocols"], *study["controls"]]
    by_cell = verdicts.set_index(["row", "column"])
    for label in dict.fromkeys(verdicts["row"]):
        cells = row_cells(table, label)
        assert len(cells) == 2 + len(columns)
        for column, cell in zip(columns, cells[2:]):
            assert re.fullmatch(r"(holds|fails) \([+-][0-9.e+-]+\)\*?|borderline \([+-][0-9.e+-]+\)|n/a", cell), cell
            verdict = by_cell.loc[(label, column)]
            assert cell.endswith("*") == (verdict["state"] in ("holds", "fails") and not verdict["robust"]), cell


def test_the_scoreboard_counts_the_verdicts(page):
    text, study, blog, _, verdicts = page
    board = text.split("**Scoreboard.**", 1)[1].split("\n\n", 2)[1]
    for column in ["the blog's numbers", *study["protocols"]]:
        *cells, robust = [int(c) for c in row_cells(board, column)]
        own = verdicts[(verdicts["column"] == column) & ~verdicts["beyond"]]
        assert cells == [int((own["state"] == s).sum()) for s in ("holds", "fails", "borderline", "n/a")]
        assert sum(cells) == len(blog["claims"])
        assert robust == int(own["robust"].sum()) <= cells[0] + cells[1]


def test_the_shared_draw_table_sets_each_control_beside_its_protocol(page):
    text, study, *_ = page
    block = text.split("**What the independent seeds changed.**", 1)[1].split("###", 1)[0]
    for protocol in study["shared_draw"]:
        assert f"{protocol}: shared draw" in block and f"{protocol}: independent seeds" in block


def test_the_two_losses_are_derived_and_counted(page):
    text, *_ = page
    from aerepro.blog.mechanisms import clip_loss
    from aerepro.plateau import input_blind_loss

    block = text.split("### Two losses explained", 1)[1].split("###", 1)[0]
    assert f"**{input_blind_loss(16):.4g}, the symmetric plateau.**" in block
    assert f"**{clip_loss(16, 1e-7):.4g}, the clip.**" in block


def test_every_figure_has_a_caption(page):
    text, study, *_ = page
    lines = text.splitlines()
    figures = [i for i, line in enumerate(lines) if line.startswith("![")]
    assert len(figures) == len(study["configurations"]) * (1 + len(study["protocols"]))
    for i in figures:
        assert lines[i + 1] == "" and lines[i + 2].startswith("*") and lines[i + 2].endswith("*")


def test_figures_and_pages_are_linked(page):
    text, study, *_ = page
    for configuration in study["configurations"]:
        assert f"](../plots/loss/{configuration}.png)" in text
        for protocol in study["protocols"]:
            assert f"](codes/{configuration}/{protocol}.png)" in text
    assert "[paper](paper.md)" in text


def test_every_measure_of_the_tables_is_defined(page):
    text, *_ = page
    definitions = text.split("### What the measures mean", 1)[1].split("\n## ", 1)[0]
    for word in ("snapped", "aligned", "binary fraction", "agreement", "chance level", "reconstructs",
                 "bijection", "collapsed", "dead", "symmetric plateau", "clip"):
        assert f"**{word}**" in definitions, word


def test_claim_states_go_to_the_metrics_file(page):
    from aerepro.blog.verdicts import state_metrics

    *_, verdicts = page
    metrics = state_metrics(verdicts)
    assert set(metrics) == {re.sub(r"\W+", "_", c).strip("_") for c in verdicts["column"]}
    keys = [k for states in metrics.values() for k in states] + list(metrics)
    assert all(re.fullmatch(r"[A-Za-z0-9_]+", k) for k in keys)  # every key a word, no bare claim numbers
    assert all(re.fullmatch(r"claim\d+_[a-z_]+", k) for states in metrics.values() for k in states)
    states = [state for column in metrics.values() for state in column.values()]
    assert set(states) <= {"holds", "fails", "borderline", "n/a"} and set(states) - {"n/a"}
    by_cell = verdicts.assign(column=verdicts["column"].map(lambda c: re.sub(r"\W+", "_", c).strip("_")))
    assert sorted(states) == sorted(by_cell["state"])  # one value per verdict: its state


def test_the_code_table_rows_print_the_agreement_table_they_are_given():
    from aerepro.blog.page import _code_rows
    blog = {"code_tables": {"16-4-16": None, "16-3-16": None}}
    agreement = pd.DataFrame({"configuration": "16-4-16", "protocol": "p", "seed": [0, 1], "agreement": [0.25, 0.75],
                              "agreement_flips": 1.0, "chance": [0.5, 0.5], "chance_q95": [0.25, 0.75],
                              "p_value": 0.5})
    rows = _code_rows(blog, agreement, ["p"])
    assert rows["configuration"].tolist() == ["16-4-16", "16-3-16"]
    assert rows["ours · p"].tolist() == ["50.0% (25.0%..75.0%) vs chance 50.0% (95th percentile 50.0% (25.0%..75.0%))",
                                      "—"]


def test_the_robustness_table_names_what_each_verdict_depends_on_and_the_scoreboard_counts_the_rest(page):
    text, study, _, _, verdicts = page
    block = text.split("### How robust each verdict is\n", 1)[1].split("\n### ", 1)[0]
    for arm in study["sensitivity"]:
        assert f"`{arm}`" in block  # every free choice is named with what it changes
    protocols = list(study["protocols"])
    by_cell = verdicts.set_index(["row", "column"])
    for label in dict.fromkeys(verdicts["row"]):
        for column, cell in zip(protocols, row_cells(block, label)):
            v = by_cell.loc[(label, column)]
            assert cell.startswith(v["state"]) and cell.endswith("— robust") == bool(v["robust"]), (label, column, cell)
            for choice in v["depends_on"]:
                assert choice in cell
            # a protocol rerun under an arm is sensitive to it exactly when the states differ
            for choice, state in v["sensitivity"].items():
                assert (choice in v["depends_on"]) == (state != v["state"])
    rerun = {p for arm in study["sensitivity"].values() for p in arm["protocols"]}
    assert all(by_cell.loc[(r, p)]["sensitivity"].keys() >= set(study["sensitivity"])
               for r in verdicts["row"].unique() for p in rerun)


def test_the_page_counts_the_consensus_codes_above_chance(page):
    from aerepro.blog.page import _binary_chance_lines

    _, study, *_ = page
    roles = {"blog_activation": "sigmoid"}
    groups = pd.DataFrame({"configuration": ["a", "a", "b", "b", "b"], "activation": ["sigmoid"] * 4 + ["relu"],
                           "protocol": ["jitter", "budget", "jitter", "jitter~p10", "jitter"],
                           "consensus_binary_fraction": [0.9, 0.9, 0.9, 0.9, 0.9],
                           "consensus_binary_chance_q95": [0.8, 0.95, 0.95, 0.1, 0.1]})
    (line, _) = _binary_chance_lines(groups, {"protocols": {"jitter": {}, "budget": {}}}, roles)
    assert "in 1 of 3 groups (a 1 of 2; b 0 of 1)" in line  # the blog's setting, the grid's protocols only
    assert _binary_chance_lines(groups.drop(columns="consensus_binary_chance_q95"), study, roles) == []
