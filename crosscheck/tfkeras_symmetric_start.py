#!/usr/bin/env python
"""tf-keras (Keras 2) cross-check: do the hidden units separate from an exact constant init?

The blog trained its autoencoders in Keras 2 on TensorFlow.  This script builds
the blog's model in the Keras 2 API (``import tf_keras as keras``: Sequential,
Dense, sigmoid everywhere, ``keras.initializers.Constant(c)`` kernels, zero
biases, float32), compiles it with the optimizer exactly as the blog wrote it,

    keras.optimizers.legacy.RMSprop(lr=0.001, rho=0.9, epsilon=1e-08, decay=0.0)

(tf_keras 2.21's legacy optimizer accepts ``lr`` and ``decay``; ``lr`` is
mapped to ``learning_rate`` with a deprecation warning; the non-legacy
``keras.optimizers.RMSprop`` rejects ``decay``) and ``binary_crossentropy``,
and trains it with ``model.fit(X, X, batch_size=16, shuffle=False, verbose=0)``
on ``X = np.eye(16, dtype="float32")`` for a fixed epoch budget with no early
stop.  It records, with the same definitions as
``crosscheck/keras_symmetric_start.py`` (Keras 3):

* every ``--record-every`` epochs: the loss Keras reports, the "unit spread" =
  max over hidden layers of width > 1 of max over the 16 inputs of
  (max over units - min over units) of the layer's activation, and the
  "param spread" (the same across units of each unit's parameters);
* the first epoch at which the literal stop rule
  ``|loss(t-1) - loss(t)| < 1e-7`` (Keras' ``logs["loss"]``) would fire;
* the first epoch at which ``keras.callbacks.EarlyStopping(monitor="loss",
  min_delta=1e-7, patience=1)`` would stop training (the real callback is
  driven on a stand-in model, so training itself goes on).

Epochs are 1-based (number of epochs completed).  The loss Keras reports for
an epoch is the loss of that epoch's single batch, computed in the forward
pass before that epoch's weight update.

It is self-contained (no import of ``ae``/``aerepro``, nor of the Keras 3
script, which imports Keras 3 and torch at module level) and outside
``dvc repro``.

Budget: one common budget of 10,000 epochs for every configuration and
constant (``DEFAULT_EPOCHS``; ``--epochs N`` changes it, ``--blog-budgets``
uses the blog's).  The per-epoch cost of ``fit`` here is dominated by
tf_keras' per-epoch Python overhead, not by the arithmetic: measured at
5-9 ms per epoch on one core of the shared 2-core machine in 500- and
3,000-epoch trial runs (the committed run then took 2.1-8.3 ms per epoch
depending on the machine's other load, 984 s in all, 4.9 ms on average).  The blog's own budgets
(~35,000 / 47,500 / 100,000 / 200,000+ epochs for 16-5-16 / 16-4-16 /
16-3-16 / 16-8-4-8-16, times five constants) would take many hours, and even
the 20,000 epochs of the NumPy study's kernel arm (400,000 epochs for 20 runs)
would have taken 35-60 minutes at the trial cost.  Our NumPy runs separate (when they do) at epochs
900-2,400 and the literal stop rule fires at ~800-1,600 epochs, so 10,000
epochs still covers both events by a factor of four or more while the whole
run (20 x 10,000 epochs) stays within ~35 minutes on one core.  A separation
later than epoch 10,000 would not be seen: the budget of each run is written
to the output.

The one command (one core, as the committed output was made):

    OMP_NUM_THREADS=1 TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1 \\
      taskset -c 1 python crosscheck/tfkeras_symmetric_start.py --progress

Writes ``crosscheck/tfkeras_symmetric_start.yaml``.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import platform
import shlex
import sys
import time
import warnings
from pathlib import Path

# Quiet TensorFlow's C++ start-up chatter; keep thread settings the caller gave.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import yaml  # noqa: E402

import tensorflow as tf  # noqa: E402
import tf_keras as keras  # noqa: E402

DEFAULT_EPOCHS = 10000
DEFAULT_CONFIGS = ["5", "4", "3", "8,4,8"]
DEFAULT_CONSTANTS = [1.0, 0.8, 0.6, 0.4, 0.2]
BLOG_BUDGETS = {
    (5,): 35000,
    (4,): 47500,
    (3,): 100000,
    (8, 4, 8): 200000,
}
STOP_DELTA = 1e-7
SEPARATION_THRESHOLD = 0.01
# The blog's line, verbatim: rms = optimizers.RMSprop(lr=0.001, rho=0.9, epsilon=1e-08, decay=0.0)
OPTIMIZER_CALL = "keras.optimizers.legacy.RMSprop(lr=0.001, rho=0.9, epsilon=1e-08, decay=0.0)"

OUT_DEFAULT = Path(__file__).resolve().parent / "tfkeras_symmetric_start.yaml"
ENV_KEYS = (
    "OMP_NUM_THREADS",
    "TF_NUM_INTRAOP_THREADS",
    "TF_NUM_INTEROP_THREADS",
    "TF_ENABLE_ONEDNN_OPTS",
    "TF_DETERMINISTIC_OPS",
    "CUDA_VISIBLE_DEVICES",
)


def parse_config(text: str) -> tuple[int, ...]:
    """'5' -> (5,), '8,4,8' or '16-8-4-8-16' -> (8, 4, 8)."""
    parts = [int(p) for p in text.replace("-", ",").split(",") if p.strip()]
    if len(parts) >= 3 and parts[0] == 16 and parts[-1] == 16:
        parts = parts[1:-1]
    return tuple(parts)


def config_name(hidden: tuple[int, ...]) -> str:
    return "-".join(str(n) for n in (16, *hidden, 16))


def make_optimizer():
    """The blog's optimizer, spelled as the blog spelled it (Keras 2 legacy API)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "`lr` is deprecated, use `learning_rate`"
        return keras.optimizers.legacy.RMSprop(
            lr=0.001, rho=0.9, epsilon=1e-08, decay=0.0
        )


