"""The encoder family: N one-hot patterns through log2(N) hidden units, over seeds.

The classic "encoder problem" (Ackley, Hinton & Sejnowski, 1985) squeezes
the ``N`` one-hot patterns ``X = eye(N)`` through ``k = log2(N)`` hidden
units: the only perfect code is a bijection of the patterns onto the
``2**k = N`` binary words. The blog's 16-4-16 is one member. The family
study trains every ``N`` of a list, code width ``log2(N) + extra`` for each
``extra`` of a list, every named init and ``n_seeds`` seeds, and asks how
often a seed finds a perfect code and how the cost grows with ``N``.

The ``family`` block of ``params.yaml`` holds AutoEncoder's own parameter
names (``estimator`` and each entry of ``inits``), as the blog's study does;
this module expands it into runs (:func:`expand_family`), trains them one
stack per task (:func:`fit_family`), reads each fitted run
(:func:`family_record`), and summarises seeds (:func:`family_success`,
:func:`summarize_family`) and cost (:func:`cost_table`,
:func:`growth_exponent`).
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .analysis import success_rate
from .estimator import AutoEncoder
from .parallel import fit_stacks, validate_stack_data
from .study import fit_facts
from .training import stack_key

__all__ = [
    "BINARY_LEVELS",
    "FamilyRun",
    "code_width",
    "family_name",
    "expand_family",
    "family_stacks",
    "fit_family",
    "family_record",
    "family_success",
    "summarize_family",
    "cost_table",
    "power_law",
    "growth_exponent",
    "plateau_loss",
    "literature_table",
]

#: Levels of a binarised code (threshold 0.5), as the literature reads "distinct binarised codes".
BINARY_LEVELS = (0.0, 1.0)


def code_width(n_inputs, extra=0):
    """The code width of the ``n_inputs``-``k``-``n_inputs`` encoder: ``log2(n_inputs) + extra``.

    Parameters
    ----------
    n_inputs : int
        Number of one-hot patterns, a power of two >= 2.
    extra : int, default=0
        Units beyond ``log2(n_inputs)`` (0 is the tight encoder).

    Returns
    -------
    k : int

    Raises
    ------
    ValueError
        If ``n_inputs`` is not a power of two >= 2 or ``extra`` is negative.

    Examples
    --------
    >>> code_width(8), code_width(16, 1)
    (3, 5)
    """
    n = int(n_inputs)
    if n != n_inputs or n < 2 or n & (n - 1):
        raise ValueError(f"n_inputs must be a power of two >= 2, got {n_inputs!r}.")
    if int(extra) != extra or extra < 0:
        raise ValueError(f"extra must be an integer >= 0, got {extra!r}.")
    return n.bit_length() - 1 + int(extra)


def family_name(n_inputs, code_units):
    """The architecture's name, ``N-k-N``."""
    return f"{n_inputs}-{code_units}-{n_inputs}"


@dataclass(frozen=True)
class FamilyRun:
    """One trained model of the family: its place in the grid, and its parameters."""

    n_inputs: int
    code_units: int
    extra: int
    init: str
    seed: int
    params: dict = field(compare=False, hash=False)
    check: str = ""

    @property
    def architecture(self):
        return family_name(self.n_inputs, self.code_units)

    @property
    def setting(self):
        """The init's name, ``<init>+<check>`` for a run of a check."""
        return f"{self.init}+{self.check}" if self.check else self.init

    @property
    def name(self):
        """``N-k-N/<setting>/seed<seed>``."""
        return f"{self.architecture}/{self.setting}/seed{self.seed}"

    def estimator(self):
        """A fresh, unfitted :class:`~ae.AutoEncoder` for this run."""
        return AutoEncoder(**self.params)


def expand_family(family):
    """Every run of the family study, in a stable order.

    Parameters
    ----------
    family : dict
        The ``family`` block of ``params.yaml``: ``sizes`` (list of N),
        ``extra_code_units`` (list of int), ``n_seeds`` (seeds ``0 ..
        n_seeds - 1``), ``estimator`` (shared AutoEncoder parameters),
        ``inits`` (name -> AutoEncoder parameters of that init) and,
        optionally, ``checks``: name -> a small grid of its own (``sizes``,
        ``inits``: names from ``inits``, ``n_seeds``, ``estimator``:
        parameters that replace the shared ones), e.g. the literature's
        setup beside ours.

    Returns
    -------
    runs : list of FamilyRun
        Sizes x extra code units x inits x seeds, then each check's sizes x
        extra code units x inits x seeds; each run's parameters are the
        shared estimator's, its init's, its check's (if any),
        ``hidden_layer_sizes=(k,)`` and ``random_state=seed``.
    """
    grids = [("", family["sizes"], list(family["inits"]), family["n_seeds"], {})]
    for check, grid in (family.get("checks") or {}).items():
        grids.append((check, grid["sizes"], grid["inits"], grid["n_seeds"], grid.get("estimator") or {}))
    runs = []
    for check, sizes, inits, n_seeds, overrides in grids:
        for n in sizes:
            for extra in family["extra_code_units"]:
                k = code_width(n, extra)
                for init in inits:
                    for seed in range(n_seeds):
                        params = {**family.get("estimator", {}), **family["inits"][init], **overrides,
                                  "hidden_layer_sizes": (k,), "random_state": seed}
                        runs.append(FamilyRun(int(n), k, int(extra), init, seed, params, check))
    return runs


