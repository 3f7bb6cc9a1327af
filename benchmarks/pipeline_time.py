"""Wall time of `dvc repro` from scratch, split by stage, and MLflow's share of it.

Clones the repository's committed HEAD into a temporary folder (no DVC cache,
no outputs: a fresh machine's first run), runs `dvc repro` there with a fresh
MLflow store, timestamps every "Running stage" line and prints each stage's
wall time. The MLflow share is the time of the `track*` stages (whole stage
processes: imports, store, logging) over the total: an upper bound of what
logging costs. It also prints the share of the stages that train nothing
(:data:`TRAINING` names those that do) against the targets of a default
repro: under 240 s, under 20 % of it not training.

With ``--rev REV`` the clone is checked out at ``REV`` (its own ``ae`` and
``aerepro`` are imported: ``PYTHONPATH`` is the clone), to compare revisions
run one after the other on this machine.

    python benchmarks/pipeline_time.py [--keep] [--rev REV]
"""

import argparse
import os
import re
import shutil
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


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", action="store_true", help="keep the temporary clone and print its path")
    parser.add_argument("--rev", default="HEAD", help="the committed revision to time (default HEAD)")
    args = parser.parse_args()
    print("\n".join(machine_lines(f"versions: python {sys.version.split()[0]}, dvc {version('dvc')}, mlflow {version('mlflow')}")))
    tmp = Path(tempfile.mkdtemp(prefix="aerepro-repro-"))
    repo = tmp / "repo"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "checkout", "-q", args.rev], check=True)
    head = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    print(f"revision: {head.stdout.strip()}")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MLFLOW_", "DVC_"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    env["PYTHONPATH"] = str(repo)
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
        sys.exit(f"dvc repro failed with exit code {proc.returncode}")
    ends = [t for _, t in marks[1:]] + [total]
    times = {stage: end - begin for (stage, begin), end in zip(marks, ends)}
    width = max(map(len, times))
    print(f"dvc repro from scratch: {total:.1f} s wall, {len(times)} stages")
    for stage, seconds in times.items():
        print(f"  {stage:<{width}}  {seconds:7.1f} s  {100 * seconds / total:5.1f} %")
    tracking = sum(s for stage, s in times.items() if stage.startswith("track"))
    print(f"MLflow (track* stages, whole processes): {tracking:.1f} s = {100 * tracking / total:.1f} % of the total")
    overhead = sum(s for stage, s in times.items() if stage.split("@")[0] not in TRAINING)
    print(f"stages that train nothing: {overhead:.1f} s = {100 * overhead / total:.1f} % of the total "
          f"(target under {100 * TARGET_SHARE:.0f} %: {'met' if overhead < TARGET_SHARE * total else 'not met'}); "
          f"the whole repro {'met' if total < TARGET_SECONDS else 'not met'} its target of {TARGET_SECONDS:.0f} s")
    for line in logged:
        print(f"  {line}")
    if args.keep:
        print(f"clone kept at {repo}")
    else:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