def build_model(hidden: tuple[int, ...], c: float) -> keras.Model:
    """The blog's model: sigmoid Dense layers, every weight c, biases 0."""
    model = keras.Sequential()
    for i, width in enumerate((*hidden, 16)):
        kwargs = {"input_shape": (16,)} if i == 0 else {}
        model.add(
            keras.layers.Dense(
                width,
                activation="sigmoid",
                kernel_initializer=keras.initializers.Constant(c),
                bias_initializer="zeros",
                **kwargs,
            )
        )
    model.compile(optimizer=make_optimizer(), loss="binary_crossentropy")
    return model


class _StandIn:
    """What EarlyStopping sees as its model: it may set stop_training here."""

    stop_training = False


class Recorder(keras.callbacks.Callback):
    """Per-epoch stop rules and a spread/loss trace every `every` epochs."""

    def __init__(self, X: np.ndarray, hidden_layers, every: int):
        super().__init__()
        self.X = tf.constant(X)
        self.every = every
        self.hidden_layers = [l for l in hidden_layers if l.units > 1]
        self.extractor = None
        self.prev_loss = None
        self.literal_epoch = None
        self.literal_loss = None
        self.literal_prev_loss = None
        self.es = keras.callbacks.EarlyStopping(
            monitor="loss", min_delta=STOP_DELTA, patience=1
        )
        self.es_model = _StandIn()
        self.es.set_model(self.es_model)
        self.es.on_train_begin()
        self.es_epoch = None
        self.es_loss = None
        self.first_nonzero_spread_epoch = None
        self.first_nonzero_param_spread_epoch = None
        self.trace: list[list[float]] = []
        self.param_spread_initial = 0.0
        self.last_loss = None

    def param_spread(self) -> float:
        """Max over hidden layers of width > 1 of the spread across units of
        each unit's parameters: incoming kernel column, bias and outgoing
        kernel row (0.0 exactly while the units are identical)."""
        layers_ = self.model.layers
        out = 0.0
        for i, layer in enumerate(layers_[:-1]):
            if layer.units <= 1:
                continue
            k_in, b = layer.get_weights()
            k_out = layers_[i + 1].get_weights()[0]
            out = max(
                out,
                float(np.max(k_in.max(axis=1) - k_in.min(axis=1))),
                float(b.max() - b.min()),
                float(np.max(k_out.max(axis=0) - k_out.min(axis=0))),
            )
        return out

    def spread(self) -> tuple[float, list[float]]:
        if not self.hidden_layers:
            return 0.0, []
        if self.extractor is None:
            self.extractor = keras.Model(
                inputs=self.model.inputs[0],
                outputs=[l.output for l in self.hidden_layers],
            )
        outs = self.extractor(self.X, training=False)
        if not isinstance(outs, (list, tuple)):
            outs = [outs]
        per_layer = []
        for o in outs:
            a = np.asarray(o)
            per_layer.append(float(np.max(a.max(axis=1) - a.min(axis=1))))
        return max(per_layer), per_layer

    def on_epoch_end(self, epoch, logs=None):
        loss = float(logs["loss"])
        n = epoch + 1  # 1-based: epochs completed
        if (
            self.literal_epoch is None
            and self.prev_loss is not None
            and abs(self.prev_loss - loss) < STOP_DELTA
        ):
            self.literal_epoch = n
            self.literal_loss = loss
            self.literal_prev_loss = self.prev_loss
        self.prev_loss = loss
        self.last_loss = loss
        if self.es_epoch is None:
            self.es.on_epoch_end(epoch, {"loss": loss})
            if self.es_model.stop_training:
                self.es_epoch = n
                self.es_loss = loss
        if n % self.every == 0:
            s, _ = self.spread()
            ps = self.param_spread()
            if s > 0.0 and self.first_nonzero_spread_epoch is None:
                self.first_nonzero_spread_epoch = n
            if ps > 0.0 and self.first_nonzero_param_spread_epoch is None:
                self.first_nonzero_param_spread_epoch = n
            self.trace.append([n, loss, s, ps])


