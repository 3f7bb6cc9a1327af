"""The run-folder contract: what a training stage writes and later stages read.

A training stage writes one folder (``runs/<study>``, or ``runs/blog/<configuration>``) holding

- :data:`MODELS`: name -> fitted estimator (joblib);
- :data:`RUNS`: one row per run, its grid coordinates then the facts of
  :func:`fit_facts` (and :func:`code_facts` where the code is read), then
  any columns the study adds (the blog's fit readings, so that its analysis
  reads no model);
- :data:`CODES`: every run's hidden code in long form (``run, input, unit, value``);
- :data:`CURVES`: every run's loss curve, log-spaced (``run, epoch, loss``);

and, beside the folder, never inside it, how each run was worked out
(:func:`write_clocks`): its wall time, and the stack it trained in, which
vary from one run of the same code to the next or with the number of
processes. They stay out of every content-hashed output (a retrained stage
whose models are bit-identical leaves its downstream stages up to date) and
out of every committed page, in a clocks file no stage depends on, which
``track`` reads, when present, for MLflow's Duration (:func:`read_clocks`).

For some studies, there are more tables (:data:`SUMMARY`, :data:`WORK`,
:data:`SCORES`, :data:`RECORDS`: quantities recorded while training, long
form ``run, epoch, <name>...``). :func:`write_run_folder` writes the four, :func:`read_table`
and :func:`load_models` read them back with one clear error naming the file
and the stage that makes it. The analyse stage's folder uses the same
contract for its own tables (:data:`RUNS`, :data:`GROUPS`,
:data:`ALIGNED`, :data:`CONSENSUS`).
"""

import copy
from pathlib import Path

import numpy as np
import pandas as pd

from .codes import binary_fraction, distinct_codes, is_symmetric_collapse, snap
from .errors import UserError
from .io import write_csv, write_joblib

__all__ = [
    "MODELS", "RUNS", "CODES", "CURVES", "SUMMARY", "WORK", "SCORES", "GROUPS", "ALIGNED", "CONSENSUS", "RECORDS",
    "CLOCK_COLUMNS", "MissingInput", "fit_facts", "clock_facts", "write_clocks", "read_clocks", "code_facts", "run_record", "codes_frame", "code_grid", "curve_frame",
    "downsample_curve", "thin_curve", "write_run_folder", "read_table", "read_data", "load_models", "group_metrics",
]

MODELS = "models.joblib"
RUNS = "runs.csv"
CODES = "codes.csv"
CURVES = "curves.csv"
SUMMARY = "summary.csv"
WORK = "work.csv"
SCORES = "scores.csv"
GROUPS = "groups.csv"
ALIGNED = "aligned_codes.csv"
CONSENSUS = "consensus.csv"
RECORDS = "records.csv"

#: The columns of a clocks file (:func:`write_clocks`): the run, its stack's clock at its stop, and that
#: stack's size (``fit_many`` splits stacks for the workers it has).
CLOCK_COLUMNS = ["run", "train_seconds", "stack_size"]

#: A fitted model's attributes that say how it was worked out, not what it is: kept out of the saved models.
CLOCK_ATTRIBUTES = ("train_seconds_", "stack_size_")


class MissingInput(UserError, FileNotFoundError):
    """A file an earlier stage makes is missing or unreadable."""


def fit_facts(estimator):
    """How a fit went, whatever the study: ``final_loss``, ``epochs``, ``stop_reason``, ``n_code``; the same for
    the same params and seed, however the work was spread (that is :func:`clock_facts`)."""
    return {
        "final_loss": float(estimator.loss_curve_[-1]),
        "epochs": int(estimator.n_iter_),
        "stop_reason": estimator.stop_reason_,
        "n_code": int(estimator.architecture_.n_code),
    }


def clock_facts(estimator):
    """How a fit was worked out: ``train_seconds``, its stack's wall time at this model's stop, and ``stack_size``."""
    return {"train_seconds": float(estimator.train_seconds_), "stack_size": int(estimator.stack_size_)}


