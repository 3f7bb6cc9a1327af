"""Stage `track@<runs>`: log every run of a training stage to MLflow.

One MLflow run per trained model, under one parent run per `dvc repro` /
`dvc exp run`: params (the estimator's `get_params()` and the run's place in
the grid), final metrics (the numeric columns of `runs.csv`, or of
`--records`, e.g. the analyse stage's table with the per-run code facts), the loss
history (step = epoch), the hidden codes and their snapped values, the
figures given and the model itself. With `--summary`, each row of a
summary CSV (e.g. success shares over seeds) is one more run, named
`summary/<its text columns>`, its numbers as metrics. With `--study`, the
runs go under a parent of their own, `<parent>/<study>`. Reads only the
outputs of a training stage, so a logging failure never touches them.
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


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--runs", type=Path, required=True, help="output folder of a training stage")
    parser.add_argument("--records", type=Path, default=None,
                        help="the table of runs to log (default: runs.csv of --runs); e.g. the analyse stage's")
    parser.add_argument("--figure", type=Path, action="append", default=[], help="figure(s) to attach to every run")
    parser.add_argument("--summary", type=Path, help="CSV: one more run per row (text columns name it)")
    parser.add_argument("--study", help="log under a parent run of this study's own, <parent>/<study>")
    parser.add_argument("--out", type=Path, required=True, help="JSON file: run name -> MLflow run id")
    args = parser.parse_args()
    params = load_params(args.params)
    models = joblib.load(args.runs / "models.joblib")
    records = pd.read_csv(args.records or args.runs / "runs.csv")
    codes_path = args.runs / "codes.csv"
    codes_of = dict(tuple(pd.read_csv(codes_path).groupby("run", sort=False))) if codes_path.exists() else {}
    curve_of = dict(tuple(pd.read_csv(args.runs / "curves.csv").groupby("run", sort=False)))
    # Numbers are metrics; everything else says where the run sits (params and tags).
    # A flag with gaps (a diverged run has no code to read) loads as objects.
    for c in records.columns[records.dtypes == object]:
        if set(records[c].dropna()) <= {True, False}:
            records[c] = records[c].map({True: 1.0, False: 0.0})
    metric_columns = [c for c in records.columns
                      if c != "run" and records[c].dtype.kind in "fbiu" and c not in GRID_NUMBERS]
    grid_columns = [c for c in records.columns if c != "run" and c not in metric_columns]
    start = time.perf_counter()
    parent = parent_run_name(args.params) + (f"/{args.study}" if args.study else "")
    tracker = Tracker(params["tracking"]["experiment"], parent)
    batch = []
    with tempfile.TemporaryDirectory() as tmp:
        for k, row in enumerate(records.to_dict("records")):
            name = row["run"]
            folder = Path(tmp, str(k))
            folder.mkdir()
            artifacts = {f.name: f for f in args.figure}
            if name in codes_of and codes_of[name]["value"].notna().all():
                artifacts.update(code_artifacts(codes_of[name], folder))
            epochs, losses = downsample_curve_points(curve_of[name], params["tracking"]["history_points"])
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
        if args.summary:
            batch += summary_records(pd.read_csv(args.summary), args.figure)
        names = [record.name for record in batch]
        ids = dict(zip(names, tracker.log(batch)))
    write_json(args.out, {"parent": tracker.parent_id, "runs": ids, "tracking_uri": tracker.uri})
    print(f"track: {len(ids)} runs logged to {tracker.uri} in {time.perf_counter() - start:.1f}s", flush=True)


if __name__ == "__main__":
    main_guard(main)
