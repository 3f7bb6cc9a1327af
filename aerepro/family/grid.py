"""The encoder family: N one-hot patterns through log2(N) hidden units, over seeds.

The classic "encoder problem" (Ackley, Hinton & Sejnowski, 1985) squeezes
the ``N`` one-hot patterns ``X = eye(N)`` through ``k = log2(N)`` hidden
units: the only perfect code is a bijection of the patterns onto the
``2**k = N`` binary words. The blog's 16-4-16 is one member. The family
study trains every ``N`` of a list, code width ``log2(N) + extra`` for each
``extra`` of a list, every named init and ``n_seeds`` seeds, and asks how
often a seed finds a perfect code and how the work grows with ``N``.

The ``family`` block of ``params.yaml`` holds AutoEncoder's own parameter
names (``estimator`` and each entry of ``inits``), as the blog's study does;
this module expands it into runs (:func:`expand_family`) and trains them in
stacks with ``ae.fit_many`` (:func:`fit_family`); :mod:`aerepro.family.analysis`
summarises seeds and work.
"""

import numpy as np

from ae import fit_many

from ..grid import GridRun

__all__ = ["code_width", "family_name", "expand_family", "fit_family"]


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


def _family_run(n_inputs, code_units, extra, init, seed, params, check):
    architecture = family_name(n_inputs, code_units)
    setting = f"{init}+{check}" if check else init
    coords = {"architecture": architecture, "n_inputs": n_inputs, "code_units": code_units, "extra": extra,
              "init": setting, "check": check, "seed": seed}
    return GridRun(f"{architecture}/{setting}/seed{seed}", coords, params)


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
    runs : list of GridRun
        Sizes x extra code units x inits x seeds, then each check's sizes x
        extra code units x inits x seeds; each run's parameters are the
        shared estimator's, its init's, its check's (if any),
        ``hidden_layer_sizes=(k,)`` and ``random_state=seed``. Coordinates:
        ``architecture`` (``N-k-N``), ``n_inputs``, ``code_units``,
        ``extra`` (units beyond log2 N), ``init`` (the setting:
        ``<init>+<check>`` for a check's runs), ``check`` (empty for the
        main grid), ``seed``; the name is ``N-k-N/<setting>/seed<seed>``.
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
                        runs.append(_family_run(int(n), k, int(extra), init, seed, params, check))
    return runs


def fit_family(runs, estimators, *, n_jobs=None, max_stack=None):
    """Fit every family run on its ``X = eye(N)``, in place, with :func:`ae.fit_many`.

    Runs of one N, code width, activations, loss, solver, ... form one
    stack, split into parts of at most ``max_stack`` rows (as even as
    possible; a row is a model, or models that share a trajectory), and
    further when there are too few for the workers or one holds more than
    a worker's share of the work (as ``fit_many`` does). Each stack trains in one process, so its models'
    ``train_seconds_`` is that stack's own clock (what MLflow's Duration
    shows, :mod:`aerepro.runs`); the stacks are spread
    over ``n_jobs`` processes with joblib (so over a dask cluster under
    ``joblib.parallel_config(backend="dask")``), BLAS pinned to one thread
    per worker. Every model ends bit for bit as ``fit`` alone would leave
    it, whatever the stacking. Warnings raised while fitting (e.g. reaching
    ``max_iter``) are re-emitted here.

    Parameters
    ----------
    runs : list of GridRun
    estimators : list of AutoEncoder
        One per run, fitted in place.
    n_jobs : int, default=None
        Processes for the stacks (``None``: one, this one).
    max_stack : int, default=None
        Rows per stack at most: smaller stacks spread one N over more
        processes and hold less memory (``None``: no limit).

    Returns
    -------
    stack_of : list of int
        For each run, the index of the stack it was trained in.
    """
    data = {n: np.eye(n) for n in {run.coords["n_inputs"] for run in runs}}
    _, stacks = fit_many(estimators, [data[run.coords["n_inputs"]] for run in runs], n_jobs=n_jobs,
                         names=[run.name for run in runs], max_stack=max_stack, return_stacks=True)
    stack_of = [0] * len(runs)
    for k, members in enumerate(stacks):
        for i in members:
            stack_of[i] = k
    return stack_of
