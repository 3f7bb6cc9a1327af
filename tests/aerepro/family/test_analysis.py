"""aerepro.family.analysis: success over seeds on hand-made codes, summaries, work, growth, the literature."""

import numpy as np
import pandas as pd
import pytest
import yaml

from aerepro.family.analysis import (
    family_success,
    growth_exponent,
    literature_table,
    power_law,
    summarize_family,
    work_table,
)
from aerepro.plateau import input_blind_loss
from aerepro.runs import run_record
from tests.aerepro.test_validation import ROOT


# Hand-made 4-pattern codes of width 2 (raw values: snap rounds to 0, 0.5, 1; binarising to 0, 1).
BIJECTION = [[0.02, 0.1], [0.1, 0.97], [0.9, 0.05], [0.96, 0.9]]        # every 2-bit word once


DISTINCT_NOT_BINARY = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.5, 0.0]]   # 4 rows, one at 0.5


BINARISED_ONLY = [[0.0, 0.0], [0.0, 0.6], [1.0, 0.0], [0.55, 0.9]]      # snapped: 0.5s; binarised: 4 words


REPEATED = [[0.0, 0.0], [0.0, 0.0], [1.0, 0.0], [1.0, 1.0]]             # rows 0 and 1 equal


def test_success_counts_hand_made_codes():
    rates = family_success([BIJECTION, DISTINCT_NOT_BINARY, BINARISED_ONLY, REPEATED])
    assert rates == {"n_seeds": 4, "n_diverged": 0,
                     "distinct_share": 0.75,     # all but REPEATED
                     "bijection_share": 0.25,    # BIJECTION only
                     "binarised_share": 0.5}     # BIJECTION and BINARISED_ONLY (0.5 binarises to 0)


def test_a_diverged_seed_counts_as_a_failure_of_every_measure():
    rates = family_success([BIJECTION, None, BIJECTION, None])
    assert rates["n_seeds"] == 4 and rates["n_diverged"] == 2
    assert rates["distinct_share"] == rates["bijection_share"] == rates["binarised_share"] == 0.5
    assert family_success([None])["distinct_share"] == 0.0
    with pytest.raises(ValueError):
        family_success([])


def test_a_wider_code_is_never_a_bijection():
    wide = [row + [0.0] for row in BIJECTION]  # 4 patterns, 3 units: distinct but 2**3 != 4
    rates = family_success([wide])
    assert rates["distinct_share"] == 1.0 and rates["bijection_share"] == 0.0


def test_records_summary_and_work_from_fitted_runs(fitted):
    runs, estimators, stack_of = fitted
    records = pd.DataFrame([run_record(r, e, np.eye(r.coords["n_inputs"])) for r, e in zip(runs, estimators)])
    assert list(records.columns[:8]) == ["run", "architecture", "n_inputs", "code_units", "extra", "init", "check",
                                         "seed"]
    codes = {r.name: e.transform(np.eye(r.coords["n_inputs"])) for r, e in zip(runs, estimators)}
    summary = summarize_family(records, codes.get)
    assert list(summary["init"]) == ["uniform", "jitter", "uniform", "jitter", "uniform+gd"]
    row = summary[(summary["architecture"] == "8-3-8") & (summary["init"] == "uniform")].iloc[0]
    mine = [codes[r.name] for r in runs if r.coords["architecture"] == "8-3-8" and r.coords["init"] == "uniform"]
    expected = family_success(mine)
    assert row["n_seeds"] == 3 and row["distinct_share"] == expected["distinct_share"]
    assert row["binarised_share"] == expected["binarised_share"]
    assert row["median_epochs"] == 50 and row["converged_share"] == 0.0  # tol=0 never converges
    assert "train_seconds" not in records and not summary.columns.str.contains("seconds").any()  # no clock
    work = work_table(records)
    assert list(work["architecture"]) == ["4-2-4", "8-3-8"]  # the check is left out
    assert list(work["models"]) == [6, 6] and list(work["model_epochs"]) == [300, 300]
    assert list(work.columns) == ["architecture", "n_inputs", "code_units", "extra", "models", "model_epochs"]