def _without_clock(estimator):
    """A shallow copy of a fitted model to be saved: without its clock readings (:data:`CLOCK_ATTRIBUTES`),
    and, when it has no ``random_state``, without its generator, which is then NumPy's global one (its state
    is the process's, not the model's: two trainings of the same model would save two)."""
    saved = copy.copy(estimator)
    for name in CLOCK_ATTRIBUTES:
        saved.__dict__.pop(name, None)
    if getattr(estimator, "random_state", 0) is None:
        saved.__dict__.pop("_rng", None)
    return saved


def write_clocks(path, runs, estimators, **extra):
    """Write the clocks file ``path``: one row per run, :data:`CLOCK_COLUMNS` then ``extra`` (column -> values).

    It sits outside every stage's outputs (``clocks/<stage>.csv``): no stage
    depends on it, ``git`` ignores it and :func:`aerepro.track.track` reads it.
    """
    frame = pd.DataFrame([{"run": r.name, **clock_facts(e)} for r, e in zip(runs, estimators)], columns=CLOCK_COLUMNS)
    write_csv(Path(path), frame.assign(**extra))


def read_clocks(path):
    """The clocks file ``path`` as run name -> ``train_seconds``; empty when there is none (or it is unreadable).

    A missing clock costs only MLflow's Duration, so it is never an error.
    """
    try:
        frame = pd.read_csv(path)
        return dict(zip(frame["run"], frame["train_seconds"].astype(float)))
    except (OSError, ValueError, KeyError, pd.errors.ParserError):
        return {}


def code_facts(estimator, X):
    """What the code of a fitted model on ``X`` is like.

    A model that diverged has no code to read: its code facts are NaN (and
    ``reconstructs_all`` False), never numbers computed from NaN weights.

    Returns
    -------
    facts : dict
        ``distinct_codes``, ``binary_fraction``, ``symmetric_collapse`` (of
        the code snapped to 0, 0.5, 1, or raw for the collapse) and
        ``reconstructs_all`` (every output rounds to its input).
    """
    facts = {"distinct_codes": np.nan, "binary_fraction": np.nan, "symmetric_collapse": np.nan,
             "reconstructs_all": False}
    H = estimator.transform(X)
    if estimator.stop_reason_ != "diverged" and np.isfinite(H).all():
        S = snap(H)
        facts.update(
            distinct_codes=int(distinct_codes(S)),
            binary_fraction=float(binary_fraction(S)),
            symmetric_collapse=bool(is_symmetric_collapse(H)),
            reconstructs_all=bool(np.array_equal(estimator.predict(X).round(), X)),
        )
    return facts


def run_record(run, estimator, X=None, **extra):
    """One row of :data:`RUNS`: ``run``, the grid coordinates, :func:`fit_facts`,
    :func:`code_facts` on ``X`` (when given), then ``extra``."""
    codes = code_facts(estimator, X) if X is not None else {}
    return {"run": run.name, **run.coords, **fit_facts(estimator), **codes, **extra}


def codes_frame(name, H):
    """A run's code matrix ``H`` in long form: ``run, input, unit, value``."""
    H = np.asarray(H)
    n, k = H.shape
    return pd.DataFrame({"run": name, "input": np.repeat(np.arange(n), k), "unit": np.tile(np.arange(k), n),
                         "value": H.ravel()})


