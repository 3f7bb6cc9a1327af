"""What the loss study measures of a run: when it reconstructs, how far off it ends, and MSE's gradient factor.

Three measures, each the same for both losses, so that they compare like with like:

- :func:`reconstructs`: every output on its target's side of 0.5, and every
  input's snapped code its own (the study's "every input is reconstructed");
  :func:`reconstruction_epoch`, the first reading at which it holds;
- :func:`common_error`: the largest ``|x - x_hat|`` over inputs and outputs,
  one scale for both losses (their own values are not comparable);
- :func:`gradient_factor`: ``2 p (1 - p)``, what MSE (no factor 1/2) puts on
  a sigmoid output's delta beyond what cross-entropy does; summarised per
  reading as its median over every output of every input.

:func:`readings` takes them at the epochs the estimator kept its weights
(``checkpoint_epochs``), on the training data; :func:`reading_facts` sums a
run up from them and its final weights.
"""

import numpy as np
import pandas as pd

from ..codes import snap

__all__ = ["gradient_factor", "reconstructs", "distinct_rows", "reconstruction_epoch", "common_error", "readings",
           "reading_facts", "READINGS"]

#: The columns of a run's readings (:func:`readings`), after ``epoch``.
READINGS = ("factor", "reconstructs", "max_error")


def gradient_factor(P):
    """``2 P (1 - P)``: the factor MSE's output delta carries beyond cross-entropy's, for a sigmoid output ``P``.

    With ``L = mean((P - Y)**2)`` (no factor 1/2) the delta at the sigmoid's
    input is ``2 (P - Y) P (1 - P) / size``; cross-entropy's is
    ``(P - Y) / size``. The factor is at most 0.5 (at ``P = 0.5``) and
    vanishes as an output saturates towards 0 or 1.

    Examples
    --------
    >>> gradient_factor([0.5, 0.9, 1.0]).round(3).tolist()
    [0.5, 0.18, 0.0]
    """
    P = np.asarray(P, dtype=np.float64)
    return 2.0 * P * (1.0 - P)


def reconstructs(P, H, X):
    """Whether each model reconstructs every input: outputs on the target's side of 0.5 and distinct snapped codes.

    Parameters
    ----------
    P : ndarray of shape (n_models, n_samples, n_features)
        The reconstructions.
    H : ndarray of shape (n_models, n_samples, n_code)
        The codes.
    X : ndarray of shape (n_samples, n_features)
        The inputs, 0/1 (the targets).

    Returns
    -------
    ndarray of bool of shape (n_models,)
        An output at exactly 0.5 is on neither side; a model with a
        non-finite output or code reconstructs nothing.

    Examples
    --------
    >>> X = np.eye(2)
    >>> P = np.array([[[0.9, 0.1], [0.2, 0.7]], [[0.9, 0.1], [0.5, 0.7]]])
    >>> H = np.array([[[0.9], [0.1]], [[0.9], [0.1]]])
    >>> reconstructs(P, H, X).tolist()
    [True, False]
    >>> reconstructs(P[:1], np.array([[[0.9], [0.8]]]), X).tolist()  # one code for both inputs
    [False]
    """
    P, H, X = np.asarray(P, dtype=np.float64), np.asarray(H, dtype=np.float64), np.asarray(X)
    ok = np.where(X > 0.5, P > 0.5, P < 0.5).all(axis=(1, 2)) & np.isfinite(H).all(axis=(1, 2))
    if ok.any():  # codes are read only where the outputs are right
        ok[ok] = distinct_rows(snap(H[ok]))
    return ok


