"""Stage `train@<configuration>`: train every run of one configuration of the blog study.

Runs are the configuration x activation settings x inits x protocols of
``params.yaml``, trained together with :func:`ae.fit_many` (a sensitivity
arm's runs under another OpenBLAS kernel in a process of their own,
:func:`aerepro.kernels.fit_by_kernel`), written as a run folder
(:mod:`aerepro.runs`) with the kernel each trained on and, for a sensitivity
arm's run, the grid run it reruns (``rerun_of``), the DVC metrics file
(per activation setting and protocol of the grid: runs, medians, counts) and the loss-curve figure.
"""

import time

from sklearn.exceptions import ConvergenceWarning

from ae import SymmetricInitWarning

from ..cluster import training_jobs
from ..io import write_json
from ..kernels import fit_by_kernel
from ..params import load_params
from ..runs import group_metrics, read_data, write_run_folder
from ..store import check_tracking
from ..figures import save_figure
from .readings import fit_readings
from .figures import loss_curves_figure
from .grid import core_type_of, expand_study, is_grid_protocol, is_rerun, rerun_of
from .schema import SCHEMA

__all__ = ["PARAMS", "train"]

#: The keys of params.yaml the stage reads (``${key}``: its configuration, as in dvc.yaml).
PARAMS = ("study.estimator", "study.configurations.${key}", "study.activations", "study.inits",
          "study.seeds", "study.protocols", "study.shared_draw", "study.controls", "study.sensitivity",
          "train.curve_points",
          "train.n_jobs")

#: Columns of runs.csv whose medians per activation setting and protocol of the grid make the metrics file
#: (the headline a person compares across experiments); each run's own values are its MLflow run's, and the
#: shared-draw controls and sensitivity arms are in runs.csv, MLflow and the page.
METRICS = ["final_loss", "epochs"]


def train(params_file, configuration, data, out, metrics, plot, clocks=None):
    """Train ``configuration``'s runs on the CSV ``data``; write the run folder ``out``, ``metrics``, ``plot``
    and the runs' ``clocks`` (:func:`aerepro.runs.write_clocks`)."""
    params = load_params(params_file, PARAMS, SCHEMA, key=configuration)
    check_tracking()  # fail now, not after the training, if MLflow cannot be reached
    X = read_data(data)
    runs = expand_study(params["study"], [configuration])
    estimators = [run.estimator() for run in runs]
    print(f"train {configuration}: {len(runs)} runs", flush=True)
    start = time.perf_counter()
    cores = [core_type_of(params["study"], run.coords["protocol"]) for run in runs]
    with training_jobs(params["train"]["n_jobs"]) as n_jobs:
        # Both warnings are recorded per run (stop_reason, symmetric_collapse) and reported.
        kernels = fit_by_kernel(estimators, X, cores, n_jobs, [r.name for r in runs],
                                quiet=(ConvergenceWarning, SymmetricInitWarning), verbose=1)
    wall = time.perf_counter() - start
    records, curves = write_run_folder(out, runs, estimators, lambda run: X, params["train"]["curve_points"],
                                       clocks=clocks, **fit_readings(estimators), blas_kernel=kernels,
                                       rerun_of=[rerun_of(run) for run in runs])
    kept = records[~records["protocol"].map(is_rerun)]  # the sensitivity arms: runs.csv only
    grid = records[records["protocol"].map(is_grid_protocol)]
    write_json(metrics, group_metrics(grid, lambda r: f"{r['activation']}/{r['protocol']}", METRICS, size=None))
    save_figure(loss_curves_figure(curves[curves["run"].isin(kept["run"])], kept, f"{configuration}: loss by epoch"),
                plot)
    print(f"train {configuration}: {len(runs)} runs in {wall:.1f}s", flush=True)
