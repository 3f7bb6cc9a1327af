"""Wall time of `dvc repro` from scratch, split by stage, and MLflow's share of it.

Clones the repository's committed HEAD into a temporary folder (no DVC cache,
no outputs, no params file seen to pass: a fresh machine's first run), runs
`dvc repro` there with a fresh MLflow store, timestamps every "Running stage" line and prints each stage's
wall time. The MLflow share is the time of the `track*` stages (whole stage
processes: imports, store, logging) over the total: an upper bound of what
logging costs. It also prints the share of the stages that train nothing
(:data:`TRAINING` names those that do) against the targets of a default
repro: under 240 s, under 20 % of it not training.

With ``--rev REV [REV ...]`` each clone is checked out at a revision (its own
``ae`` and ``aerepro`` are imported: ``PYTHONPATH`` is the clone); with
``--repeats N`` every revision is run N times, the revisions taking turns
(A B A B ...), so that the machine's swings fall on all of them alike. The
last lines give each revision's medians: the total, the stages that train
nothing and their share.

    python benchmarks/pipeline_time.py [--keep] [--rev REV ...] [--repeats N]
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

from _common import machine_lines

ROOT = Path(__file__).resolve().parents[1]
STAGE = re.compile(r"Running stage '([^']+)'")
#: The stages that train models (a foreach stage by its name before ``@``); the others are the pipeline's overhead.
TRAINING = {"train", "paper", "anomaly", "family", "symmetry"}
#: The issue's targets: the whole repro, and the share of the stages that train nothing.
TARGET_SECONDS, TARGET_SHARE = 240.0, 0.20


def repro(rev, keep):
    """Run `dvc repro` in a fresh clone at ``rev``; print its stages' times; return ``(total, not training)`` seconds."""
    tmp = Path(tempfile.mkdtemp(prefix="aerepro-repro-"))
    repo = tmp / "repo"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "checkout", "-q", rev], check=True)
    head = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    print(f"revision: {head.stdout.strip()} ({rev}), load avg {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MLFLOW_", "DVC_"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    env["PYTHONPATH"] = str(repo)
    env["AEREPRO_CACHE_DIR"] = str(tmp / "cache")  # older revisions remembered checked params files there
    start = time.perf_counter()
    marks = []  # (stage, start time)
    logged = []
    with subprocess.Popen([sys.executable, "-m", "dvc", "repro"], cwd=repo, env=env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT) as proc:
        for line in proc.stdout:
            now = time.perf_counter() - start
            if match := STAGE.search(line):
                marks.append((match.group(1), now))
            if line.startswith("track"):
                logged.append(line.strip())
    total = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"dvc repro failed with exit code {proc.returncode} (clone kept at {repo})")
    ends = [t for _, t in marks[1:]] + [total]
    times = {stage: end - begin for (stage, begin), end in zip(marks, ends)}
    width = max(map(len, times))
    print(f"dvc repro from scratch: {total:.1f} s wall, {len(times)} stages")
    for stage, seconds in times.items():
        print(f"  {stage:<{width}}  {seconds:7.1f} s  {100 * seconds / total:5.1f} %")
    tracking = sum(s for stage, s in times.items() if stage.startswith("track"))
    print(f"MLflow (track* stages, whole processes): {tracking:.1f} s = {100 * tracking / total:.1f} % of the total")
    overhead = sum(s for stage, s in times.items() if stage.split("@")[0] not in TRAINING)
    print(f"stages that train nothing: {overhead:.1f} s = {100 * overhead / total:.1f} % of the total")
    for line in logged:
        print(f"  {line}")
    if keep:
        print(f"clone kept at {repo}")
    else:
        shutil.rmtree(tmp)
    return total, overhead


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", action="store_true", help="keep the temporary clones and print their paths")
    parser.add_argument("--rev", nargs="+", default=["HEAD"], help="the committed revisions to time (default HEAD)")
    parser.add_argument("--repeats", type=int, default=1, help="runs of each revision, taking turns (default 1)")
    args = parser.parse_args()
    if args.repeats < 1:
        parser.error(f"--repeats must be at least 1, got {args.repeats}")
    print("\n".join(machine_lines(f"versions: python {sys.version.split()[0]}, dvc {version('dvc')}, mlflow {version('mlflow')}")))
    results = {rev: [] for rev in args.rev}
    for k in range(args.repeats):
        for rev in args.rev:
            print(f"\n== {rev}, run {k + 1} of {args.repeats}")
            results[rev].append(repro(rev, args.keep))
    print(f"\nmedians over {args.repeats} run(s) each; targets: under {TARGET_SECONDS:.0f} s in all, "
          f"under {100 * TARGET_SHARE:.0f} % not training")
    for rev, runs in results.items():
        total = statistics.median(t for t, _ in runs)
        overhead = statistics.median(o for _, o in runs)
        share = statistics.median(o / t for t, o in runs)
        print(f"  {rev}: {total:.1f} s in all ({'met' if total < TARGET_SECONDS else 'not met'}), "
              f"{overhead:.1f} s not training = {100 * share:.1f} % ({'met' if share < TARGET_SHARE else 'not met'}); "
              f"runs: " + ", ".join(f"{t:.1f} s / {100 * o / t:.1f} %" for t, o in runs))


if __name__ == "__main__":
    main()
