"""The sources' datasets, made from parameters (nothing is downloaded)."""

import itertools

import numpy as np
import pandas as pd

from .io import write_csv
from .params import load_params
from .schema import Schema, integer

__all__ = ["onehot", "bit_patterns", "as_frame", "write_datasets", "PARAMS", "SCHEMA"]

#: The keys of params.yaml the `data` stage reads.
PARAMS = ("data.onehot.n_inputs", "data.patterns.n_bits")

SCHEMA = Schema(settings={"data.onehot.n_inputs": integer(2), "data.patterns.n_bits": integer(1, 12)},
                sections=frozenset({"data"}))


def onehot(n_inputs):
    """The one-hot codes of ``0 .. n_inputs - 1``: the ``n_inputs`` x ``n_inputs`` identity."""
    return np.eye(int(n_inputs))


def bit_patterns(n_bits):
    """All ``2**n_bits`` patterns of ``n_bits`` bits, in counting order (000, 001, ...)."""
    return np.array(list(itertools.product((0.0, 1.0), repeat=int(n_bits))))


def as_frame(X, prefix="x"):
    """``X`` as a DataFrame with columns ``x0, x1, ...``."""
    return pd.DataFrame(X, columns=[f"{prefix}{j}" for j in range(X.shape[1])])


def write_datasets(params_file, out):
    """Stage `data`: write both sources' datasets as CSV into ``out`` (``data`` block of params.yaml)."""
    data = load_params(params_file, PARAMS, SCHEMA)["data"]
    write_csv(out / "onehot.csv", as_frame(onehot(data["onehot"]["n_inputs"])))
    write_csv(out / "patterns.csv", as_frame(bit_patterns(data["patterns"]["n_bits"])))
