"""Stage `analyse@<configuration>`: line up, snap and summarize the hidden codes of one configuration.

Reads a training stage's run folder; writes into its own folder the runs
with their per-run code facts, one row per activation setting x protocol,
every run's aligned code and the blog-style consensus table of each group
(:mod:`aerepro.runs` names the files); the DVC metrics file (one entry per
group); and a heat map of the aligned codes per protocol.
"""

from ..figures import save_figure
from ..io import write_csv, write_json
from ..runs import ALIGNED, CODES, CONSENSUS, GROUPS, RUNS, MissingInput, metrics_of, read_table
from .analysis import READINGS, analyse_codes
from .grid import SHARED
from .figures import code_heatmaps_figure

__all__ = ["analyse", "METRICS"]

#: Columns of the groups table that are DVC metrics.
METRICS = ["n_valid", "reconstruct_all", "collapsed", "dead", "bijections", "distinct_codes_mean",
           "binary_fraction_mean", "agreement_mean", "agreement_chance"]


def analyse(runs_dir, out, metrics, figures):
    """Analyse the run folder ``runs_dir``; write tables into ``out``, ``metrics`` and heat maps into ``figures``."""
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
    write_json(metrics, metrics_of(groups, lambda g: f"{g['activation']}/{g['protocol']}/seed{g['seed']}", METRICS))
    # the heat maps the page shows: the first seed of each protocol of the grid (not its controls)
    first_seed = runs[(runs["seed"] == runs["seed"].min()) & runs["init_value"].notna()
                      & ~runs["protocol"].str.endswith(SHARED)]
    for (configuration, protocol), sel in first_seed.groupby(["configuration", "protocol"], sort=False):
        title = (f"{configuration}, protocol {protocol}, seed {sel['seed'].iloc[0]}: hidden activations, "
                 "columns aligned per activation setting")
        save_figure(code_heatmaps_figure(aligned[aligned["run"].isin(sel["run"])], sel, title),
                    figures / f"{protocol}.png")
    print(f"analyse: {len(groups)} groups of {len(runs)} runs, "
          f"{int(groups['collapsed'].sum())} collapsed, {int(groups['bijections'].sum())} binary bijections", flush=True)
