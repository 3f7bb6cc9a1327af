"""Stage `track`: log every trained model of the pipeline to MLflow, in one process.

One MLflow run per trained model, under one parent run per `dvc repro` /
`dvc exp run` (named after the experiment or git revision and the params):
params (the estimator's `get_params()` and the run's place in the grid),
final metrics (the numeric columns of its runs table: for the blog study,
the analyse stage's table with the per-run code facts), the loss history
(step = epoch), the hidden codes and their snapped values, and the model
itself. The blog study, the paper and the anomaly model log
their models (a row whose ``rerun_of`` names another run, a rerun of it
under one free choice, is a row of ``reruns/<configuration>.csv`` on the
parent instead, :func:`split_reruns`); the encoder family logs one run per row of its summary (success
shares over seeds) under a parent of its own, `<parent>/family`. Each parent
holds a whole snapshot of its study, and as its own artifacts the files drawn
from all of its runs (each configuration's loss curves, the paper's, the
anomaly scores; the family's success shares and seed table), stored once
rather than copied into every child. Reads
only the outputs of earlier stages (:mod:`aerepro.runs`), so a logging
failure never touches them, and, when present, the training stages' clocks
(``<clocks>/<stage>.csv``, :func:`aerepro.runs.read_clocks`), which are no
dependency of the stage: they set MLflow's Duration only.

The stage's output is the digest of every run it logged (run name ->
``aerepro.digest``): the same for the same runs, so a repro that changes no
result leaves it, and ``dvc.lock``, as they were. A run whose digest is
already stored under another parent is logged as a reference to it
(:class:`aerepro.tracking.Tracker`), so an experiment adds only what it changed.
"""

import time
from pathlib import Path

import pandas as pd

from ae import AutoEncoder  # noqa: F401 - the models unpickled here are AutoEncoders: a dependency of this stage

from .codes import snap
from .io import write_json
from .lineage import dataset_inputs, source_tags, summary_metrics
from .networks import SCHEMA as NETWORKS
from .params import load_params
from .schema import Schema, integer, text
from .runs import CODES, CURVES, MODELS, RUNS, SUMMARY, code_grid, load_models, read_clocks, read_table, thin_curve
from .tracking import MLflowRecord, Tracker, parent_run_name, record_digest

__all__ = ["PARAMS", "SCHEMA", "track", "split_reruns", "run_tags"]

#: The keys of params.yaml the stage reads.
PARAMS = ("study.configurations", "tracking.experiment", "tracking.history_points", "tracking.n_jobs",
          "tracking.lock_wait")

SCHEMA = NETWORKS | Schema(settings={
    "tracking.experiment": text,
    "tracking.history_points": integer(2),
    "tracking.n_jobs": integer(1),
    "tracking.lock_wait": integer(0, 3600),
}, sections=frozenset({"tracking"}))

#: The runs-table column naming the run a row reruns under one free choice (:func:`split_reruns`).
RERUN_OF = "rerun_of"

#: Numeric columns that say where a run sits in a grid, not what it measured.
GRID_NUMBERS = {"init_value", "seed", "normal_class", "n_inputs", "code_units", "extra", "batch_size"}


def code_csv(inputs, units, H):
    """CSV text of a code matrix: an ``input`` column, then ``unit<j>``; floats as ``repr`` (what pandas writes)."""
    lines = ["input," + ",".join(f"unit{j}" for j in units)]
    lines += [f"{i}," + ",".join(map(repr, row)) for i, row in zip(inputs, H.tolist())]
    return ("\n".join(lines) + "\n").encode()


def code_artifacts(codes):
    """A run's hidden codes and their snapped values as CSV files' bytes, by artifact name.

    ``codes`` is the run's long-form table (``input``, ``unit``, ``value``).
    Built with NumPy rather than a pandas pivot and ``to_csv`` per run:
    the track stage makes two for every model it logs.
    """
    inputs, units, H = code_grid(codes)
    return {"hidden_codes.csv": code_csv(inputs.tolist(), units.tolist(), H),
            "snapped_codes.csv": code_csv(inputs.tolist(), units.tolist(), snap(H))}


