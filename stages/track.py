"""Stage `track`: log every trained model of the pipeline to MLflow, in one process.

One MLflow run per trained model, under one parent run per `dvc repro` /
`dvc exp run` (named after the experiment or git revision and the params):
params (the estimator's `get_params()` and the run's place in the grid),
final metrics (the numeric columns of its runs table: for the blog study,
the analyse stage's table with the per-run code facts), the loss history
(step = epoch), the hidden codes and their snapped values, the figures given
and the model itself. The blog study, the paper and the anomaly model log
their models; the encoder family logs one run per row of its summary (success
shares over seeds, its seed table attached) under a parent of its own,
`<parent>/family`. Each parent holds a whole snapshot of its study. Reads
only the outputs of earlier stages, so a logging failure never touches them.
"""

import argparse
import tempfile
import time
from pathlib import Path

import joblib
import numpy as np
import pandas as pd

from ae.analysis import snap
from ae.io import write_json
from ae.params import load_params, main_guard
from ae.tracking import MLflowRecord, Tracker, parent_run_name

#: Numeric columns that say where a run sits in a grid, not what it measured.
GRID_NUMBERS = {"init_value", "seed", "normal_class", "n_inputs", "code_units", "extra"}


def downsample_curve_points(curve, max_points):
    """Keep at most ``max_points`` of a stored (already log-spaced) curve, first and last included."""
    index = np.unique(np.round(np.linspace(0, len(curve) - 1, min(max_points, len(curve)))).astype(int))
    return curve["epoch"].to_numpy()[index], curve["loss"].to_numpy()[index]


def code_artifacts(codes, folder):
    """Write a run's hidden codes and their snapped values as CSV; return the artifact map."""
    H = codes.pivot(index="input", columns="unit", values="value")
    H.columns = [f"unit{j}" for j in H.columns]
    H.to_csv(folder / "hidden_codes.csv")
    pd.DataFrame(snap(H.to_numpy()), index=H.index, columns=H.columns).to_csv(folder / "snapped_codes.csv")
    return {"hidden_codes.csv": folder / "hidden_codes.csv", "snapped_codes.csv": folder / "snapped_codes.csv"}


def summary_records(summary, figures):
    """One MLflow record per summary row: text and grid columns name it and are its params, numbers its metrics."""
    keys = [c for c in summary.columns if summary[c].dtype.kind not in "fbiu" or c in GRID_NUMBERS]
    records = []
    for row in summary.to_dict("records"):
        text = [str(row[c]) for c in keys if summary[c].dtype.kind not in "fbiu" and pd.notna(row[c]) and row[c] != ""]
        records.append(MLflowRecord(
            "summary/" + "/".join(text),
            params={c: row[c] for c in keys if pd.notna(row[c])},
            metrics={c: float(row[c]) for c in summary.columns if c not in keys and pd.notna(row[c])},
            tags={"summary": "true", **{c: row[c] for c in keys if pd.notna(row[c])}},
            artifacts={f.name: f for f in figures},
        ))
    return records


def model_records(runs_dir, records, figures, history_points, tmp):
    """One MLflow record per row of ``records`` (a runs table of the training stage in ``runs_dir``)."""
    models = joblib.load(runs_dir / "models.joblib")
    codes_path = runs_dir / "codes.csv"
    codes_of = dict(tuple(pd.read_csv(codes_path).groupby("run", sort=False))) if codes_path.exists() else {}
    curve_of = dict(tuple(pd.read_csv(runs_dir / "curves.csv").groupby("run", sort=False)))
    # Numbers are metrics; everything else says where the run sits (params and tags).
    # A flag with gaps (a diverged run has no code to read) loads as objects.
    for c in records.columns[records.dtypes == object]:
        if set(records[c].dropna()) <= {True, False}:
            records[c] = records[c].map({True: 1.0, False: 0.0})
    metric_columns = [c for c in records.columns
                      if c != "run" and records[c].dtype.kind in "fbiu" and c not in GRID_NUMBERS]
    grid_columns = [c for c in records.columns if c != "run" and c not in metric_columns]
    batch = []
    for row in records.to_dict("records"):
        name = row["run"]
        folder = Path(tmp, f"{runs_dir.name}-{len(batch)}")
        folder.mkdir()
        artifacts = {f.name: f for f in figures}
        if name in codes_of and codes_of[name]["value"].notna().all():
            artifacts.update(code_artifacts(codes_of[name], folder))
        epochs, losses = downsample_curve_points(curve_of[name], history_points)
        batch.append(MLflowRecord(
            name,
            params={**models[name].get_params(), **{c: row[c] for c in grid_columns}},
            metrics={c: float(row[c]) for c in metric_columns if pd.notna(row[c])},
            history={"loss": (epochs, losses)},
            tags={c: row[c] for c in grid_columns},
            artifacts=artifacts,
            model=models[name],
            failed=row.get("stop_reason") == "diverged",
        ))
    return batch


def pair(text):
    """``PATH=FIGURE`` -> (Path, Path)."""
    path, _, figure = text.partition("=")
    return Path(path), Path(figure)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--study-runs", type=Path, required=True,
                        help="folder of the blog study's training outputs, one subfolder per configuration")
    parser.add_argument("--analysis", type=Path, required=True, help="folder of the analyse stages' outputs")
    parser.add_argument("--loss-plots", type=Path, required=True, help="folder of the loss-curve figures")
    parser.add_argument("--models", type=pair, action="append", default=[], metavar="RUNS=FIGURE",
                        help="another training stage's output folder, and a figure to attach to its runs")
    parser.add_argument("--summary", type=pair, action="append", default=[], metavar="RUNS=FIGURE",
                        help="a study logged as its summary.csv, one run per row, under <parent>/<folder name>")
    parser.add_argument("--out", type=Path, required=True, help="JSON file: run name -> MLflow run id")
    args = parser.parse_args()
    params = load_params(args.params)
    tracking = params["tracking"]
    start = time.perf_counter()
    parent = parent_run_name(args.params)
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        batch = []
        for configuration in params["study"]["configurations"]:
            batch += model_records(args.study_runs / configuration,
                                   pd.read_csv(args.analysis / configuration / "runs.csv"),
                                   [args.loss_plots / f"{configuration}.png"], tracking["history_points"], tmp)
        for runs_dir, figure in args.models:
            batch += model_records(runs_dir, pd.read_csv(runs_dir / "runs.csv"), [figure],
                                   tracking["history_points"], tmp)
        studies = [(parent, batch)] + [
            (f"{parent}/{runs_dir.name}", summary_records(pd.read_csv(runs_dir / "summary.csv"),
                                                          [figure, runs_dir / "runs.csv"]))
            for runs_dir, figure in args.summary]
        for name, records in studies:
            tracker = Tracker(tracking["experiment"], name)
            ids = tracker.log(records, n_jobs=tracking["n_jobs"])
            out[name] = {"parent": tracker.parent_id, "runs": dict(zip([r.name for r in records], ids))}
            print(f"track: {len(ids)} runs logged under {name!r} to {tracker.uri}", flush=True)
    write_json(args.out, out)
    print(f"track: {sum(len(v['runs']) for v in out.values())} runs in {time.perf_counter() - start:.1f}s", flush=True)


if __name__ == "__main__":
    main_guard(main)
