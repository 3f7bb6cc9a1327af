"""Where a parent run comes from: the git commit, the DVC experiment, the params file and the datasets.

What a reader of the MLflow store needs to rebuild a parent run's results:
:func:`source_tags` (MLflow's own ``mlflow.source.git.commit``, whether the
tree was dirty, the DVC experiment's name and baseline revision, which
``dvc exp run`` exports to its stages), :func:`dataset_inputs` (the
pipeline's data files as MLflow datasets with their digests) and
:func:`summary_metrics` (a study's counts and medians, so that parents
compare in the runs table without opening a child).
"""

import os
import subprocess
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["source_tags", "dataset_inputs", "summary_metrics"]


def _git(args, cwd):
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def source_tags(cwd=None, environ=None):
    """The parent's lineage tags: git commit and state, and the DVC experiment (name, baseline revision).

    Examples
    --------
    >>> tags = source_tags(environ={"DVC_EXP_NAME": "more-seeds", "DVC_EXP_BASELINE_REV": "abc123"})
    >>> tags["aerepro.dvc_experiment"], tags["aerepro.dvc_baseline_rev"]
    ('more-seeds', 'abc123')
    """
    environ = os.environ if environ is None else environ
    commit = _git(["rev-parse", "HEAD"], cwd)
    dirty = bool(_git(["status", "--porcelain", "--untracked-files=no"], cwd))
    return {
        "mlflow.source.git.commit": commit,
        "mlflow.source.name": "dvc repro" if not environ.get("DVC_EXP_NAME") else "dvc exp run",
        "aerepro.git_dirty": str(dirty).lower(),
        "aerepro.dvc_experiment": environ.get("DVC_EXP_NAME", ""),
        "aerepro.dvc_baseline_rev": environ.get("DVC_EXP_BASELINE_REV", commit),
    }


def dataset_inputs(paths):
    """MLflow dataset inputs (context ``training``) of CSV files, each named by its stem, with MLflow's digest."""
    import mlflow.data
    from mlflow.entities import DatasetInput, InputTag

    inputs = []
    for path in map(Path, paths):
        # as the estimators read them: float64 (an integer schema draws MLflow's missing-values hint); a local
        # path's source type is inferred with a warning that it could be read two ways, both the same class
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="The specified dataset source can be interpreted", category=UserWarning)
            dataset = mlflow.data.from_pandas(pd.read_csv(path).astype("float64"), source=str(path), name=path.stem)
        inputs.append(DatasetInput(dataset._to_mlflow_entity(), tags=[InputTag("mlflow.data.context", "training")]))
    return inputs


def summary_metrics(records):
    """Per group of runs (the first part of a run's name: a configuration or a study), the number of runs,
    the failed ones and the median of each metric every run of the group has, keyed ``<metric>/<group>``.

    Examples
    --------
    >>> class R:
    ...     def __init__(self, name, loss, failed=False):
    ...         self.name, self.metrics, self.failed = name, {"final_loss": loss}, failed
    >>> summary_metrics([R("16-5-16/a", 1.0), R("16-5-16/b", 3.0, True), R("paper/x", 0.5)])
    {'runs/16-5-16': 2.0, 'failed_runs/16-5-16': 1.0, 'median_final_loss/16-5-16': 2.0, 'runs/paper': 1.0, 'failed_runs/paper': 0.0, 'median_final_loss/paper': 0.5}
    """
    groups = {}
    for record in records:
        groups.setdefault(record.name.split("/")[0], []).append(record)
    out = {}
    for group, members in groups.items():
        out[f"runs/{group}"] = float(len(members))
        out[f"failed_runs/{group}"] = float(sum(bool(r.failed) for r in members))
        shared = set.intersection(*(set(r.metrics) for r in members))
        for key in sorted(shared & {"final_loss", "epochs"}):
            out[f"median_{key}/{group}"] = float(np.median([r.metrics[key] for r in members]))
    return out