def test_summary_counts_plateau_and_budget_from_records():
    records = pd.DataFrame({
        "run": ["a", "b", "c", "d"], "architecture": "16-4-16", "n_inputs": 16, "code_units": 4, "extra": 0,
        "init": "u", "check": "", "seed": [0, 1, 2, 3], "epochs": [10, 20, 30, 1000],
        "stop_reason": ["converged", "converged", "diverged", "max_iter"],
        "final_loss": [0.999 * input_blind_loss(16), 0.01, np.nan, input_blind_loss(16)],
        "binary_fraction": [1.0, 0.5, np.nan, 0.75],
        "reconstructs_all": [False, True, False, True], "n_code": 4,
        # the plateau is read off the codes, not the loss: a (0.1 % below the plateau loss) has identical
        # units; d ends at the plateau loss with units apart and a code that reconstructs every pattern
        "symmetric_collapse": [True, False, False, False], "distinct_codes": [1, 16, np.nan, 16],
    })
    code = np.eye(16)[:, :4]  # 16 rows, only 5 distinct
    summary = summarize_family(records, {"a": code, "b": code, "c": None, "d": code}.get)
    row = summary.iloc[0]
    assert row["n_seeds"] == 4 and row["n_diverged"] == 1
    assert row["plateau_share"] == 0.25 and row["converged_share"] == 0.5
    assert row["informative_stop_share"] == 0.25  # of the two seeds the rule stopped, one sat on the plateau
    assert row["reconstruct_share"] == 0.5
    assert row["median_epochs"] == 25 and row["median_binary_fraction"] == 0.75
    assert row["distinct_share"] == 0.0


def test_power_law_recovers_exponent_and_constant():
    n = np.array([16, 32, 64, 128, 256])
    p, log_c = power_law(n, 3e-9 * n**2.3)
    assert p == pytest.approx(2.3, abs=1e-12) and np.exp(log_c) == pytest.approx(3e-9, rel=1e-9)
    assert growth_exponent(n, 5.0 * np.ones(5)) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("n, seconds", [([8, 8], [1.0, 2.0]), ([8, 16], [1.0]), ([8, 16], [1.0, 0.0]),
                                        ([8, 16], [1.0, np.nan])])
def test_power_law_rejects(n, seconds):
    with pytest.raises(ValueError):
        power_law(n, seconds)


def test_literature_table_sets_each_figure_beside_our_share():
    literature = yaml.safe_load((ROOT / "sources" / "encoder_literature.yaml").read_text())
    summary = pd.DataFrame({"architecture": ["8-3-8", "8-3-8", "16-4-16"], "init": ["uniform", "jitter", "uniform"],
                            "bijection_share": [0.25, 0.0, 0.0], "binarised_share": [0.35, 0.3, 0.0]})
    table = literature_table(literature, summary).set_index(["source", "architecture"])
    ackley = table.loc[("ackley1985", "8-3-8")]
    assert ackley["literature"] == "16 of 20" and ackley["literature_share"] == 0.8
    assert ackley["ours: uniform"] == 0.25 and ackley["ours: jitter"] == 0.0
    assert ackley["comparison"].startswith("loose")  # a Boltzmann machine, not a feed-forward autoencoder
    assert set(table.index.get_level_values("source")) == {"ackley1985"}  # no figure without a primary source
    big = table.loc[("ackley1985", "40-10-40")]
    assert big["literature"] == "98.6%" and np.isnan(big["ours: uniform"])  # nothing comparable run


def test_literature_source_cites_every_figure():
    literature = yaml.safe_load((ROOT / "sources" / "encoder_literature.yaml").read_text())
    assert all(fig["source"] in literature["sources"] for fig in literature["figures"])
    assert all(src["citation"].strip() for src in literature["sources"].values())
