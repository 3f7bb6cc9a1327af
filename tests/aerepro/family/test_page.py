"""The family page's readings of the summary: what the stop rule did apart from what the code became."""

import pandas as pd

from aerepro.family.page import _snapping_text, _stopped_unsettled_text, _summary_table

ROW = {"architecture": "256-8-256", "n_inputs": 256, "init": "uniform", "check": "", "n_seeds": 20,
       "distinct_share": 0.0, "binarised_share": 0.0, "bijection_share": 0.0, "converged_share": 1.0,
       "plateau_share": 0.0, "informative_stop_share": 1.0, "reconstruct_share": 0.0, "median_epochs": 846.0,
       "median_final_loss": 0.005, "median_binary_fraction": 0.8}


def summary(**changes):
    return pd.DataFrame([{**ROW, **changes}])


def test_a_row_stopped_off_the_plateau_with_no_distinct_code_is_named():
    text = _stopped_unsettled_text(summary(), {"checks": {}})
    assert "256-8-256 `uniform`" in text and "846 epochs" in text and "no check with a longer budget" in text


def test_the_row_points_to_its_check_when_there_is_one():
    family = {"checks": {"long": {"sizes": [256], "inits": ["uniform"], "n_seeds": 2}}}
    assert "measured by its check below" in _stopped_unsettled_text(summary(), family)


def test_rows_on_the_plateau_or_with_codes_are_not_named():
    assert _stopped_unsettled_text(summary(informative_stop_share=0.0, plateau_share=1.0), {}) == ""
    assert _stopped_unsettled_text(summary(distinct_share=0.5), {}) == ""


def test_snapping_names_rows_whose_codes_merge_what_the_network_reconstructs():
    assert _snapping_text(summary()) == ""
    text = _snapping_text(summary(reconstruct_share=0.4))
    assert "distinct codes 0%, every pattern reconstructed 40%" in text


def test_summary_headers_are_words():
    header = _summary_table(summary()).splitlines()[0]
    assert "_" not in header
    assert "stopped by the stop rule (not the budget)" in header and "ended on the information-free plateau" in header


def test_the_work_section_counts_model_epochs_and_holds_no_clock():
    from aerepro.family.page import _work_section

    work = pd.DataFrame({"architecture": ["4-2-4"], "n_inputs": [4], "code_units": [2], "extra": [0],
                         "models": [40], "model_epochs": [12345]})
    section = _work_section(work, "family")
    table = section[section.index("| architecture"):]
    assert "12,345" in table and "model-epochs" in table
    assert "second" not in table and "benchmarks/family_cost.py" in section