def family_stacks(runs, estimators, max_stack=None):
    """How :func:`fit_family` groups the runs: lists of run indices, one list per stack.

    Runs whose estimators share a :func:`ae.training.stack_key` on their
    ``X = eye(N)`` (same N, code width, activations, loss, solver, ...)
    form one stack, split into parts of at most ``max_stack`` models (as
    even as possible); stacks are ordered by their rough cost (models x
    N**2), largest first.

    Parameters
    ----------
    runs : list of FamilyRun
    estimators : list of AutoEncoder
    max_stack : int, default=None
        Models per stack at most (``None``: no limit).

    Returns
    -------
    stacks : list of list of int
    """
    groups = {}
    for i, (run, est) in enumerate(zip(runs, estimators)):
        groups.setdefault(stack_key(est, run.n_inputs), []).append(i)
    stacks = []
    for members in groups.values():
        parts = 1 if max_stack is None else -(-len(members) // max_stack)
        stacks += [list(part) for part in np.array_split(members, parts)]
    return sorted(stacks, key=lambda m: -len(m) * runs[m[0]].n_inputs ** 2)


def fit_family(runs, estimators, *, n_jobs=None, max_stack=None):
    """Fit every family run on its ``X = eye(N)``, in place, one stack per task.

    The stacks are those of :func:`family_stacks`, trained by
    :func:`ae.parallel.fit_stacks` (the machinery of ``fit_many``): each in
    one process, so its models' ``train_seconds_`` is that stack's own
    clock (what :func:`cost_table` reads), spread over ``n_jobs`` processes
    with joblib, largest first (so over a dask cluster under
    ``joblib.parallel_config(backend="dask")``), BLAS pinned to one thread
    per worker. Every model ends bit for bit
    as ``fit`` alone would leave it, whatever the stacking. Warnings raised
    while fitting (e.g. reaching ``max_iter``) are re-emitted here.

    Parameters
    ----------
    runs : list of FamilyRun
    estimators : list of AutoEncoder
        One per run, fitted in place.
    n_jobs : int, default=None
        Processes for the stacks (``None``: one, this one).
    max_stack : int, default=None
        Models per stack at most: smaller stacks spread one N over more
        processes and hold less memory (``None``: no limit).

    Returns
    -------
    stack_of : list of int
        For each run, the index of the stack it was trained in.
    """
    stacks = family_stacks(runs, estimators, max_stack)
    prepared = []
    for members in stacks:
        models = [estimators[i] for i in members]
        data = validate_stack_data(models, np.eye(runs[members[0]].n_inputs))
        prepared.append((models, data, [runs[i].name for i in members]))
    fit_stacks(prepared, n_jobs=n_jobs)
    stack_of = [0] * len(runs)
    for k, members in enumerate(stacks):
        for i in members:
            stack_of[i] = k
    return stack_of


def family_record(run, estimator, X):
    """The facts of one fitted family run, as a flat dict (one row of ``runs.csv``).

    Where the run sits (``run``, ``architecture``, ``n_inputs``,
    ``code_units``, ``extra`` (units beyond log2 N), ``init`` (the
    setting: ``<init>+<check>`` for a check's runs), ``check`` (empty for
    the main grid), ``seed``), then :func:`ae.study.fit_facts`.
    """
    return {
        "run": run.name,
        "architecture": run.architecture,
        "n_inputs": run.n_inputs,
        "code_units": run.code_units,
        "extra": run.extra,
        "init": run.setting,
        "check": run.check,
        "seed": run.seed,
        **fit_facts(estimator, X),
    }


def family_success(codes):
    """How often the seeds of one setting found a perfect code.

    Parameters
    ----------
    codes : list of (array-like of shape (n_samples, n_units) or None)
        The raw code of each seed; ``None`` for a seed that diverged (it has
        no code, and counts as a failure).

    Returns
    -------
    rates : dict
        ``n_seeds`` and ``n_diverged`` (int); the shares over all seeds of
        :func:`ae.analysis.success_rate`: ``distinct_share`` (the code
        snapped to 0, 0.5, 1 has ``n_samples`` distinct rows) and
        ``bijection_share`` (it is a bijection onto ``{0, 1}**n_units``);
        and ``binarised_share``, the share whose code binarised at 0.5 has
        ``n_samples`` distinct rows (the literature's "distinct binarised
        codes").

    Raises
    ------
    ValueError
        If ``codes`` is empty.

    Examples
    --------
    >>> rates = family_success([[[0.1], [0.9]], [[0.4], [0.6]], None])  # both 0.4 and 0.6 snap to 0.5
    >>> rates["n_diverged"], rates["distinct_share"], rates["bijection_share"], rates["binarised_share"]
    (1, 0.3333333333333333, 0.3333333333333333, 0.6666666666666666)
    """
    codes = list(codes)
    if not codes:
        raise ValueError("codes must hold at least one seed.")
    fitted = [H for H in codes if H is not None]
    share = len(fitted) / len(codes)
    rates = {"n_seeds": len(codes), "n_diverged": len(codes) - len(fitted),
             "distinct_share": 0.0, "bijection_share": 0.0, "binarised_share": 0.0}
    if fitted:
        snapped = success_rate(fitted)
        binarised = success_rate(fitted, levels=BINARY_LEVELS)
        rates.update(distinct_share=snapped["distinct_share"] * share,
                     bijection_share=snapped["bijection_share"] * share,
                     binarised_share=binarised["distinct_share"] * share)
    return rates


#: A run whose final loss is at least this share of :func:`plateau_loss` is stuck on the plateau.
PLATEAU_MARGIN = 0.99

#: Columns of :func:`summarize_family` that say where a row sits.
SUMMARY_KEYS = ["architecture", "n_inputs", "code_units", "extra", "init", "check"]


def summarize_family(records, code_of):
    """One row per (architecture, init): success over seeds, epochs and time to the stop rule.

    Parameters
    ----------
    records : DataFrame
        Rows of :func:`family_record`.
    code_of : callable
        ``code_of(run_name)`` -> the run's raw code matrix, or ``None`` when
        it diverged.

    Returns
    -------
    summary : DataFrame
        :data:`SUMMARY_KEYS`, the rates of :func:`family_success`,
        ``converged_share`` (stopped by the stop rule, not ``max_iter``),
        ``median_epochs``, ``median_final_loss``, ``plateau_share`` (final
        loss at least :data:`PLATEAU_MARGIN` times :func:`plateau_loss`:
        stuck where the code carries no information), ``median_train_seconds`` (the stack's clock at
        the model's stop) and ``median_binary_fraction``; sorted by N, code
        width, then init in the order first seen.
    """
    rows = []
    records = records.assign(check=records["check"].fillna(""))  # CSV reads an empty check as NaN
    for key, group in records.groupby(SUMMARY_KEYS, sort=False):
        rates = family_success([code_of(name) for name in group["run"]])
        rows.append({
            **dict(zip(SUMMARY_KEYS, key)),
            **rates,
            "converged_share": float((group["stop_reason"] == "converged").mean()),
            "median_epochs": float(group["epochs"].median()),
            "median_final_loss": float(group["final_loss"].median()),
            "plateau_share": float((group["final_loss"] >= PLATEAU_MARGIN * plateau_loss(int(group["n_inputs"].iloc[0]))).mean()),
            "median_train_seconds": float(group["train_seconds"].median()),
            "median_binary_fraction": float(group["binary_fraction"].median()),
        })
    summary = pd.DataFrame(rows)
    return summary.sort_values(["n_inputs", "code_units"], kind="stable").reset_index(drop=True)


def cost_table(records):
    """Seconds per model-epoch of each architecture, from its stacks' clocks.

    Each stack (column ``stack``: :func:`fit_family`'s ``stack_of``) was
    trained in one process: its wall time is its longest ``train_seconds``
    (the stack's clock when its last model stopped), its work the sum of
    its models' epochs. An architecture's cost is the wall time of its
    stacks over their work, summed (the cost on one core, whatever ran in
    parallel). Runs of checks are left out.

    Parameters
    ----------
    records : DataFrame
        Rows of :func:`family_record` with a ``stack`` column.

    Returns
    -------
    cost : DataFrame
        ``architecture``, ``n_inputs``, ``code_units``, ``extra``,
        ``models``, ``stacks``, ``model_epochs``, ``stack_seconds`` (summed
        over its stacks), ``seconds_per_model_epoch``; sorted by N then
        code width.
    """
    main = records[records["check"].fillna("") == ""]
    keys = ["architecture", "n_inputs", "code_units", "extra"]
    stacks = main.groupby([*keys, "stack"], sort=False).agg(
        models=("run", "size"), model_epochs=("epochs", "sum"), stack_seconds=("train_seconds", "max"),
    ).reset_index()
    cost = stacks.groupby(keys, sort=False).agg(
        models=("models", "sum"), stacks=("stack", "size"), model_epochs=("model_epochs", "sum"),
        stack_seconds=("stack_seconds", "sum"),
    ).reset_index()
    cost["seconds_per_model_epoch"] = cost["stack_seconds"] / cost["model_epochs"]
    return cost.sort_values(["n_inputs", "code_units"], kind="stable").reset_index(drop=True)


def power_law(n, seconds):
    """Fit ``seconds = c * n**p`` by least squares of log(seconds) on log(n).

    Parameters
    ----------
    n : array-like of float
        Sizes, at least two distinct, all > 0.
    seconds : array-like of float
        Costs, same length, all > 0.

    Returns
    -------
    p : float
        The growth exponent (the slope).
    log_c : float
        The intercept, ``log(c)``.

    Raises
    ------
    ValueError
        With fewer than two distinct sizes, unequal lengths, or a value <= 0
        or not finite.
    """
    n = np.asarray(n, dtype=np.float64).ravel()
    seconds = np.asarray(seconds, dtype=np.float64).ravel()
    if n.shape != seconds.shape:
        raise ValueError(f"n and seconds must have the same length, got {n.size} and {seconds.size}.")
    if not (np.isfinite(n).all() and np.isfinite(seconds).all() and (n > 0).all() and (seconds > 0).all()):
        raise ValueError("n and seconds must be finite and > 0.")
    if np.unique(n).size < 2:
        raise ValueError("a power law needs at least two distinct sizes.")
    p, log_c = np.polyfit(np.log(n), np.log(seconds), 1)
    return float(p), float(log_c)


def growth_exponent(n, seconds):
    """The exponent ``p`` of ``seconds ~ c * n**p`` (:func:`power_law`).

    Examples
    --------
    >>> round(growth_exponent([4, 8, 16], [3.0, 12.0, 48.0]), 6)
    2.0
    """
    return power_law(n, seconds)[0]


def plateau_loss(n_inputs):
    """The cross-entropy of the code-blind answer: every output ``1/N`` for every one-hot pattern.

    It is the loss of the plateau where the hidden code carries no
    information (e.g. every hidden unit identical): a run whose final loss
    sits there learned nothing about which pattern it saw.

    Parameters
    ----------
    n_inputs : int
        N, the number of one-hot patterns (>= 2).

    Returns
    -------
    loss : float
        ``-(1/N) log(1/N) - (1 - 1/N) log(1 - 1/N)``, the mean binary
        cross-entropy over the N x N outputs.

    Examples
    --------
    >>> round(plateau_loss(16), 4)
    0.2338
    """
    if n_inputs < 2:
        raise ValueError(f"n_inputs must be >= 2, got {n_inputs!r}.")
    p = 1.0 / n_inputs
    return float(-(p * np.log(p) + (1 - p) * np.log(1 - p)))


def literature_table(literature, summary):
    """Each literature figure beside our share of the same architecture, one column per init.

    Parameters
    ----------
    literature : dict
        ``sources/encoder_literature.yaml``: ``sources`` (id -> ``citation``)
        and ``figures`` (each ``source``, ``architecture``, ``method``,
        ``measure``, ``ours`` (a column of ``summary`` or None), and either
        ``successes`` and ``runs`` or ``share``).
    summary : DataFrame
        :func:`summarize_family` (columns ``architecture``, ``init`` and the
        shares).

    Returns
    -------
    table : DataFrame
        ``source``, ``architecture``, ``method``, ``measure``,
        ``literature`` (their figure as text), ``literature_share``,
        ``ours_column``, then one column ``ours: <init>`` per init (our
        share, NaN where we did not run the architecture or measure nothing
        comparable).
    """
    inits = list(dict.fromkeys(summary["init"]))
    rows = []
    for fig in literature["figures"]:
        if "successes" in fig:
            text, share = f"{fig['successes']} of {fig['runs']}", fig["successes"] / fig["runs"]
        else:
            text, share = f"{fig['share']:.1%}", float(fig["share"])
        row = {"source": fig["source"], "architecture": fig["architecture"], "method": fig["method"],
               "measure": fig["measure"], "literature": text, "literature_share": share,
               "ours_column": fig.get("ours")}
        for init in inits:
            match = summary[(summary["architecture"] == fig["architecture"]) & (summary["init"] == init)]
            ours = fig.get("ours")
            row[f"ours: {init}"] = float(match.iloc[0][ours]) if ours and len(match) else np.nan
        rows.append(row)
    return pd.DataFrame(rows)
