"""What the seeds cost: the blog study's training of each configuration with one seed and with `study.seeds`.

Runs the grid of ``params.yaml`` (every activation setting, protocol and
init; the shared-draw and control arms left out, so only the seeds differ)
through ``ae.fit_many`` twice per configuration, one seed and then every
seed of ``study.seeds``, side by side, and prints the wall times and their
ratio. Stacks of more models cost less per model, so the ratio is below the
number of seeds.

    python benchmarks/seeds_cost.py [--configurations 16-5-16 16-3-16] [--n-jobs 2]
"""

import argparse
import time
import warnings

import numpy as np
import yaml

from _common import ROOT, machine_lines

from ae import fit_many
from aerepro.blog.grid import expand_study


def train_seconds(study, configuration, n_jobs):
    runs = expand_study(study, [configuration])
    estimators = [run.estimator() for run in runs]
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit_many(estimators, np.eye(16), n_jobs=n_jobs)
    return len(runs), time.perf_counter() - start


def main():
    params = yaml.safe_load((ROOT / "params.yaml").read_text())
    study = {k: v for k, v in params["study"].items() if k not in ("shared_draw", "controls")}
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--configurations", nargs="+", default=list(study["configurations"]))
    parser.add_argument("--n-jobs", type=int, default=params["train"]["n_jobs"])
    args = parser.parse_args()
    print("\n".join(machine_lines(f"numpy {np.__version__}")))
    seeds = study["seeds"]
    print(f"seeds: {seeds}; n_jobs {args.n_jobs}")
    print(f"{'configuration':<14} {'runs x1':>8} {'s x1':>8} {'runs xS':>8} {'s xS':>8} {'ratio':>6}")
    totals = np.zeros(2)
    for configuration in args.configurations:
        n1, t1 = train_seconds({**study, "seeds": seeds[:1]}, configuration, args.n_jobs)
        n, t = train_seconds(study, configuration, args.n_jobs)
        totals += (t1, t)
        print(f"{configuration:<14} {n1:>8} {t1:>8.1f} {n:>8} {t:>8.1f} {t / t1:>6.2f}")
    print(f"{'total':<14} {'':>8} {totals[0]:>8.1f} {'':>8} {totals[1]:>8.1f} {totals[1] / totals[0]:>6.2f}")


if __name__ == "__main__":
    main()