def distinct_rows(S):
    """Whether each model's rows are all different (compared exactly, as :func:`aerepro.codes.distinct_codes` does).

    One ``np.unique`` over the rows of every model names each row, then a
    sort per model finds repeats: the readings of a run are many models.

    Parameters
    ----------
    S : ndarray of shape (n_models, n_samples, n_units)
        Codes, usually snapped.

    Returns
    -------
    ndarray of bool of shape (n_models,)

    Examples
    --------
    >>> distinct_rows(np.array([[[0, 1], [1, 0]], [[0, 1], [0, 1]]])).tolist()
    [True, False]
    """
    S = np.asarray(S, dtype=np.float64) + 0.0  # + 0.0 turns -0.0 into 0.0
    _, names = np.unique(S.reshape(-1, S.shape[-1]), axis=0, return_inverse=True)
    names = np.sort(names.reshape(S.shape[:2]), axis=1)
    return (np.diff(names, axis=1) != 0).all(axis=1)


def reconstruction_epoch(epochs, reconstructed):
    """The first of ``epochs`` at which ``reconstructed`` holds; NaN when it never does (censored at the budget).

    Examples
    --------
    >>> reconstruction_epoch([0, 100, 200, 300], [False, False, True, True])
    200.0
    >>> reconstruction_epoch([0, 100], [False, False])
    nan
    """
    epochs, reconstructed = np.asarray(epochs), np.asarray(reconstructed, dtype=bool)
    return float(epochs[reconstructed][0]) if reconstructed.any() else float("nan")


def common_error(P, X):
    """The largest ``|X - P|`` of each model, over inputs and outputs: one measure for both losses.

    Examples
    --------
    >>> common_error(np.array([[[0.9, 0.2]], [[0.6, 0.0]]]), np.array([[1.0, 0.0]])).round(3).tolist()
    [0.2, 0.4]
    """
    return np.abs(np.asarray(X, dtype=np.float64) - np.asarray(P, dtype=np.float64)).max(axis=(1, 2))


def readings(estimator, X):
    """The measures at each epoch the fitted ``estimator`` kept its weights (``checkpoints_``), on ``X``.

    The kept weights go through the estimator's own network, as one stack of
    models (:class:`ae.network.Stack`), in its dtype.

    Returns
    -------
    DataFrame
        ``epoch``, ``factor`` (the median of :func:`gradient_factor` over
        every output of every input), ``reconstructs``
        (:func:`reconstructs`) and ``max_error`` (:func:`common_error`),
        one row per kept epoch, in order.
    """
    from ae.network import Stack, pack

    epochs = sorted(estimator.checkpoints_)
    architecture = estimator.architecture_
    params = np.stack([pack(*estimator.checkpoints_[e]) for e in epochs]).astype(estimator.dtype)
    stack = Stack(architecture, estimator.loss, params, np.zeros(len(epochs)))
    X = np.asarray(X, dtype=estimator.dtype)
    with np.errstate(over="ignore"):
        outs = stack.forward(Stack.augment(X))
    P, H = outs[-1], outs[architecture.code_layer]
    return pd.DataFrame({"epoch": np.asarray(epochs, dtype=np.int64),
                         "factor": np.median(gradient_factor(P).reshape(len(epochs), -1), axis=1),
                         "reconstructs": reconstructs(P, H, X), "max_error": common_error(P, X)})


def reading_facts(kept, estimator, X):
    """A run's facts from its readings ``kept`` (:func:`readings`) and its final weights.

    Returns
    -------
    dict
        ``reconstruction_epoch`` (:func:`reconstruction_epoch`; NaN: not
        within the budget), ``reconstructs_at_end`` (at the last reading),
        ``max_error`` and ``final_factor`` (:func:`common_error` and the
        median :func:`gradient_factor` of the final reconstruction).
    """
    P = np.asarray(estimator.predict(X), dtype=np.float64)
    return {"reconstruction_epoch": reconstruction_epoch(kept["epoch"], kept["reconstructs"]),
            "reconstructs_at_end": bool(kept["reconstructs"].iloc[-1]),
            "max_error": float(common_error(P[None], X)[0]),
            "final_factor": float(np.median(gradient_factor(P)))}
