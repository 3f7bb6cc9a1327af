"""What the benchmark scripts share: the measured setup, the C reference, the machine.

The setup: ``X = np.eye(16)``, networks 16-5-16 and 16-8-4-8-16, sigmoid on
every layer, binary cross-entropy, RMSProp (lr 0.001, rho 0.9, eps 1e-8),
full batch, glorot init, a fixed number of epochs (``tol=0``). The C
reference, ``c_reference.c``, is a plain C99 loop of exactly this per-epoch
math for one model, built with ``gcc -O2`` into the git-ignored
``benchmarks/build/``.

Importing this module puts the checkout's root first on ``sys.path``, so the
scripts measure the ``ae`` of this checkout.
"""

import os
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import ae  # noqa: E402

NETWORKS = {"16-5-16": (5,), "16-8-4-8-16": (8, 4, 8)}
N_FEATURES = 16
LR, RHO, EPS = 0.001, 0.9, 1e-8

C_SOURCE = ROOT / "benchmarks" / "c_reference.c"
C_BINARY = ROOT / "benchmarks" / "build" / "c_reference"


def timed_autoencoder(hidden, epochs, random_state=0, dtype="float64"):
    """The benchmarked estimator: exactly ``epochs`` epochs of the setup above.

    Parameters
    ----------
    hidden : tuple of int
        ``hidden_layer_sizes``.
    epochs : int
        Epochs to train (``max_iter``; ``tol=0`` never stops earlier).
    random_state : int, default=0
        Seed of the glorot init.
    dtype : {"float64", "float32"}, default="float64"
        The estimator's ``dtype``, the precision of all its math.

    Returns
    -------
    estimator : ae.AutoEncoder
        Unfitted.
    """
    return ae.AutoEncoder(
        hidden_layer_sizes=hidden,
        activation="sigmoid",
        output_activation="sigmoid",
        loss="binary_crossentropy",
        solver="rmsprop",
        learning_rate_init=LR,
        rho=RHO,
        epsilon=EPS,
        init="glorot_uniform",
        random_state=random_state,
        max_iter=epochs,
        tol=0.0,
        n_iter_no_change=epochs,
        dtype=dtype,
    )


def build_c():
    """Compile the C reference.

    Returns
    -------
    reason : str or None
        Why the C loop cannot be run, or ``None`` when it was built.
    """
    if shutil.which("gcc") is None:
        return "gcc not found"
    C_BINARY.parent.mkdir(parents=True, exist_ok=True)
    cmd = ["gcc", "-O2", "-o", str(C_BINARY), str(C_SOURCE), "-lm"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        return "gcc failed: " + done.stderr.strip()
    return None


def time_c(hidden, epochs, X=None):
    """Microseconds per epoch of the C loop, one model, timed inside the program.

    Parameters
    ----------
    hidden : tuple of int
        Hidden layer sizes.
    epochs : int
        Epochs to run.
    X : ignored
        For a signature like the other timers (the C loop builds ``eye(16)``).

    Returns
    -------
    us : float
        Microseconds per epoch.
    """
    sizes = [N_FEATURES, *hidden, N_FEATURES]
    out = subprocess.run(
        [str(C_BINARY), str(epochs), *map(str, sizes)], capture_output=True, text=True, check=True
    ).stdout
    return float(re.search(r"us_per_epoch=(\S+)", out).group(1))


def machine():
    """The CPU's model name, or what ``platform`` knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_lines(versions):
    """Header lines: machine, ``versions``, where ``ae`` comes from, the load average.

    Parameters
    ----------
    versions : str
        The versions line of the calling script (python, numpy, ...).

    Returns
    -------
    lines : list of str
    """
    lines = [
        f"machine : {machine()} ({os.cpu_count()} logical CPUs), {platform.system()} {platform.release()}",
        versions,
        f"ae from : {Path(ae.__file__).parent}",
    ]
    if hasattr(os, "getloadavg"):
        lines.append("load avg: " + " ".join(f"{x:.2f}" for x in os.getloadavg()) + " (the machine is shared)")
    return lines
