"""End to end: the real `dvc repro` on a small study, in a temporary copy of the repository."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import pytest
import yaml

#: End to end: runs the real stages (`python -m pytest -m 'not slow'` leaves them out while developing).
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
COPY = ["ae", "aerepro", "stages", "sources", "crosscheck", "dvc.yaml", "params.yaml", "pyproject.toml", ".dvcignore", ".gitignore"]


def small_params():
    params = yaml.safe_load((ROOT / "params.yaml").read_text())
    study = params["study"]
    params["data"]["onehot"]["n_inputs"] = 8
    study["configurations"] = {
        "8-3-8": {"hidden_layer_sizes": [3], "protocols": {"budget": {"max_iter": 400}}},
        # long enough (a few seconds) to be killed mid-training
        "8-4-8": {"hidden_layer_sizes": [4], "protocols": {"budget": {"max_iter": 30000, "tol": 0.0}}},
    }
    study["activations"] = {k: study["activations"][k] for k in ("sigmoid", "relu")}
    params["report"]["roles"]["relu_hidden"] = None  # the setting is left out of this small study
    params["report"]["stop_rule_on"] = "8-3-8"
    symmetry = params["symmetry"]
    symmetry["dtypes"] = ["float64"]
    symmetry["perturbation"].update(configuration="8-3-8", sizes=[1e-9], max_iter=300)
    symmetry["stop_rules"].update(readings=["change"], patience=[1])
    symmetry["stop_rules"]["estimator"]["max_iter"] = 300
    symmetry["kernels"].update(core_types=["Sandybridge"], configurations=["8-3-8"], max_iter=300)
    # A setting whose learning rate diverges: recorded, while the others complete.
    study["activations"]["linear_diverging"] = {
        "activation": "identity", "output_activation": "identity", "loss": "mse", "solver": "sgd",
        "learning_rate_init": 50.0,
    }
    study["inits"] = [1.0, 0.5]
    study["seeds"] = [0, 1]
    study["shared_draw"] = ["jitter"]
    study["sensitivity"] = {k: study["sensitivity"][k] for k in ("p10", "haswell")}
    study["sensitivity"]["haswell"]["core_type"] = "Sandybridge"  # a kernel this test's machine has for sure
    study["controls"] = {"random_start": {
        "configurations": ["8-3-8"], "activations": ["sigmoid", "relu"],
        "estimator": {"init": "glorot_uniform", "init_jitter": 0.0, "tol": 1e-7, "max_iter": 300}}}
    for protocol in study["protocols"].values():
        protocol["max_iter"] = min(protocol["max_iter"], 500)
    study["estimator"]["learning_rate_init"] = 0.01
    params["train"]["n_jobs"] = 1
    params["paper"].update(seeds=[0], variants={"plain": {}}, batch_sizes=[8])
    params["anomaly"].update(normal_classes=[8], seeds=[0], figure_class=8)
    params["paper"]["estimator"]["max_iter"] = 50
    params["anomaly"]["estimator"]["max_iter"] = 5
    family = params["family"]
    family.update(sizes=[4, 8], n_seeds=2)
    family["estimator"]["max_iter"] = 100
    params["loss"]["budgets"] = {"8-3-8": 300, "8-4-8": 300}
    family["checks"] = {"gd_long": {"sizes": [4], "inits": ["uniform"], "n_seeds": 2,
                                    "estimator": {"solver": "sgd", "learning_rate_init": 2.0, "tol": 0.0,
                                                  "max_iter": 100}}}
    return params


def run(cmd, cwd, env, check=True):
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"{cmd} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def make_repo(tmp_path, params):
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in COPY:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, repo / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(src, repo / name)
    (repo / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MLFLOW_", "DVC_"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    env["PYTHONPATH"] = str(repo)  # the stages import the copy's `ae` and `aerepro`
    env["GIT_AUTHOR_NAME"] = env["GIT_COMMITTER_NAME"] = "test"
    env["GIT_AUTHOR_EMAIL"] = env["GIT_COMMITTER_EMAIL"] = "test@example.invalid"
    run(["git", "init", "-q"], repo, env)
    run([sys.executable, "-m", "dvc", "init", "-q"], repo, env)
    run([sys.executable, "-m", "dvc", "config", "core.analytics", "false"], repo, env)
    run(["git", "add", "-A"], repo, env)
    run(["git", "commit", "-qm", "init"], repo, env)
    return repo, env


def mlflow_children(repo):
    from mlflow import MlflowClient

    client = MlflowClient(f"sqlite:///{repo / 'mlflow.db'}")
    exp = client.get_experiment_by_name("aerepro")
    return client, exp, client.search_runs([exp.experiment_id], "tags.`mlflow.parentRunId` != ''", max_results=5000)


RESULTS = ["metrics/train/8-3-8.json", "metrics/train/8-4-8.json", "runs/blog/8-3-8/codes.csv", "runs/blog/8-4-8/codes.csv"]


def results(repo):
    """The files that must be byte-identical for the same params."""
    return {name: (repo / name).read_bytes() for name in RESULTS}


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    repo, env = make_repo(tmp_path_factory.mktemp("pipeline"), small_params())
    first = run([sys.executable, "-m", "dvc", "repro"], repo, env)
    return repo, env, results(repo)


def test_repro_writes_every_output(pipeline):
    repo, env, _ = pipeline
    for config in ("8-3-8", "8-4-8"):
        everything = pd.read_csv(repo / "runs" / "blog" / config / "runs.csv")
        arms = everything["protocol"].str.contains("~")
        # the sensitivity arms: as_written (once) and jitter (x seeds) under p10 and the other kernel
        assert arms.sum() == 3 * 2 * (1 + 2) * 2
        assert set(everything.loc[arms, "protocol"]) == {f"{p}~{a}" for p in ("as_written", "jitter")
                                                         for a in ("p10", "haswell")}
        assert everything.loc[arms, "blas_kernel"].str.contains("Sandybridge").sum() == 3 * 2 * (1 + 2)
        runs = everything[~arms]
        controls = 2 * 2 if config == "8-3-8" else 0  # its activation settings x seeds
        # activations x inits x (as_written once: it draws nothing; jitter, budget x seeds; the shared draw)
        assert len(runs) == 3 * 2 * (1 + 2 * 2 + 1) + controls
        assert set(runs["protocol"]) == {"as_written", "jitter", "budget", "jitter+shared"} | (
            {"random_start"} if controls else set())
        assert runs["seed"].isin([0, 1]).all() and runs["init_value"].isna().sum() == controls
        metrics = json.loads((repo / "metrics" / "train" / f"{config}.json").read_text())
        # a summary per activation setting and protocol of the grid (each run's own values are its MLflow run's)
        grid = runs[~runs["protocol"].str.endswith("+shared")]
        assert set(metrics) == set(grid["activation"] + "/" + grid["protocol"])
        sigmoid = grid[(grid["activation"] == "sigmoid") & (grid["protocol"] == "jitter")]
        assert metrics["sigmoid/jitter"] == {"median_final_loss": round(sigmoid["final_loss"].median(), 6),
                                             "median_epochs": sigmoid["epochs"].median()}
        assert (repo / "plots" / "loss" / f"{config}.png").read_bytes()[:4] == b"\x89PNG"
        # exact constant init collapses; the jitter breaks the symmetry
        sig = runs[(runs["activation"] == "sigmoid") & runs["init_value"].notna()].set_index("protocol")
        assert sig.loc["as_written", "symmetric_collapse"].all()
        assert not sig.loc["jitter", "symmetric_collapse"].any()
        # the analyse stage: one row per activation x protocol, a metric entry and a heat map per protocol
        groups = pd.read_csv(repo / "analysis" / config / "groups.csv")
        sensitivity = groups["protocol"].str.contains("~")
        assert sensitivity.sum() == 3 * (1 + 2) * 2  # the arms' groups are analysed too: their verdicts read them
        groups = groups[~sensitivity]
        # activation settings x (protocols x seeds + the shared-draw control), plus the control arm's seeds
        arms = 3 * (1 + 2 * 2 + 1) + (2 * 2 if config == "8-3-8" else 0)
        assert len(groups) == arms and (groups["n_runs"] == groups["protocol"].ne("random_start") + 1).all()
        assert groups["agreement_chance"].notna().any()
        diverging = groups[groups["activation"] == "linear_diverging"]
        assert (diverging["n_valid"] < diverging["n_runs"]).all()  # diverged runs are counted, not read
        analysis = json.loads((repo / "metrics" / "analysis.json").read_text())[config]
        # over seeds, per activation setting and protocol of the grid (each seed's row is in groups.csv)
        grid_groups = groups[~groups["protocol"].str.endswith("+shared")]
        assert set(analysis) == set(grid_groups["activation"] + "/" + grid_groups["protocol"])
        jitter = groups[(groups["activation"] == "sigmoid") & (groups["protocol"] == "jitter")]
        assert len(jitter) == 2 and analysis["sigmoid/jitter"] == {
            "reconstruct_all": jitter["reconstruct_all"].sum(), "bijections": jitter["bijections"].sum()}
        for protocol in ("as_written", "jitter", "budget"):
            assert (repo / "report" / "codes" / config / f"{protocol}.png").read_bytes()[:4] == b"\x89PNG"
    page = (repo / "report" / "README.md").read_text()
    assert "### 8-3-8" in page and "### 8-4-8" in page and "**Scoreboard.**" in page
    assert "**Binary-like, against chance**" in page and "### How robust each verdict is" in page
    states = json.loads((repo / "metrics" / "claims.json").read_text())
    assert {"the_blog_s_numbers", "as_written", "jitter", "budget", "random_start"} == set(states)  # no controls
    # one state per claim and column; the evidence and the state under each free choice are the page's
    assert "claim1_loss_range_at_stop" in states["jitter"]
    assert all(s in ("holds", "fails", "borderline", "n/a") for column in states.values() for s in column.values())
    shown = json.loads(run([sys.executable, "-m", "dvc", "metrics", "show", "--json"], repo, env).stdout)

    def values(tree):
        return sum(values(v) for v in tree.values()) if isinstance(tree, dict) else 1

    def words(tree):
        return all(re.fullmatch(r"[\w@./+-]*", k) and words(v) for k, v in tree.items()) if isinstance(tree, dict) else True

    assert values(shown) <= 400 and words(shown)  # a few hundred values, each under a name
    chosen = json.loads((repo / "metrics" / "stop_rule.json").read_text())
    assert chosen["select_on"] == "8-3-8" and chosen["reading"] is None  # the blog has no 8-3-8 numbers


def family_parent_id(client, exp):
    """The family's parent run of the first `dvc repro` (not of a DVC experiment's)."""
    found = client.search_runs([exp.experiment_id], "tags.`aerepro.parent` LIKE '%/family'")
    found = [r for r in found if not r.data.tags["aerepro.parent"].startswith("fewer-inits")]
    # every repro whose params changed logs a new snapshot under new parents: the first is the fixture's
    return min(found, key=lambda r: r.info.start_time).info.run_id


def test_mlflow_holds_one_run_per_model_with_loadable_models(pipeline):
    import mlflow.sklearn

    repo, _, _ = pipeline
    client, exp, all_children = mlflow_children(repo)
    family = family_parent_id(client, exp)
    children = [r for r in all_children if r.data.tags["mlflow.parentRunId"] != family]
    tables = {c: pd.read_csv(repo / "runs" / "blog" / c / "runs.csv") for c in ("8-3-8", "8-4-8")}
    rerun = {c: t["protocol"].str.contains("~") for c, t in tables.items()}
    blog = sum(int((~r).sum()) for r in rerun.values())
    assert blog == 2 * 3 * 2 * (1 + 2 * 2 + 1) + 2 * 2  # configurations x settings x inits x arms, and the control
    # the sensitivity arms rerun as_written (once: it draws nothing) and jitter (two seeds) under each of two arms
    assert sum(int(r.sum()) for r in rerun.values()) == 2 * 3 * 2 * (1 + 2) * 2
    symmetry, paper, anomaly, loss = (len(pd.read_csv(repo / "runs" / study / "runs.csv"))
                                      for study in ("symmetry", "paper", "anomaly", "loss"))
    # the blog grid, the paper's runs (one seed: its variant, batch size, equal updates, left-out patterns),
    # the anomaly models, the symmetric-start runs, the loss study's: one MLflow run per trained model
    assert len(children) == blog + paper + anomaly + symmetry + loss and min(symmetry, paper, anomaly, loss) > 0
    (parent,) = {r.data.tags["mlflow.parentRunId"] for r in children}
    # the figures of many runs are the parent's, once; a child holds its own files only
    files = {a.path for folder in ("loss_curves", "paper", "anomaly", "symmetry", "loss")
             for a in client.list_artifacts(parent, folder)}
    assert files == {"loss_curves/8-3-8.png", "loss_curves/8-4-8.png", "paper/loss.png", "anomaly/scores.png",
                     "symmetry/spread.png", "loss/factor.png"}
    # the reruns are rows of a table on the parent, each naming the run it reruns
    reruns = pd.read_csv(client.download_artifacts(parent, "reruns/8-3-8.csv", str(repo / "tmp-download")))
    assert set(reruns["run"]) == set(tables["8-3-8"].loc[rerun["8-3-8"], "run"])
    assert set(reruns["rerun_of"]) <= set(tables["8-3-8"]["run"]) and not {r.info.run_name for r in children} & set(reruns["run"])
    assert (Path(client.download_artifacts(parent, "loss_curves/8-3-8.png", str(repo / "tmp-download"))).read_bytes()
            == (repo / "plots" / "loss" / "8-3-8.png").read_bytes())
    run = next(r for r in children if r.info.run_name == "8-3-8/sigmoid/jitter/c1/seed0")
    assert {a.path for a in client.list_artifacts(run.info.run_id)} == {"hidden_codes.csv", "snapped_codes.csv", "model"}
    assert {"final_loss", "epochs", "distinct_codes", "binary_fraction", "symmetric_collapse",
            "binary_bijection", "agreement_with_first"} <= set(run.data.metrics)  # the analyse stage's facts too
    assert run.data.params["hidden_layer_sizes"] == "(3,)" and run.data.params["init_jitter"] == "0.01"
    assert run.data.params["seed"] == "0" and run.data.tags["seed"] == "0"  # the run carries its seed
    history = client.get_metric_history(run.info.run_id, "loss")
    steps = [m.step for m in history]
    runs = pd.read_csv(repo / "runs" / "blog" / "8-3-8" / "runs.csv").set_index("run")
    assert steps[0] == 1 and steps[-1] == runs.loc["8-3-8/sigmoid/jitter/c1/seed0", "epochs"]
    mlflow.set_tracking_uri(f"sqlite:///{repo / 'mlflow.db'}")
    model = mlflow.sklearn.load_model(f"runs:/{run.info.run_id}/model")
    codes = pd.read_csv(repo / "runs" / "blog" / "8-3-8" / "codes.csv")
    H = codes[codes["run"] == "8-3-8/sigmoid/jitter/c1/seed0"].pivot(index="input", columns="unit", values="value")
    np.testing.assert_array_equal(model.transform(np.eye(8)), H.to_numpy())


def test_the_parent_carries_its_lineage_params_datasets_and_summary(pipeline):
    repo, env, _ = pipeline
    client, exp, children = mlflow_children(repo)
    family = family_parent_id(client, exp)
    (parent_id,) = {r.data.tags["mlflow.parentRunId"] for r in children} - {family}
    parent = client.get_run(parent_id)
    head = run(["git", "rev-parse", "HEAD"], repo, env).stdout.strip()
    assert parent.data.tags["mlflow.source.git.commit"] == head and parent.data.tags["aerepro.git_dirty"] in {"true", "false"}
    assert parent.data.tags["aerepro.dvc_baseline_rev"] == head and parent.data.tags["aerepro.dvc_experiment"] == ""
    params = Path(client.download_artifacts(parent_id, "params.yaml", str(repo / "tmp-lineage")))
    assert params.read_bytes() == (repo / "params.yaml").read_bytes()
    assert {d.dataset.name for d in parent.inputs.dataset_inputs} == {"onehot", "patterns"}
    runs_838 = pd.read_csv(repo / "runs" / "blog" / "8-3-8" / "runs.csv")
    logged = [r for r in children if r.info.run_name.startswith("8-3-8/")]
    assert parent.data.metrics["runs/8-3-8"] == len(logged) > 0
    assert parent.data.metrics["median_final_loss/8-3-8"] == pytest.approx(
        np.median([r.data.metrics["final_loss"] for r in logged]))
    assert len(logged) <= len(runs_838)  # the reruns are a table on the parent, not runs
    assert exp.tags["mlflow.experimentKind"] == "custom_model_development"
    run_838 = next(r for r in logged if "/c1/" in r.info.run_name)
    assert run_838.data.tags["init"] == "c1"  # tags read as run names do


def test_diverging_runs_are_recorded_and_the_others_complete(pipeline):
    repo, _, _ = pipeline
    runs = pd.read_csv(repo / "runs" / "blog" / "8-3-8" / "runs.csv")
    diverging = runs["activation"] == "linear_diverging"
    assert (runs.loc[diverging, "stop_reason"] == "diverged").all()
    assert runs.loc[~diverging, "stop_reason"].isin(["converged", "max_iter"]).all()
    metrics = json.loads((repo / "metrics" / "train" / "8-3-8.json").read_text())
    assert metrics["linear_diverging/jitter"]["median_final_loss"] is None  # NaN losses: no median, not a number
    _, _, children = mlflow_children(repo)
    status = {r.info.run_name: r.info.status for r in children}
    assert status["8-3-8/linear_diverging/jitter/c1/seed0"] == "FAILED"
    assert status["8-3-8/sigmoid/jitter/c1/seed0"] == "FINISHED"


def test_same_params_give_byte_identical_outputs_with_n_jobs_1_and_2(pipeline, tmp_path):
    _, _, reference = pipeline  # trained with n_jobs=1
    params = small_params()
    params["train"]["n_jobs"] = 2
    repo, env = make_repo(tmp_path, params)
    run([sys.executable, "-m", "dvc", "repro", "train@8-3-8", "train@8-4-8"], repo, env)
    assert results(repo) == reference


def test_killed_repro_resumes_to_the_same_outputs(pipeline, tmp_path):
    _, _, reference = pipeline
    repo, env = make_repo(tmp_path, small_params())
    proc = subprocess.Popen([sys.executable, "-m", "dvc", "repro"], cwd=repo, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    seen = []
    for line in proc.stdout:  # kill -9 the whole process group once 8-4-8 is mid-training
        seen.append(line)
        if line.startswith("[ae] 8-4-8/"):
            os.killpg(proc.pid, signal.SIGKILL)
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "".join(seen)
    assert not (repo / "metrics" / "train" / "8-4-8.json").exists()
    run([sys.executable, "-m", "dvc", "repro"], repo, env)
    assert results(repo) == reference


def test_unreachable_mlflow_fails_before_training_and_logging_failures_keep_outputs(pipeline, tmp_path):
    repo, env = make_repo(tmp_path, small_params())
    dead = {**env, "MLFLOW_TRACKING_URI": "http://127.0.0.1:9"}
    out = run([sys.executable, "-m", "dvc", "repro", "train@8-3-8"], repo, dead, check=False)
    assert out.returncode != 0
    assert "does not answer" in out.stderr + out.stdout and "Traceback" not in out.stderr + out.stdout
    assert not (repo / "runs" / "blog" / "8-3-8").exists()
    # Trained with a working store, then the store goes away: only tracking fails.
    run([sys.executable, "-m", "dvc", "repro", "report", "paper-report", "anomaly-report", "family-report",
         "symmetry-report"], repo, env)
    out = run([sys.executable, "-m", "dvc", "repro", "track"], repo, dead, check=False)
    assert out.returncode != 0 and "does not answer" in out.stderr + out.stdout
    assert "Running stage 'track'" in out.stdout and "Running stage 'train@" not in out.stdout
    assert (repo / "runs" / "blog" / "8-3-8" / "models.joblib").exists()
    status = run([sys.executable, "-m", "dvc", "status", "train@8-3-8", "report"], repo, env).stdout
    assert "changed" not in status


def test_second_repro_changes_nothing_and_logs_nothing(pipeline):
    repo, env, _ = pipeline
    before = len(mlflow_children(repo)[2])
    second = run([sys.executable, "-m", "dvc", "repro"], repo, env)
    assert "Running stage" not in second.stdout
    assert len(mlflow_children(repo)[2]) == before


def changed_stages(repo, env, module):
    """The stages `dvc status` names after a comment is added to ``module`` (then taken out again)."""
    path = repo / module
    original = path.read_text()
    path.write_text(original + "\n# touched\n")
    try:
        status = json.loads(run([sys.executable, "-m", "dvc", "status", "--json"], repo, env).stdout or "{}")
    finally:
        path.write_text(original)
    return set(status)


def test_touching_a_module_names_only_the_stages_that_import_it(pipeline):
    repo, env, _ = pipeline
    run([sys.executable, "-m", "dvc", "repro"], repo, env)  # up to date first
    assert changed_stages(repo, env, "aerepro/blog/page.py") == {"report"}
    assert changed_stages(repo, env, "aerepro/tracking.py") == {"track"}
    trained = changed_stages(repo, env, "ae/network.py")
    assert {"train@8-3-8", "train@8-4-8", "paper", "anomaly", "family", "track"} <= trained
    assert "analyse" in trained  # it checks params.yaml against the estimator's own constraints
    assert changed_stages(repo, env, "aerepro/blog/claims.py") == {"report"}


@pytest.mark.parametrize("module, stages", [
    ("aerepro/symmetry/grid.py", {"symmetry", "symmetry-report"}),
    ("aerepro/blog/page.py", {"report"}),
    ("aerepro/paper/page.py", {"paper-report"}),
    ("aerepro/anomaly/page.py", {"anomaly-report"}),
    ("aerepro/family/page.py", {"family-report"}),
    ("aerepro/symmetry/page.py", {"symmetry-report"}),
])
def test_editing_a_studys_grid_or_page_names_only_its_stages(pipeline, module, stages):
    repo, env, _ = pipeline
    run([sys.executable, "-m", "dvc", "repro"], repo, env)  # up to date first
    assert changed_stages(repo, env, module) == stages


def changed_by_params(repo, env, edit):
    """The stages `dvc status` names after ``edit(params)`` (then the file is put back)."""
    path = repo / "params.yaml"
    original = path.read_text()
    params = yaml.safe_load(original)
    edit(params)
    path.write_text(yaml.safe_dump(params, sort_keys=False))
    try:
        return set(json.loads(run([sys.executable, "-m", "dvc", "status", "--json"], repo, env).stdout or "{}"))
    finally:
        path.write_text(original)


def test_a_new_seed_list_retrains_every_blog_training_stage_and_n_jobs_nothing(pipeline):
    repo, env, _ = pipeline
    run([sys.executable, "-m", "dvc", "repro"], repo, env)  # up to date first
    seeds = changed_by_params(repo, env, lambda p: p["study"].update(seeds=[0, 1, 2]))
    assert seeds == {"train@8-3-8", "train@8-4-8", "report", "loss", "loss-report"}  # the loss study's starts too
    assert changed_by_params(repo, env, lambda p: p["train"].update(n_jobs=2)) == set()
    assert changed_by_params(repo, env, lambda p: p["tracking"].update(n_jobs=1, lock_wait=5)) == set()


def test_changing_one_configuration_retrains_only_it(pipeline):
    repo, env, _ = pipeline
    params = yaml.safe_load((repo / "params.yaml").read_text())
    params["study"]["configurations"]["8-4-8"]["protocols"]["budget"]["max_iter"] = 2500
    (repo / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    models_838 = (repo / "runs" / "blog" / "8-3-8" / "models.joblib").stat().st_mtime_ns
    out = run([sys.executable, "-m", "dvc", "repro"], repo, env).stdout
    assert "Running stage 'train@8-4-8'" in out
    assert "Running stage 'train@8-3-8'" not in out
    assert (repo / "runs" / "blog" / "8-3-8" / "models.joblib").stat().st_mtime_ns == models_838
    budget = joblib.load(repo / "runs" / "blog" / "8-4-8" / "models.joblib")["8-4-8/sigmoid/budget/c1/seed0"]
    assert budget.max_iter == 2500


def test_exp_run_in_a_temporary_copy_logs_to_the_same_database(pipeline):
    repo, env, _ = pipeline
    run(["git", "add", "-A"], repo, env)
    run(["git", "commit", "-qm", "results"], repo, env)
    before = mlflow_children(repo)[2]
    run([sys.executable, "-m", "dvc", "exp", "run", "--temp", "-n", "fewer-inits", "-S", "study.inits=[0.5]"], repo, env)
    client, exp, after = mlflow_children(repo)
    parent = client.search_runs([exp.experiment_id], "tags.`aerepro.parent` = 'fewer-inits'")
    assert len(parent) == 1
    new = [r for r in after if r.data.tags["mlflow.parentRunId"] == parent[0].info.run_id]
    grid = [r for r in new if "protocol" in r.data.tags]  # the blog's grid (the symmetric-start runs have arms)
    assert [r for r in new if "arm" in r.data.tags]
    # the family study logs under a parent of its own, named after the experiment too
    family = client.search_runs([exp.experiment_id], "tags.`aerepro.parent` = 'fewer-inits/family'")
    new_family = [r for r in after if family and r.data.tags["mlflow.parentRunId"] == family[0].info.run_id]
    assert len(grid) == 2 * 3 * 1 * (1 + 2 * 2 + 1) + 2 * 2 and len(after) == len(before) + len(new) + len(new_family)
    shown = run([sys.executable, "-m", "dvc", "exp", "show", "--md"], repo, env).stdout
    assert "fewer-inits" in shown and "final_loss" in shown


def test_a_forced_repro_changes_no_committed_file_and_leaves_every_stage_up_to_date(pipeline):
    repo, env, _ = pipeline
    run([sys.executable, "-m", "dvc", "repro"], repo, env)
    run(["git", "add", "-A"], repo, env)
    run(["git", "commit", "-qm", "results", "--allow-empty"], repo, env)
    # retrained, its models bit-identical: no clock in any output, so nothing downstream is stale
    run([sys.executable, "-m", "dvc", "repro", "-f", "-s", "train@8-3-8"], repo, env)
    assert json.loads(run([sys.executable, "-m", "dvc", "status", "--json"], repo, env).stdout or "{}") == {}
    assert (repo / "clocks" / "train@8-3-8.csv").exists()  # the clocks are kept, outside every output
    # every stage again, as on a fresh clone: no committed file (dvc.lock, pages, metrics) changes
    run([sys.executable, "-m", "dvc", "repro", "-f"], repo, env)
    assert run(["git", "status", "--porcelain"], repo, env).stdout == ""
    rev = run(["git", "describe", "--always", "--dirty"], repo, env).stdout.strip()
    client, exp, _ = mlflow_children(repo)
    assert client.search_runs([exp.experiment_id], f"tags.`aerepro.parent` = '{rev}'")  # a clean revision's parent


def test_family_stages_write_metrics_report_and_their_own_mlflow_parent(pipeline):
    repo, env, _ = pipeline
    runs = pd.read_csv(repo / "runs" / "family" / "runs.csv")
    assert len(runs) == 2 * 2 * 2 + 2  # sizes x inits x seeds, and the check
    metrics = json.loads((repo / "metrics" / "family.json").read_text())
    assert set(metrics) == {"4-2-4", "8-3-8"} and set(metrics["4-2-4"]) == {"uniform", "constant_jitter", "uniform+gd_long"}
    assert set(metrics["8-3-8"]["uniform"]) == {"distinct_share", "bijection_share", "median_epochs"}
    assert metrics["4-2-4"]["uniform+gd_long"]["median_epochs"] == 100
    assert "train_seconds" not in json.dumps(metrics)  # no wall times: byte-reproducible
    shown = run([sys.executable, "-m", "dvc", "metrics", "show", "--md"], repo, env).stdout
    assert "metrics/family.json" in shown
    page = (repo / "report" / "family.md").read_text()
    for figure in ("success", "epochs"):
        assert f"](family/{figure}.png)" in page
        assert (repo / "report" / "family" / f"{figure}.png").read_bytes()[:4] == b"\x89PNG"
    assert not (repo / "report" / "family" / "cost.png").exists()  # a clock reading: benchmarks/family_cost.py
    assert "16 of 20" in page and "loose (a Boltzmann machine" in page  # the literature, read from sources/
    client, exp, children = mlflow_children(repo)
    family = [r for r in children if r.data.tags["mlflow.parentRunId"] == family_parent_id(client, exp)]
    summaries = [r for r in family if r.data.tags.get("summary") == "true"]
    assert len(family) == len(summaries) == 5  # the family logs its summary; its parent holds the seed table
    row = next(r for r in summaries if r.info.run_name == "summary/8-3-8/uniform")
    assert row.data.metrics["distinct_share"] == metrics["8-3-8"]["uniform"]["distinct_share"]
    assert {a.path for a in client.list_artifacts(family_parent_id(client, exp))} == {"runs.csv", "success.png", "params.yaml"}


def stored_files(repo):
    """Every file of the MLflow artifact store, relative to it."""
    store = repo / "mlartifacts"
    return {p.relative_to(store) for p in store.rglob("*") if p.is_file()}


def test_changing_the_family_retrains_only_the_family_and_stores_only_what_changed(pipeline):
    repo, env, _ = pipeline
    params = yaml.safe_load((repo / "params.yaml").read_text())
    params["family"]["n_seeds"] = 3
    (repo / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    before, before_runs = stored_files(repo), {r.info.run_id for r in mlflow_children(repo)[2]}
    out = run([sys.executable, "-m", "dvc", "repro"], repo, env).stdout
    assert "Running stage 'family'" in out and "Running stage 'track'" in out
    assert "Running stage 'train@" not in out and "Running stage 'paper'" not in out
    assert len(pd.read_csv(repo / "runs" / "family" / "runs.csv")) == 2 * 2 * 3 + 2
    # a new parent (the params changed): every model run is a reference to the run that holds its content
    client, _, children = mlflow_children(repo)
    new = [r for r in children if r.info.run_id not in before_runs]
    models = [r for r in new if r.data.tags.get("summary") != "true"]
    assert models and all(client.get_run(r.data.tags["aerepro.stored_in"]).data.tags["aerepro.digest"]
                          == r.data.tags["aerepro.digest"] for r in models)
    added = stored_files(repo) - before
    owners = {p.parts[0] for p in added}  # <run id>/artifacts/...
    parents = {r.data.tags["mlflow.parentRunId"] for r in new}
    assert len(added) > 0 and owners <= parents  # only the new parents' own files (figures, params, tables)
    assert sum(p.name == "model.pkl" for p in added) == 0  # no model stored twice
