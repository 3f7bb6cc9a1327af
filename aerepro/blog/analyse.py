"""Stage `analyse`: line up, snap and summarize the hidden codes of every configuration of the study.

For each configuration, reads its training stage's run folder and writes
into a folder of its own the runs with their per-run code facts, one row
per activation setting x protocol, every run's aligned code and the
blog-style consensus table of each group (:mod:`aerepro.runs` names the
files), and a heat map of the aligned codes per protocol; then one DVC
metrics file (per configuration, one entry per group).

One stage for the whole study, not one per configuration: a
configuration's analysis takes about as long as starting a stage process
and DVC's bookkeeping around it (``benchmarks/pipeline_time.py``); the
configurations are analysed side by side instead.
"""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from joblib import effective_n_jobs

from ..figures import save_figure
from ..io import write_csv, write_json
from ..params import load_params
from ..runs import (
    ALIGNED,
    CODES,
    CONSENSUS,
    GROUPS,
    RUNS,
    MissingInput,
    group_metrics,
    read_table,
)
from .analysis import analyse_codes
from .readings import READINGS
from .figures import code_heatmaps_figure
from .grid import is_grid_protocol
from .schema import SCHEMA

__all__ = ["COUNTS", "PARAMS", "analyse", "analyse_study"]

#: The keys of params.yaml the stage reads.
PARAMS = ("study.configurations", "train.n_jobs")

#: Columns of the groups table (a row per activation x protocol x seed) summed over seeds in the DVC metrics:
#: runs reconstructing every input, and binary bijections. The other facts are each group's row of groups.csv.
COUNTS = ["reconstruct_all", "bijections"]


def analyse_study(params_file, runs, out, metrics, figures):
    """Analyse ``runs/<configuration>`` into ``out/<configuration>`` and ``figures/<configuration>``, for each
    configuration of ``params_file``'s study; write their DVC metrics into ``metrics``, keyed by configuration.

    The configurations are analysed side by side in up to ``train.n_jobs``
    forked processes (one after the other where ``fork`` is missing): each
    analysis is deterministic, so the outputs do not depend on it.
    """
    params = load_params(params_file, PARAMS, SCHEMA)
    configurations = list(params["study"]["configurations"])
    jobs = [(runs / c, out / c, figures / c) for c in configurations]
    write_json(metrics, dict(zip(configurations, _map(analyse, jobs, params["train"]["n_jobs"]))))


def _map(function, jobs, n_jobs):
    """``[function(*job) for job in jobs]``, in up to ``n_jobs`` forked processes (joblib's reading of ``n_jobs``).

    A worker that dies (the OOM killer) fails the map with ``BrokenProcessPool`` instead of hanging it.
    """
    workers = min(effective_n_jobs(n_jobs), len(jobs))
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [function(*job) for job in jobs]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(function, *zip(*jobs)))


def analyse(runs_dir, out, figures):
    """Analyse the run folder ``runs_dir``; write tables into ``out`` and heat maps into ``figures``.

    Returns the DVC metrics of its groups, over seeds: ``activation/protocol`` -> the seeds, the median of
    each of :data:`METRICS` and the sum of each of :data:`COUNTS` (each seed's own rows are in ``groups.csv``).
    """
    stage = f"train@{runs_dir.name}"
    records = read_table(runs_dir, RUNS, stage)
    missing = [c for c in READINGS if c not in records]
    if missing:
        raise MissingInput(f"{runs_dir / RUNS}: no column {missing[0]!r} (written by an older version of stage "
                           f"{stage!r}): run `dvc repro {stage}`")
    runs, groups, aligned, consensus = analyse_codes(records, read_table(runs_dir, CODES, stage))
    write_csv(out / RUNS, runs)
    write_csv(out / GROUPS, groups)
    write_csv(out / ALIGNED, aligned)
    write_csv(out / CONSENSUS, consensus)
    # the heat maps the page shows: the first seed of each protocol of the grid (not its controls or arms)
    first_seed = runs[(runs["seed"] == runs["seed"].min()) & runs["init_value"].notna()
                      & runs["protocol"].map(is_grid_protocol)]
    for (configuration, protocol), sel in first_seed.groupby(["configuration", "protocol"], sort=False):
        title = (f"{configuration}, protocol {protocol}, seed {sel['seed'].iloc[0]}: hidden activations, "
                 "columns aligned per activation setting")
        save_figure(code_heatmaps_figure(aligned[aligned["run"].isin(sel["run"])], sel, title),
                    figures / f"{protocol}.png")
    print(f"analyse: {runs_dir.name}: {len(groups)} groups of {len(runs)} runs, "
          f"{int(groups['collapsed'].sum())} collapsed, {int(groups['bijections'].sum())} binary bijections", flush=True)
    # DVC metrics of the grid's protocols; the shared-draw controls and sensitivity arms are in the tables and page
    grid = groups[groups["protocol"].map(is_grid_protocol)]
    return group_metrics(grid, lambda g: f"{g['activation']}/{g['protocol']}", [],
                         {c: (lambda frame, c=c: frame[c].sum()) for c in COUNTS}, size=None)