def code_grid(codes):
    """A run's long-form code table back as a matrix: the inverse of :func:`codes_frame`.

    Parameters
    ----------
    codes : DataFrame
        Columns ``input``, ``unit``, ``value`` (one run), in any row order.

    Returns
    -------
    inputs, units : ndarray
        The sorted input and unit labels.
    H : ndarray of float64 of shape (len(inputs), len(units))
        ``H[i, j]`` is the value of ``inputs[i]`` on ``units[j]``; NaN where
        the table has no row for the pair.

    Raises
    ------
    ValueError
        When a pair has more than one row.
    """
    inputs, i = np.unique(codes["input"].to_numpy(), return_inverse=True)
    units, j = np.unique(codes["unit"].to_numpy(), return_inverse=True)
    if len(np.unique(i * len(units) + j)) != len(codes):
        raise ValueError("a code table has more than one value for an (input, unit) pair")
    H = np.full((len(inputs), len(units)), np.nan)
    H[i, j] = codes["value"].to_numpy(dtype=np.float64)
    return inputs, units, H


def downsample_curve(curve, max_points=1000):
    """Epochs (1-based) and values of a loss curve, at most ``max_points`` of them.

    Points are spaced evenly in log(epoch), so the early epochs, where the
    loss moves fastest, are kept; the first and the last epoch are always
    included.
    """
    curve = np.asarray(curve, dtype=np.float64)
    n = curve.size
    if n <= max_points:
        epochs = np.arange(1, n + 1)
    else:
        epochs = np.unique(np.round(np.geomspace(1, n, max_points)).astype(np.int64))
        epochs[0], epochs[-1] = 1, n
    return epochs, curve[epochs - 1]


def thin_curve(curve, max_points):
    """At most ``max_points`` rows of a stored (already log-spaced) :data:`CURVES` frame, first and last kept.

    Returns ``(epochs, losses)`` arrays.
    """
    index = np.unique(np.round(np.linspace(0, len(curve) - 1, min(max_points, len(curve)))).astype(int))
    return curve["epoch"].to_numpy()[index], curve["loss"].to_numpy()[index]


def curve_frame(name, loss_curve, max_points):
    """A run's loss curve as rows of :data:`CURVES`, at most ``max_points`` (:func:`downsample_curve`)."""
    epochs, values = downsample_curve(loss_curve, max_points)
    return pd.DataFrame({"run": name, "epoch": epochs, "loss": values})


def write_run_folder(folder, runs, estimators, X_of, curve_points, clocks=None, how=None, **extra):
    """Write a training stage's folder; return its :data:`RUNS` and :data:`CURVES` tables.

    Parameters
    ----------
    folder : Path
        The stage's output folder.
    runs : list of GridRun
    estimators : list of AutoEncoder
        Fitted, one per run.
    X_of : callable or None
        ``X_of(run)`` -> the run's training data: its code is read on it
        (:data:`CODES` and :func:`code_facts`); ``None`` reads no code.
    curve_points : int
        Loss-curve points kept per run.
    clocks : Path, default=None
        Where to write the runs' clocks (:func:`write_clocks`); ``None``
        writes none. The saved models carry no clock either.
    how : dict, default=None
        More columns of the clocks file (column -> one value per run): how
        the work was spread, e.g. the stack each run trained in.
    **extra : dict
        Column -> list of values, one per run, appended to :data:`RUNS`.

    Returns
    -------
    records, curves : DataFrame
        The rows written to :data:`RUNS` and to :data:`CURVES`.
    """
    pairs = list(zip(runs, estimators))
    records = pd.DataFrame([run_record(r, e, X_of(r) if X_of else None) for r, e in pairs])
    for column, values in extra.items():
        records[column] = values
    write_joblib(folder / MODELS, {r.name: _without_clock(e) for r, e in pairs})
    if clocks is not None:
        write_clocks(clocks, runs, estimators, **(how or {}))
    write_csv(folder / RUNS, records)
    if X_of:
        write_csv(folder / CODES, pd.concat([codes_frame(r.name, e.transform(X_of(r))) for r, e in pairs]))
    curves = pd.concat([curve_frame(r.name, e.loss_curve_, curve_points) for r, e in pairs], ignore_index=True)
    write_csv(folder / CURVES, curves)
    return records, curves


def _missing(path, stage, why):
    return MissingInput(f"{path}: {why}; it is made by stage {stage!r}: run `dvc repro {stage}`")