def summary_records(summary):
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
        ))
    return records


def _columns(records):
    """Split a runs table's columns: numbers are metrics; the rest say where the run sits (params and tags)."""
    # A flag with gaps (a diverged run has no code to read) loads as objects.
    for c in records.columns[records.dtypes == object]:
        if set(records[c].dropna()) <= {True, False}:
            records[c] = records[c].map({True: 1.0, False: 0.0})
    metric_columns = [c for c in records.columns
                      if c != "run" and records[c].dtype.kind in "fbiu" and c not in GRID_NUMBERS]
    return metric_columns, [c for c in records.columns if c != "run" and c not in metric_columns]


def training_times(seconds, trained_at):
    """MLflow start and end times (ms) of a run trained for ``seconds`` whose models were saved at ``trained_at``.

    The run ends when its folder's models were written (s since the epoch)
    and starts ``seconds`` before, so MLflow's Duration is its training time
    (the logging time when there is no clock: ``None`` or NaN).
    """
    if seconds is None or pd.isna(seconds):
        return None, None
    end = int(round(trained_at * 1000))
    return end - int(round(float(seconds) * 1000)), end


def split_reruns(records):
    """A runs table's own runs, and its reruns: rows whose :data:`RERUN_OF` names another run (without that column).

    A rerun is a run of the grid trained again under one free choice (a
    sensitivity arm: another reading of the stop rule, another BLAS kernel),
    there to re-decide verdicts. The stage logs it as a row of a table
    attached to the parent, not as a run of its own: MLflow's cost is per
    run (~20 ms here, whatever it holds), and the blog study has twice as
    many reruns as runs.
    """
    if RERUN_OF not in records.columns:
        return records, records.iloc[:0]
    rerun = records[RERUN_OF].fillna("").astype(str) != ""
    return records[~rerun].drop(columns=RERUN_OF), records[rerun]


def run_tags(row, grid_columns):
    """A run's tags: its place in the grid, with the init spelled as in run names (``init`` = ``c1`` for 1.0).

    Examples
    --------
    >>> run_tags({"configuration": "16-5-16", "init_value": 0.2}, ["configuration", "init_value"])
    {'configuration': '16-5-16', 'init_value': 0.2, 'init': 'c0.2'}
    """
    tags = {c: row[c] for c in grid_columns}
    if "init_value" in tags and pd.notna(tags["init_value"]):
        tags["init"] = f"c{float(tags['init_value']):g}"
    return tags


def model_records(runs_dir, stage, records, history_points, clocks=None):
    """One MLflow record per row of ``records`` (a runs table of the training stage ``stage``, folder ``runs_dir``).

    ``clocks`` maps run name -> its training seconds (:func:`aerepro.runs.read_clocks`), for MLflow's Duration.
    """
    clocks = clocks or {}
    models = load_models(runs_dir, stage)
    trained_at = (runs_dir / MODELS).stat().st_mtime
    codes_of = (dict(tuple(read_table(runs_dir, CODES, stage).groupby("run", sort=False)))
                if (runs_dir / CODES).exists() else {})
    curve_of = dict(tuple(read_table(runs_dir, CURVES, stage).groupby("run", sort=False)))
    metric_columns, grid_columns = _columns(records)
    batch = []
    for row in records.to_dict("records"):
        name = row["run"]
        artifacts = {}
        if name in codes_of and codes_of[name]["value"].notna().all():
            artifacts = code_artifacts(codes_of[name])
        epochs, losses = thin_curve(curve_of[name], history_points)
        start, end = training_times(clocks.get(name), trained_at)
        batch.append(MLflowRecord(
            name,
            params={**models[name].get_params(), **{c: row[c] for c in grid_columns}},
            metrics={c: float(row[c]) for c in metric_columns if pd.notna(row[c])},
            history={"loss": (epochs, losses)},
            tags=run_tags(row, grid_columns),
            artifacts=artifacts,
            model=models[name],
            failed=row.get("stop_reason") == "diverged",
            start_time=start,
            end_time=end,
        ))
    return batch


