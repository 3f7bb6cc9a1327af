"""aerepro.runs, reading side: a missing, empty, truncated or damaged file is one line naming it and its stage."""

import os
import subprocess
import sys
from pathlib import Path

import joblib
import pandas as pd
import pytest
import yaml

from aerepro.io import write_csv, write_joblib
from aerepro.runs import MODELS, RUNS, MissingInput, load_models, read_data, read_table

ROOT = Path(__file__).resolve().parents[2]
TABLE = pd.DataFrame({"run": ["a", "b", "c"], "final_loss": [0.5, 0.25, 0.125]})


def damage(path, how):
    data = path.read_bytes()
    if how == "missing":
        path.unlink()
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "truncated":
        path.write_bytes(data[: len(data) // 2 + 1])
    elif how == "garbage":
        path.write_bytes(b"\x80\x04\x95" + bytes(range(256)))


def assert_one_line(info, path, stage, why):
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{path}: {why}")
    assert message.endswith(f"it is made by stage {stage!r}: run `dvc repro {stage}`")


@pytest.mark.parametrize("how, why", [("missing", "missing"), ("empty", "empty"),
                                      ("truncated", "truncated"), ("garbage", "truncated")])
def test_a_damaged_table_names_the_file_and_the_stage_that_makes_it(tmp_path, how, why):
    write_csv(tmp_path / RUNS, TABLE)
    pd.testing.assert_frame_equal(read_table(tmp_path, RUNS, "train@8-3-8"), TABLE)
    damage(tmp_path / RUNS, how)
    with pytest.raises(MissingInput) as info:
        read_table(tmp_path, RUNS, "train@8-3-8")
    assert_one_line(info, tmp_path / RUNS, "train@8-3-8", why)


def test_a_table_cut_at_a_line_end_still_needs_its_header(tmp_path):
    (tmp_path / RUNS).write_text("\n")
    with pytest.raises(MissingInput) as info:
        read_table(tmp_path, RUNS, "paper")
    assert_one_line(info, tmp_path / RUNS, "paper", "unreadable (EmptyDataError")


@pytest.mark.parametrize("how, why", [("missing", "missing"), ("empty", "unreadable ("),
                                      ("truncated", "unreadable ("), ("garbage", "unreadable (")])
def test_damaged_models_name_the_file_and_the_stage_that_makes_them(tmp_path, how, why):
    write_joblib(tmp_path / MODELS, {"a": TABLE})
    assert set(load_models(tmp_path, "anomaly")) == {"a"}
    damage(tmp_path / MODELS, how)
    with pytest.raises(MissingInput) as info:
        load_models(tmp_path, "anomaly")
    assert_one_line(info, tmp_path / MODELS, "anomaly", why)


def test_a_models_file_holding_something_else_is_named(tmp_path):
    joblib.dump([1, 2], tmp_path / MODELS)
    with pytest.raises(MissingInput) as info:
        load_models(tmp_path, "family")
    assert_one_line(info, tmp_path / MODELS, "family", "unreadable (holds a list")


@pytest.mark.parametrize("content, why", [("x0,x1\n1,0\n0,1\n", None), ("x0,x1\n1,a\n", "not all numbers"),
                                          ("x0,x1\n1,\n", "1 missing value(s)"), ("x0,x1\n", "no rows"),
                                          ("x0,x1\ninf,1e999\n,1\n", "1 missing value(s), 2 infinite value(s)"),
                                          ("x0,x1\n1,0\n0,", "truncated")])
def test_a_data_set_is_a_matrix_of_numbers_or_one_line_naming_it(tmp_path, content, why):
    path = tmp_path / "onehot.csv"
    path.write_text(content)
    if why is None:
        assert read_data(path).tolist() == [[1.0, 0.0], [0.0, 1.0]]
        return
    with pytest.raises(MissingInput) as info:
        read_data(path)
    assert_one_line(info, path, "data", why)


@pytest.mark.parametrize("stage", ["train.py", "paper.py", "symmetry.py"])
def test_the_stages_that_read_a_data_set_stop_on_a_damaged_one_with_one_line(tmp_path, stage):
    data = tmp_path / "data.csv"
    data.write_text("x0,x1\n1,0\n0,oops\n")
    config = next(iter(yaml.safe_load((ROOT / "params.yaml").read_text())["study"]["configurations"]))
    metrics = str(tmp_path / "m.json")
    args = {"train.py": ["--configuration", config, "--metrics", metrics, "--plot", str(tmp_path / "p.png")],
            "paper.py": [],
            "symmetry.py": ["--metrics", metrics]}[stage]
    cmd = [sys.executable, str(ROOT / "stages" / stage), "--data", str(data), "--out", str(tmp_path / "out"), *args]
    result = subprocess.run(cmd, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {data}: not all numbers") and line.endswith("run `dvc repro data`")


@pytest.mark.parametrize("damaged", ["analysis", "models"])
def test_the_track_stage_given_a_damaged_run_folder_exits_2_naming_the_file_and_stage(tmp_path, damaged):
    config = next(iter(yaml.safe_load((ROOT / "params.yaml").read_text())["study"]["configurations"]))
    analysis, runs = tmp_path / "analysis" / config, tmp_path / "runs" / config
    write_csv(analysis / RUNS, TABLE)
    write_joblib(runs / MODELS, {"a": TABLE})
    path, stage = (analysis / RUNS, "analyse") if damaged == "analysis" else (runs / MODELS, f"train@{config}")
    damage(path, "truncated")
    cmd = [sys.executable, str(ROOT / "stages" / "track.py"), "--study-runs", str(tmp_path / "runs"),
           "--analysis", str(tmp_path / "analysis"), "--loss-plots", str(tmp_path / "plots"),
           "--out", str(tmp_path / "tracking.json")]
    result = subprocess.run(cmd, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {path}: ") and line.endswith(f"run `dvc repro {stage}`")
    assert not (tmp_path / "tracking.json").exists()


def test_code_grid_reads_back_the_matrix_codes_frame_wrote_whatever_the_row_order():
    import numpy as np

    from aerepro.runs import code_grid, codes_frame

    H = np.random.default_rng(1).random((6, 3))
    frame = codes_frame("run", H)
    inputs, units, back = code_grid(frame.sample(frac=1.0, random_state=0))
    np.testing.assert_array_equal(back, H)
    assert inputs.tolist() == list(range(6)) and units.tolist() == [0, 1, 2]
    assert np.isnan(code_grid(frame.drop(index=4))[2][1, 1])  # a missing pair reads as NaN
    with pytest.raises(ValueError, match="more than one value"):
        code_grid(pd.concat([frame, frame.iloc[[0]]]))


def test_group_metrics_take_medians_and_counts_per_group_under_the_size_name_given():
    import pandas as pd

    from aerepro.runs import group_metrics

    table = pd.DataFrame({"activation": ["s", "s", "s", "r"], "protocol": ["j", "j", "j", "j"],
                          "binary": [0.5, 1.0, float("nan"), 0.2], "valid": [5, 4, 3, 0]})
    metrics = group_metrics(table, lambda g: f"{g['activation']}/{g['protocol']}", ["binary"],
                            {"valid": lambda g: g["valid"].sum()}, size="seeds")
    assert metrics == {"s/j": {"seeds": 3, "median_binary": 0.75, "valid": 12},
                       "r/j": {"seeds": 1, "median_binary": 0.2, "valid": 0}}
    assert group_metrics(table.assign(binary=float("nan")), lambda g: "all", ["binary"])["all"] == {
        "runs": 4, "median_binary": None}
    assert group_metrics(table, lambda g: "all", ["binary"], size=None) == {"all": {"median_binary": 0.5}}
    assert group_metrics(table.assign(binary=float("inf")), lambda g: "all", ["binary"])["all"]["median_binary"] is None


def _fitted(n_jobs):
    import warnings

    import numpy as np
    from sklearn.exceptions import ConvergenceWarning

    import ae
    from aerepro.grid import GridRun

    runs = [GridRun(f"run{k}", {"seed": k}, {}) for k in range(4)]
    models = [ae.AutoEncoder(hidden_layer_sizes=(3,), max_iter=30, tol=0.0, random_state=k) for k in range(4)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ae.fit_many(models, np.eye(6), n_jobs=n_jobs)
    return runs, models


def test_a_run_folder_holds_no_clock_and_its_clocks_go_to_their_own_file(tmp_path):
    import numpy as np

    from aerepro.runs import CLOCK_COLUMNS, read_clocks, write_run_folder

    folders = {}
    for k, n_jobs in enumerate((2, 2, 1)):  # three trainings, three clocks, two ways of splitting the stacks
        runs, models = _fitted(n_jobs)
        folder = tmp_path / f"training{k}"
        write_run_folder(folder, runs, models, lambda run: np.eye(6), 10, clocks=tmp_path / f"clocks{k}.csv",
                         how={"stack": [0, 0, 1, 1]})
        folders[k] = folder
        assert all(hasattr(m, "train_seconds_") for m in models)  # the fitted models keep theirs
    for name in (MODELS, RUNS, "codes.csv", "curves.csv"):  # trained again the same way: the same bytes
        assert (folders[0] / name).read_bytes() == (folders[1] / name).read_bytes(), name
    for name in (RUNS, "codes.csv", "curves.csv"):  # however the work was spread (the models' pickles may differ
        assert (folders[0] / name).read_bytes() == (folders[2] / name).read_bytes(), name  # in bookkeeping only)
    saved = joblib.load(folders[0] / MODELS)
    assert not any(hasattr(m, "train_seconds_") or hasattr(m, "stack_size_") for m in saved.values())
    assert "train_seconds" not in pd.read_csv(folders[1] / RUNS)
    clocks = pd.read_csv(tmp_path / "clocks2.csv")
    assert list(clocks.columns) == [*CLOCK_COLUMNS, "stack"] and list(clocks["run"]) == [r.name for r in runs]
    assert set(clocks["stack_size"]) == {4} and set(pd.read_csv(tmp_path / "clocks0.csv")["stack_size"]) != {4}
    assert read_clocks(tmp_path / "clocks2.csv") == dict(zip(clocks["run"], clocks["train_seconds"]))
    assert read_clocks(tmp_path / "no-such-file.csv") == {}  # a missing clock costs only MLflow's Duration


def test_a_model_without_random_state_is_saved_without_the_global_generator(tmp_path):
    import warnings

    import numpy as np

    import ae
    from aerepro.grid import GridRun
    from aerepro.runs import write_run_folder

    saved = []
    for k in range(2):
        model = ae.AutoEncoder(hidden_layer_sizes=(3,), max_iter=5, tol=0.0, init="constant", init_value=0.5)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(np.eye(6))
        np.random.random()  # the global state moves between two trainings of the same model
        assert model._rng is np.random.mtrand._rand
        write_run_folder(tmp_path / str(k), [GridRun("a", {}, {})], [model], None, 5)
        saved.append((tmp_path / str(k) / MODELS).read_bytes())
    assert saved[0] == saved[1]
    assert not hasattr(joblib.load(tmp_path / "0" / MODELS)["a"], "_rng")
