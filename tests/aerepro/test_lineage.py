"""aerepro.lineage: a parent run's git and DVC lineage, its datasets and its summary metrics."""

import subprocess

import pytest

from aerepro.lineage import dataset_inputs, source_tags, summary_metrics
from aerepro.tracking import MLflowRecord


def git(repo, *args):
    env = {"GIT_AUTHOR_NAME": "t", "GIT_COMMITTER_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_EMAIL": "t@example.invalid", "PATH": "/usr/bin:/bin"}
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture
def repo(tmp_path):
    git(tmp_path, "init", "-q")
    (tmp_path / "params.yaml").write_text("a: 1\n")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "first")
    return tmp_path


def test_source_tags_name_the_commit_and_whether_the_tree_was_clean(repo):
    tags = source_tags(repo, environ={})
    assert tags["mlflow.source.git.commit"] == git(repo, "rev-parse", "HEAD") and len(tags["mlflow.source.git.commit"]) == 40
    assert tags["aerepro.git_dirty"] == "false" and tags["aerepro.dvc_experiment"] == ""
    assert tags["aerepro.dvc_baseline_rev"] == tags["mlflow.source.git.commit"] and tags["mlflow.source.name"] == "dvc repro"
    (repo / "params.yaml").write_text("a: 2\n")
    assert source_tags(repo, environ={})["aerepro.git_dirty"] == "true"


def test_source_tags_name_the_dvc_experiment_and_its_baseline(repo):
    tags = source_tags(repo, environ={"DVC_EXP_NAME": "more-seeds", "DVC_EXP_BASELINE_REV": "f" * 40})
    assert tags["aerepro.dvc_experiment"] == "more-seeds" and tags["aerepro.dvc_baseline_rev"] == "f" * 40
    assert tags["mlflow.source.name"] == "dvc exp run"


def test_outside_git_the_commit_is_empty(tmp_path):
    assert source_tags(tmp_path, environ={})["mlflow.source.git.commit"] == ""


def test_dataset_inputs_are_named_by_file_and_their_digest_follows_the_content(tmp_path):
    import warnings

    a, b = tmp_path / "onehot.csv", tmp_path / "patterns.csv"
    a.write_text("x0,x1\n1,0\n0,1\n")
    b.write_text("x0\n0\n1\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = dataset_inputs([a, b])
    hints = [str(w.message) for w in caught if "integer column" in str(w.message) or "multiple ways" in str(w.message)]
    assert not hints  # read as float64, as the estimators read them; the source's type is not in doubt
    assert [d.dataset.name for d in first] == ["onehot", "patterns"]
    assert [t.value for t in first[0].tags] == ["training"] and first[0].dataset.source_type
    a.write_text("x0,x1\n1,0\n1,1\n")
    assert dataset_inputs([a])[0].dataset.digest != first[0].dataset.digest
    assert dataset_inputs([b])[0].dataset.digest == first[1].dataset.digest


def test_summary_metrics_count_and_take_medians_per_group():
    records = [MLflowRecord("8-3-8/a", {}, {"final_loss": 1.0, "epochs": 10}),
               MLflowRecord("8-3-8/b", {}, {"final_loss": 5.0, "epochs": 30}, failed=True),
               MLflowRecord("8-3-8/c", {}, {"final_loss": 2.0}),
               MLflowRecord("summary/x", {}, {"share": 0.5})]
    metrics = summary_metrics(records)
    assert metrics["runs/8-3-8"] == 3 and metrics["failed_runs/8-3-8"] == 1
    assert metrics["median_final_loss/8-3-8"] == 2.0 and "median_epochs/8-3-8" not in metrics  # not every run has it
    assert metrics["runs/summary"] == 1 and not any(k.startswith("median_") and k.endswith("/summary") for k in metrics)