def _why(exc):
    return "missing" if isinstance(exc, FileNotFoundError) else f"unreadable ({type(exc).__name__}: {exc})"


def _truncated(path):
    """Why a CSV file the pipeline wrote is incomplete (empty, or cut inside a line), else ``None``.

    Every CSV of the pipeline ends with a newline (:func:`aerepro.io.write_csv`).
    """
    with open(path, "rb") as f:
        if f.seek(0, 2) == 0:
            return "empty"
        f.seek(-1, 2)
        return None if f.read(1) == b"\n" else "truncated (its last line is cut short)"


def read_table(folder, name, stage):
    """Read ``folder / name`` (CSV), an output of ``stage``; a missing, truncated or damaged file is one clear error."""
    path = folder / name
    try:
        why = _truncated(path)
        if why is None:
            return pd.read_csv(path)
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        why = _why(exc)
    raise _missing(path, stage, why)


def read_data(path, stage="data"):
    """The data set CSV ``path`` (made by ``stage``) as a float matrix; one clear error if it is not one.

    Missing, empty, truncated or unparsable files, non-numeric cells,
    missing values (NaN) and infinite ones each stop the stage with one line
    naming the file.
    """
    path = Path(path)
    frame = read_table(path.parent, path.name, stage)
    try:
        X = frame.to_numpy(dtype=float)
    except ValueError as exc:
        raise _missing(path, stage, f"not all numbers ({exc})") from None
    if X.size == 0:
        raise _missing(path, stage, "no rows")
    if not np.isfinite(X).all():
        missing, infinite = int(np.isnan(X).sum()), int(np.isinf(X).sum())
        raise _missing(path, stage, ", ".join(f"{n} {what}" for n, what in [(missing, "missing value(s)"),
                                                                          (infinite, "infinite value(s)")] if n))
    return X


def load_models(folder, stage):
    """The fitted estimators of a run folder, name -> estimator; one clear error if the file is damaged."""
    import joblib

    path = folder / MODELS
    try:
        models = joblib.load(path)
    except Exception as exc:  # noqa: BLE001 - any unpickling failure means the same thing here
        raise _missing(path, stage, _why(exc)) from None
    if not isinstance(models, dict):
        raise _missing(path, stage, f"unreadable (holds a {type(models).__name__}, not name -> model)")
    return models


def group_metrics(table, by, medians, counts=None, size="runs"):
    """A DVC metrics mapping of a table's groups: ``{group: {size: n, "median_<column>": ..., <count>: n}}``.

    Per-run facts belong to MLflow; DVC metrics hold what a person compares
    across experiments. ``by`` maps a row (a dict) to its group's name;
    ``counts`` maps a name to a function of the group's frame giving how many
    of its runs count (e.g. stopped by the rule); ``size`` names the number
    of rows in a group (``"seeds"`` where a row is a seed's; ``None``: not
    given). NaN and infinite medians (a diverged run's loss) are null: JSON has no number for them.

    Examples
    --------
    >>> table = pd.DataFrame({"protocol": ["a", "a", "b"], "epochs": [10, 30, 5], "stop_reason": ["converged", "max_iter", "converged"]})
    >>> group_metrics(table, lambda r: r["protocol"], ["epochs"], {"converged": lambda g: (g["stop_reason"] == "converged").sum()})
    {'a': {'runs': 2, 'median_epochs': 20.0, 'converged': 1}, 'b': {'runs': 1, 'median_epochs': 5.0, 'converged': 1}}
    """
    names = [by(row) for row in table.to_dict("records")]
    out = {}
    for name, group in table.groupby(pd.Series(names, index=table.index), sort=False):
        entry = {} if size is None else {size: int(len(group))}
        for column in medians:
            value = group[column].median()
            entry[f"median_{column}"] = round(float(value), 6) if np.isfinite(value) else None
        for key, count in (counts or {}).items():
            entry[key] = int(count(group))
        out[name] = entry
    return out
