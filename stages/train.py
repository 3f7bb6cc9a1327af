"""Stage `train@<configuration>`: train every run of one configuration.

Runs are the configuration x activation settings x inits x protocols of
`params.yaml`, trained together with `ae.fit_many`. Writes, into `--out`:
`models.joblib` (name -> fitted AutoEncoder), `runs.csv` (one row of facts
per run), `codes.csv` (hidden codes, long form), `curves.csv` (loss curves,
log-spaced); and the DVC metrics file and loss-curve figure.
"""

import argparse
import time
import warnings
from pathlib import Path

import pandas as pd
from sklearn.exceptions import ConvergenceWarning

from ae import SymmetricInitWarning, fit_many
from ae.io import write_csv, write_joblib, write_json
from ae.params import ParamsError, load_params, main_guard
from ae.plots import loss_curves_figure, save_figure
from ae.study import codes_frame, curve_frame, expand_study, run_record
from ae.tracking import check_tracking


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--configuration", required=True)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--metrics", type=Path, required=True)
    parser.add_argument("--plot", type=Path, required=True)
    args = parser.parse_args()
    params = load_params(args.params)
    check_tracking()  # fail now, not after the training, if MLflow cannot be reached
    X = pd.read_csv(args.data).to_numpy(dtype=float)
    known = params["study"]["configurations"]
    if args.configuration not in known:
        raise ParamsError(f"--configuration {args.configuration!r} is not in study.configurations ({', '.join(known)})")
    runs = expand_study(params["study"], [args.configuration])
    estimators = [run.estimator() for run in runs]
    print(f"train {args.configuration}: {len(runs)} runs", flush=True)
    start = time.perf_counter()
    with warnings.catch_warnings():
        # Both are recorded per run (stop_reason, symmetric_collapse) and reported.
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", SymmetricInitWarning)
        fit_many(estimators, X, n_jobs=params["train"]["n_jobs"], verbose=1, names=[r.name for r in runs])
    wall = time.perf_counter() - start

    points = params["train"]["curve_points"]
    records = pd.DataFrame([run_record(r, e, X) for r, e in zip(runs, estimators)])
    curves = pd.concat([curve_frame(r, e, points) for r, e in zip(runs, estimators)], ignore_index=True)
    write_joblib(args.out / "models.joblib", {r.name: e for r, e in zip(runs, estimators)})
    write_csv(args.out / "runs.csv", records)
    write_csv(args.out / "codes.csv", pd.concat([codes_frame(r, e, X) for r, e in zip(runs, estimators)]))
    write_csv(args.out / "curves.csv", curves)
    keep = ["final_loss", "epochs", "distinct_codes", "stop_reason"]
    # Metrics hold no wall times, so the same params give byte-identical files.
    write_json(args.metrics, {row["run"]: {k: (None if pd.isna(row[k]) else row[k]) for k in keep}
                              for row in records.to_dict("records")})
    save_figure(loss_curves_figure(curves, records, f"{args.configuration}: loss by epoch"), args.plot)
    print(f"train {args.configuration}: {len(runs)} runs in {wall:.1f}s", flush=True)


if __name__ == "__main__":
    main_guard(main)
