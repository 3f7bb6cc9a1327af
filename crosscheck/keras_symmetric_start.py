#!/usr/bin/env python
"""Keras cross-check: do the hidden units separate from an exact constant init?

Self-contained (no import of ``ae``/``aerepro``).  Builds the blog's model in
Keras 3 for each configuration and constant, trains it full batch on the 16x16
identity with RMSprop(lr=0.001, rho=0.9, epsilon=1e-8) and binary
cross-entropy for a fixed budget of epochs (no early stop), and records:

* every ``--record-every`` epochs: the loss Keras reports and the "unit
  spread" = max over hidden layers of width > 1 of
  max over the 16 inputs of (max over units - min over units) of the layer's
  activation;
* the first epoch at which the literal stop rule
  ``|loss(t-1) - loss(t)| < 1e-7`` (Keras' ``logs["loss"]``) would fire;
* the first epoch at which ``keras.callbacks.EarlyStopping(monitor="loss",
  min_delta=1e-7, patience=1)`` would stop training (the real Keras callback
  is driven on a stand-in model, so training itself goes on).

Epochs are reported 1-based (number of epochs completed).  The loss Keras
reports for an epoch is the loss of that epoch's single batch, computed in the
forward pass before that epoch's weight update.

Run with the backend chosen by ``KERAS_BACKEND`` (torch by default here):

    KERAS_BACKEND=torch python crosscheck/keras_symmetric_start.py

Outside ``dvc repro``; writes ``crosscheck/keras_symmetric_start.yaml``.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import platform
import re
import shlex
import sys
import time
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "torch")

import numpy as np  # noqa: E402
import yaml  # noqa: E402

import keras  # noqa: E402
from keras import layers  # noqa: E402

# Blog defaults: epoch budgets per configuration (hidden widths).
DEFAULT_BUDGETS = {
    (5,): 35000,
    (4,): 47500,
    (3,): 100000,
    (8, 4, 8): 50000,
}
DEFAULT_CONFIGS = ["5", "4", "3"]
DEFAULT_CONSTANTS = [1.0, 0.2]
STOP_DELTA = 1e-7
SEPARATION_THRESHOLD = 0.01

OUT_DEFAULT = Path(__file__).resolve().parent / "keras_symmetric_start.yaml"


def parse_config(text: str) -> tuple[int, ...]:
    """'5' -> (5,), '8,4,8' or '16-8-4-8-16' -> (8, 4, 8)."""
    parts = [int(p) for p in text.replace("-", ",").split(",") if p.strip()]
    if len(parts) >= 3 and parts[0] == 16 and parts[-1] == 16:
        parts = parts[1:-1]
    return tuple(parts)


def config_name(hidden: tuple[int, ...]) -> str:
    return "-".join(str(n) for n in (16, *hidden, 16))


def build_model(hidden: tuple[int, ...], c: float) -> keras.Model:
    """The blog's model: sigmoid Dense layers, every weight c, biases 0."""
    stack = [keras.Input((16,))]
    for width in (*hidden, 16):
        stack.append(
            layers.Dense(
                width,
                activation="sigmoid",
                kernel_initializer=keras.initializers.Constant(c),
                bias_initializer="zeros",
            )
        )
    model = keras.Sequential(stack)
    model.compile(
        optimizer=keras.optimizers.RMSprop(
            learning_rate=0.001, rho=0.9, epsilon=1e-8
        ),
        loss="binary_crossentropy",
    )
    return model


class _StandIn:
    """What EarlyStopping sees as its model: it may set stop_training here."""

    stop_training = False


class Recorder(keras.callbacks.Callback):
    """Per-epoch stop rules and a spread/loss trace every `every` epochs."""

    def __init__(self, X: np.ndarray, hidden_layers, every: int):
        super().__init__()
        self.X = X
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
            a = keras.ops.convert_to_numpy(o)
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
    info = {"name": keras.backend.backend()}
    if info["name"] == "torch":
        import torch

        info["version"] = str(torch.__version__)
        cfg = torch.__config__.show().splitlines()
        info["config_first_lines"] = [ln.strip() for ln in cfg[:9] if ln.strip()]
        blas = re.search(r"BLAS_INFO=([^,\s]+)", "\n".join(cfg))
        info["blas"] = blas.group(1) if blas else None
        info["mkl_available"] = bool(torch.backends.mkl.is_available())
        info["mkldnn_available"] = bool(torch.backends.mkldnn.is_available())
        info["mkldnn_enabled"] = bool(torch.backends.mkldnn.enabled)
        info["num_threads"] = int(torch.get_num_threads())
    elif info["name"] == "jax":
        import jax
        import jaxlib

        info["version"] = jax.__version__
        info["jaxlib_version"] = jaxlib.__version__
        info["devices"] = [str(d) for d in jax.devices()]
    elif info["name"] == "tensorflow":
        import tensorflow as tf

        info["version"] = tf.__version__
    return info


def cpu_model() -> str | None:
    try:
        for ln in Path("/proc/cpuinfo").read_text().splitlines():
            if ln.startswith("model name"):
                return ln.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def run_one(hidden, c, budget, args, X) -> dict:
    keras.utils.set_random_seed(args.seed)  # only the shuffle order uses it
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
            shuffle=not args.no_shuffle,
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
        "--scale",
        type=float,
        default=1.0,
        help="multiply every default epoch budget by this factor",
    )
    p.add_argument(
        "--epochs", type=int, default=None, help="one budget for every run"
    )
    p.add_argument("--record-every", type=int, default=100)
    p.add_argument("--chunk", type=int, default=5000, help="epochs per fit()")
    p.add_argument("--seed", type=int, default=0, help="shuffle seed")
    p.add_argument(
        "--no-shuffle",
        action="store_true",
        help="fit(shuffle=False); default is Keras' shuffle=True",
    )
    p.add_argument("--out", type=Path, default=OUT_DEFAULT)
    p.add_argument("--progress", action="store_true")
    args = p.parse_args(argv)

    X = np.eye(16, dtype="float32")
    configs = [parse_config(t) for t in args.configs]
    plan = []
    for hidden in configs:
        if args.epochs is not None:
            budget = args.epochs
        else:
            base = DEFAULT_BUDGETS.get(hidden, 50000)
            budget = max(args.record_every, int(round(base * args.scale)))
        for c in args.constants:
            plan.append((hidden, c, budget))

    runs, traces = [], {}
    for hidden, c, budget in plan:
        print(f"{config_name(hidden)} c={c} budget={budget}", file=sys.stderr)
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

    header = {
        "what": (
            "Keras cross-check of symmetry breaking from an exact constant "
            "init (every weight c, biases 0) on X = eye(16); full batch, "
            "RMSprop(lr=0.001, rho=0.9, epsilon=1e-8), binary_crossentropy, "
            "fixed epoch budget, no early stop"
        ),
        "date": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "command": " ".join(
            ["KERAS_BACKEND=" + keras.backend.backend(), "python"]
            + [shlex.quote(a) for a in sys.argv]
        ),
        "keras_version": keras.__version__,
        "backend": backend_info(),
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "platform": platform.platform(),
        "cpu_model": cpu_model(),
        "cpu_count": os.cpu_count(),
        "dtype": keras.backend.floatx(),
        "fit": {
            "batch_size": 16,
            "shuffle": not args.no_shuffle,
            "shuffle_seed": args.seed,
            "epochs_per_fit_call": args.chunk,
        },
        "budgets": {
            "scale": args.scale,
            "epochs_override": args.epochs,
            "defaults": {config_name(k): v for k, v in DEFAULT_BUDGETS.items()},
        },
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
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