def _batch(params, study_runs, analysis, loss_plots, models, clocks):
    """The records of every trained model (the blog study's configurations, then each other run folder), and
    the parent's files: artifact path -> figure. A stage's clocks are read from ``clocks/<stage>.csv``."""
    points = params["tracking"]["history_points"]
    batch, files = [], {}
    for configuration in params["study"]["configurations"]:
        records, reruns = split_reruns(read_table(analysis / configuration, RUNS, "analyse"))
        stage = f"train@{configuration}"
        batch += model_records(study_runs / configuration, stage, records, points,
                               read_clocks(clocks / f"{stage}.csv"))
        files[f"loss_curves/{configuration}.png"] = loss_plots / f"{configuration}.png"
        if len(reruns):
            files[f"reruns/{configuration}.csv"] = reruns.to_csv(index=False).encode()
    for runs_dir, figure in models:
        batch += model_records(runs_dir, runs_dir.name, read_table(runs_dir, RUNS, runs_dir.name), points,
                               read_clocks(clocks / f"{runs_dir.name}.csv"))
        files[f"{runs_dir.name}/{figure.name}"] = figure
    return batch, files


def track(params_file, study_runs, analysis, loss_plots, models, summaries, out, data=(), clocks=Path("clocks")):
    """Log every run; write ``out``: run name -> its content digest (a summary's runs under ``<folder>/``).

    Each parent is described (:meth:`~aerepro.tracking.Tracker.describe`) by
    its lineage (:func:`aerepro.lineage.source_tags`), its runs' summary
    metrics, the ``data`` files as its dataset inputs and ``params_file`` as
    an artifact. The file is attached as it reads when the stage runs, and is
    no dependency of the stage: a setting that moves no run (``n_jobs``)
    does not relog the study; one that does reruns the stage.

    ``models`` and ``summaries`` are ``(run folder, figure)`` pairs: folders
    logged a run per model, and folders logged a run per row of their
    summary table under ``<parent>/<folder name>``. A folder's name is the
    stage that makes it. The figures (and a summary's full runs table) are
    attached to the parents (:meth:`~aerepro.tracking.Tracker.attach`).
    """
    params = load_params(params_file, PARAMS, SCHEMA)
    tracking = params["tracking"]
    start = time.perf_counter()
    parent = parent_run_name(params_file)
    logged = {}
    studies = [(parent, "", *_batch(params, study_runs, analysis, loss_plots, models, Path(clocks)))] + [
        (f"{parent}/{runs_dir.name}", f"{runs_dir.name}/", summary_records(read_table(runs_dir, SUMMARY, runs_dir.name)),
         {figure.name: figure, RUNS: runs_dir / RUNS})
        for runs_dir, figure in summaries]
    lineage, datasets = source_tags(), dataset_inputs(data)
    for name, prefix, records, files in studies:
        tracker = Tracker(tracking["experiment"], name, lock_wait=tracking["lock_wait"])
        ids = tracker.log(records, n_jobs=tracking["n_jobs"])
        tracker.attach({**files, "params.yaml": Path(params_file)})
        tracker.describe(tags=lineage, metrics=summary_metrics(records), datasets=datasets)
        logged.update({prefix + r.name: record_digest(r) for r in records})
        print(f"track: {tracker.n_logged} runs logged under {name!r} (parent run {tracker.parent_id}) to "
              f"{tracker.uri}: {tracker.n_referenced} of them as references to runs already stored, "
              f"{len(ids) - tracker.n_logged} already there", flush=True)
    write_json(out, logged)
    print(f"track: {len(logged)} runs in {time.perf_counter() - start:.1f}s", flush=True)
