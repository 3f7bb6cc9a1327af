"""Stage `family`: the N-log2(N)-N encoder family, many seeds per N, trained with `ae.fit_many`.

Runs are `family.sizes` x `family.extra_code_units` x `family.inits` x
`family.n_seeds` seeds (`ae.family.expand_family`), on X = eye(N). Writes,
into `--out`: `models.joblib`, `runs.csv`, `codes.csv`, `curves.csv` (the
layout `stages/track.py` logs), `summary.csv` (one row per architecture and
init: success shares over seeds, median epochs and time to the stop rule)
and `cost.csv` (seconds per model-epoch of each architecture's stack); and
the DVC metrics file (no wall times, so the same params give the same bytes).
"""

import argparse
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning

from ae.family import cost_table, expand_family, family_record, fit_family, summarize_family
from ae.io import write_csv, write_joblib, write_json
from ae.params import load_params, main_guard
from ae.study import codes_frame, curve_frame
from ae.tracking import check_tracking

#: Columns of summary.csv kept in the metrics file (no wall times: the file is byte-reproducible).
METRICS = ["n_seeds", "n_diverged", "distinct_share", "bijection_share", "binarised_share",
           "converged_share", "median_epochs"]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--params", default="params.yaml")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--metrics", type=Path, required=True)
    args = parser.parse_args()
    params = load_params(args.params)
    check_tracking()  # fail now, not after the training, if MLflow cannot be reached
    family = params["family"]
    runs = expand_family(family)
    estimators = [run.estimator() for run in runs]
    data = {r.n_inputs: np.eye(r.n_inputs) for r in runs}
    print(f"family: {len(runs)} runs", flush=True)
    start = time.perf_counter()
    with warnings.catch_warnings():
        # Reaching max_iter is recorded per run (stop_reason) and reported.
        warnings.simplefilter("ignore", ConvergenceWarning)
        stack_of = fit_family(runs, estimators, n_jobs=params["train"]["n_jobs"], max_stack=family["max_stack"])
    wall = time.perf_counter() - start

    points = params["train"]["curve_points"]
    pairs = list(zip(runs, estimators))
    records = pd.DataFrame([family_record(r, e, data[r.n_inputs]) for r, e in pairs]).assign(stack=stack_of)
    codes = {r.name: (None if e.stop_reason_ == "diverged" else e.transform(data[r.n_inputs])) for r, e in pairs}
    summary = summarize_family(records, codes.get)
    write_joblib(args.out / "models.joblib", {r.name: e for r, e in pairs})
    write_csv(args.out / "runs.csv", records)
    write_csv(args.out / "codes.csv", pd.concat([codes_frame(r, e, data[r.n_inputs]) for r, e in pairs]))
    write_csv(args.out / "curves.csv", pd.concat([curve_frame(r, e, points) for r, e in pairs], ignore_index=True))
    write_csv(args.out / "summary.csv", summary)
    write_csv(args.out / "cost.csv", cost_table(records))
    metrics = {}
    for row in summary.to_dict("records"):
        metrics.setdefault(row["architecture"], {})[row["init"]] = {k: row[k] for k in METRICS}
    write_json(args.metrics, metrics)
    print(f"family: {len(runs)} runs in {wall:.1f}s", flush=True)


if __name__ == "__main__":
    main_guard(main)
