"""Stage `track@<configuration>`: log every run of a configuration to MLflow.

One MLflow run per trained model, under one parent run per `dvc repro` /
`dvc exp run`: params (the estimator's `get_params()` and the run's place in
the grid), final metrics, the loss history (step = epoch), the hidden codes,
the snapped code, the configuration's loss-curve figure and the model itself.
Reads only the outputs of `train@<configuration>`, so a logging failure never
touches them.
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

METRICS = ["final_loss", "epochs", "train_seconds", "distinct_codes", "binary_fraction", "symmetric_collapse"]
GRID = ["configuration", "activation", "protocol", "init_value"]


def downsample_curve_points(curve, max_points):
    """Keep at most ``max_points`` of a stored (already log-spaced) curve, first and last included."""
    index = np.unique(np.round(np.linspace(0, len(curve) - 1, min(max_points, len(curve)))).astype(int))
    return curve["epoch"].to_numpy()[index], curve["loss"].to_numpy()[index]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--runs", type=Path, required=True, help="output folder of train@<configuration>")
    parser.add_argument("--plot", type=Path, required=True, help="the configuration's loss-curve figure")
    parser.add_argument("--out", type=Path, required=True, help="JSON file: run name -> MLflow run id")
    args = parser.parse_args()
    params = load_params(args.params)
    models = joblib.load(args.runs / "models.joblib")
    records = pd.read_csv(args.runs / "runs.csv")
    codes = pd.read_csv(args.runs / "codes.csv")
    curves = pd.read_csv(args.runs / "curves.csv")
    start = time.perf_counter()
    tracker = Tracker(params["tracking"]["experiment"], parent_run_name(args.params))
    batch = []
    codes_of = dict(tuple(codes.groupby("run", sort=False)))
    curve_of = dict(tuple(curves.groupby("run", sort=False)))
    with tempfile.TemporaryDirectory() as tmp:
        for row in records.to_dict("records"):
            name = row["run"]
            H = codes_of[name].pivot(index="input", columns="unit", values="value")
            H.columns = [f"unit{j}" for j in H.columns]
            base = Path(tmp, name.replace("/", "_"))
            H.to_csv(f"{base}-codes.csv")
            pd.DataFrame(snap(H.to_numpy()), index=H.index, columns=H.columns).to_csv(f"{base}-snapped.csv")
            epochs, losses = downsample_curve_points(curve_of[name], params["tracking"]["history_points"])
            model = models[name]
            record = MLflowRecord(
                name,
                params={**model.get_params(), **{k: row[k] for k in GRID}},
                metrics={k: float(row[k]) for k in METRICS},
                history={"loss": (epochs, losses)},
                tags={**{k: row[k] for k in GRID}, "stop_reason": row["stop_reason"]},
                artifacts={
                    "hidden_codes.csv": f"{base}-codes.csv",
                    "snapped_codes.csv": f"{base}-snapped.csv",
                    "loss_curves.png": args.plot,
                },
                model=model,
                failed=row["stop_reason"] == "diverged",
            )
            batch.append(record)
        ids = dict(zip(records["run"], tracker.log(batch)))
    write_json(args.out, {"parent": tracker.parent_id, "runs": ids, "tracking_uri": tracker.uri})
    print(f"track: {len(ids)} runs logged to {tracker.uri} in {time.perf_counter() - start:.1f}s", flush=True)


if __name__ == "__main__":
    main_guard(main)