def backend_info() -> dict:
    from tensorflow.python.util import _pywrap_util_port

    onednn = bool(_pywrap_util_port.IsMklEnabled())
    build = dict(tf.sysconfig.get_build_info())
    return {
        "name": "tensorflow",
        "version": tf.__version__,
        "blas": "Eigen" + (" + oneDNN" if onednn else ""),
        "onednn_enabled": onednn,
        "build_info": {
            k: build[k]
            for k in ("cpu_compiler", "is_cuda_build", "cuda_version")
            if k in build
        },
        "devices": [d.name for d in tf.config.list_logical_devices()],
        "intra_op_parallelism_threads": tf.config.threading.get_intra_op_parallelism_threads(),
        "inter_op_parallelism_threads": tf.config.threading.get_inter_op_parallelism_threads(),
        "run_eagerly": False,
    }


def dist_versions(names) -> dict:
    from importlib import metadata

    out = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def cpu_model() -> str | None:
    try:
        for ln in Path("/proc/cpuinfo").read_text().splitlines():
            if ln.startswith("model name"):
                return ln.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def run_one(hidden, c, budget, args, X) -> dict:
    keras.utils.set_random_seed(args.seed)  # nothing random is drawn; for shuffle only
    keras.backend.clear_session()
    model = build_model(hidden, c)
    rec = Recorder(X, model.layers[:-1], args.record_every)
    rec.set_model(model)
    s0, _ = rec.spread()
    rec.param_spread_initial = rec.param_spread()
    t0 = time.perf_counter()
    done = 0
    while done < budget:
        stop = min(done + args.chunk, budget)
        model.fit(
            X,
            X,
            epochs=stop,
            initial_epoch=done,
            batch_size=16,
            shuffle=args.shuffle,
            verbose=0,
            callbacks=[rec],
        )
        done = stop
        if args.progress:
            last = rec.trace[-1] if rec.trace else None
            print(
                f"  {config_name(hidden)} c={c}: {done}/{budget} epochs, "
                f"{time.perf_counter() - t0:.0f} s, last trace {last}",
                file=sys.stderr,
                flush=True,
            )
    seconds = time.perf_counter() - t0
    final_spread, per_layer = rec.spread()
    separated = next(
        (int(t[0]) for t in rec.trace if t[2] > SEPARATION_THRESHOLD), None
    )
    max_spread = max([s0] + [t[2] for t in rec.trace] + [final_spread])
    final_param_spread = rec.param_spread()
    max_param_spread = max(
        [rec.param_spread_initial] + [t[3] for t in rec.trace] + [final_param_spread]
    )
    return {
        "configuration": config_name(hidden),
        "constant": c,
        "epoch_budget": budget,
        "blog_budget": BLOG_BUDGETS.get(hidden),
        "separated_at": separated,
        "first_nonzero_spread_epoch": rec.first_nonzero_spread_epoch,
        "initial_spread": s0,
        "max_spread": max_spread,
        "final_spread": final_spread,
        "final_spread_per_hidden_layer": per_layer,
        "first_nonzero_param_spread_epoch": rec.first_nonzero_param_spread_epoch,
        "max_param_spread": max_param_spread,
        "final_param_spread": final_param_spread,
        "final_loss": rec.last_loss,
        "literal_stop_epoch": rec.literal_epoch,
        "literal_stop_loss": rec.literal_loss,
        "literal_stop_prev_loss": rec.literal_prev_loss,
        "earlystopping_stop_epoch": rec.es_epoch,
        "earlystopping_stop_loss": rec.es_loss,
        "earlystopping_best_loss_at_stop": (
            None if rec.es_epoch is None else float(rec.es.best)
        ),
        "seconds": round(seconds, 2),
        "seconds_per_epoch": round(seconds / budget, 6),
        "_trace": rec.trace,
    }


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--configs",
        nargs="+",
        default=DEFAULT_CONFIGS,
        help="hidden widths, e.g. 5 4 3 8,4,8 (or 16-8-4-8-16)",
    )
    p.add_argument(
        "--constants", nargs="+", type=float, default=DEFAULT_CONSTANTS
    )
    p.add_argument(
        "--epochs",
        type=int,
        default=DEFAULT_EPOCHS,
        help=f"one budget for every run (default {DEFAULT_EPOCHS})",
    )
    p.add_argument(
        "--blog-budgets",
        action="store_true",
        help="use the blog's budgets per configuration instead of --epochs",
    )
    p.add_argument("--record-every", type=int, default=100)
    p.add_argument("--chunk", type=int, default=5000, help="epochs per fit()")
    p.add_argument("--seed", type=int, default=0, help="shuffle seed (with --shuffle)")
    p.add_argument(
        "--shuffle",
        action="store_true",
        help="fit(shuffle=True); default is shuffle=False",
    )
    p.add_argument(
        "--threads",
        type=int,
        default=1,
        help="TensorFlow intra- and inter-op threads (0 = TensorFlow's default)",
    )
    p.add_argument("--out", type=Path, default=OUT_DEFAULT)
    p.add_argument("--progress", action="store_true")
    args = p.parse_args(argv)

    if args.threads > 0:
        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
        tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    keras.backend.set_floatx("float32")

    X = np.eye(16, dtype="float32")
    configs = [parse_config(t) for t in args.configs]
    plan = []
    for hidden in configs:
        budget = BLOG_BUDGETS.get(hidden, 50000) if args.blog_budgets else args.epochs
        for c in args.constants:
            plan.append((hidden, c, budget))

    t_all = time.perf_counter()
    runs, traces = [], {}
    for hidden, c, budget in plan:
        print(f"{config_name(hidden)} c={c} budget={budget}", file=sys.stderr, flush=True)
        r = run_one(hidden, c, budget, args, X)
        traces[f"{r['configuration']} c={c}"] = r.pop("_trace")
        runs.append(r)
        print(
            f"  separated_at={r['separated_at']} max_spread={r['max_spread']:.3g} "
            f"literal={r['literal_stop_epoch']} es={r['earlystopping_stop_epoch']} "
            f"final_loss={r['final_loss']:.6g} {r['seconds']} s",
            file=sys.stderr,
            flush=True,
        )
    total_seconds = time.perf_counter() - t_all

    env = {k: os.environ[k] for k in ENV_KEYS if k in os.environ}
    prefix = [f"{k}={shlex.quote(os.environ[k])}" for k in ENV_KEYS[:3] if k in os.environ]
    try:
        affinity = sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        affinity = None
    opt_config = make_optimizer().get_config()
    header = {
        "what": (
            "tf-keras (Keras 2) cross-check of symmetry breaking from an exact "
            "constant init (every weight c, biases 0) on X = eye(16); full batch, "
            "the blog's RMSprop call, binary_crossentropy, fixed epoch budget, "
            "no early stop"
        ),
        "api": "tf-keras (Keras 2)",
        "date": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "command": " ".join(
            prefix
            + (["taskset -c " + ",".join(map(str, affinity))] if affinity and len(affinity) < (os.cpu_count() or 0) else [])
            + ["python"]
            + [shlex.quote(a) for a in sys.argv]
        ),
        "environment": env,
        "cpu_affinity": affinity,
        "keras_version": keras.__version__,
        "tf_keras_version": keras.__version__,
        "tensorflow_version": tf.__version__,
        "backend": backend_info(),
        "numpy_version": np.__version__,
        "packages": dist_versions(
            ["tensorflow", "tensorflow-cpu", "tf-keras", "keras", "numpy", "pyyaml"]
        ),
        "python_version": platform.python_version(),
        "platform": platform.platform(),
        "cpu_model": cpu_model(),
        "cpu_count": os.cpu_count(),
        "dtype": keras.backend.floatx(),
        "optimizer": {
            "call": OPTIMIZER_CALL,
            "blog": "rms = optimizers.RMSprop(lr=0.001, rho=0.9, epsilon=1e-08, decay=0.0)",
            "why": (
                "tf_keras keeps the Keras 2 optimizer, with the blog's `lr` and "
                "`decay` arguments, as keras.optimizers.legacy.RMSprop (`lr` is "
                "accepted with a deprecation warning and mapped to learning_rate); "
                "the non-legacy keras.optimizers.RMSprop rejects `decay`"
            ),
            "config": {k: (float(v) if isinstance(v, (np.floating, float)) else v) for k, v in opt_config.items()},
        },
        "loss": "binary_crossentropy",
        "fit": {
            "batch_size": 16,
            "shuffle": args.shuffle,
            "shuffle_seed": args.seed,
            "epochs_per_fit_call": args.chunk,
            "verbose": 0,
        },
        "budgets": {
            "epochs": None if args.blog_budgets else args.epochs,
            "blog_budgets_used": args.blog_budgets,
            "blog": {config_name(k): v for k, v in BLOG_BUDGETS.items()},
            "why": (
                "one common budget, set by run time: tf_keras costs 5-9 ms per "
                "epoch on one core here, so the blog's budgets (or 20,000 epochs) "
                "for 20 runs would not fit in ~35 minutes; the NumPy runs separate "
                "(when they do) at epochs 900-2,400 and the literal rule fires at "
                "~800-1,600 epochs, so 10,000 covers both by a factor of four or "
                "more; a later separation would not be seen"
            ),
        },
        "total_seconds": round(total_seconds, 1),
        "definitions": {
            "epochs": "1-based: number of epochs completed",
            "loss": "Keras logs['loss'] of the epoch (forward pass before that epoch's update)",
            "spread": (
                "max over hidden layers of width > 1 of max over the 16 inputs "
                "of (max - min over units) of the layer's sigmoid activation, "
                f"recorded every {args.record_every} epochs"
            ),
            "separated_at": f"first recorded epoch with spread > {SEPARATION_THRESHOLD}, else null",
            "first_nonzero_spread_epoch": "first recorded epoch with spread > 0 exactly, else null",
            "literal_stop_epoch": f"first epoch t with |loss(t-1) - loss(t)| < {STOP_DELTA}",
            "earlystopping_stop_epoch": (
                "first epoch at which keras.callbacks.EarlyStopping(monitor='loss', "
                f"min_delta={STOP_DELTA}, patience=1) sets stop_training"
            ),
            "param_spread": (
                "max over hidden layers of width > 1 of the spread (max - min) "
                "across units of each unit's incoming kernel column, bias and "
                "outgoing kernel row; 0.0 exactly while the units' parameters "
                "are identical"
            ),
            "first_nonzero_param_spread_epoch": "first recorded epoch with param_spread > 0 exactly, else null",
            "blog_budget": "the blog's epoch budget for the configuration (not used unless blog_budgets_used)",
            "trace": "[epoch, loss, spread, param_spread] every record_every epochs",
        },
    }
    doc = {**header, "runs": runs, "traces": traces}
    args.out.parent.mkdir(parents=True, exist_ok=True)

    class _Dumper(yaml.SafeDumper):
        pass

    def _list(dumper, data):
        flow = all(
            isinstance(x, (int, float)) and not isinstance(x, bool) for x in data
        )
        return dumper.represent_sequence(
            "tag:yaml.org,2002:seq", data, flow_style=flow
        )

    _Dumper.add_representer(list, _list)
    with open(args.out, "w") as fh:
        yaml.dump(doc, fh, Dumper=_Dumper, sort_keys=False, width=120)
    print(f"wrote {args.out} ({total_seconds:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
