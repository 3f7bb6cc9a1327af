"""Reconstruction losses, each defined together with its gradient.

Shapes: predictions ``P`` are ``(n_models, n_samples, n_outputs)``;
targets ``Y`` are ``(n_samples, n_outputs)`` (shared by every model) or
``(n_models, n_samples, n_outputs)``. A loss returns one value per model,
the mean over all samples x outputs (Keras semantics); its derivative is
``dL/dP`` of that mean, of the shape of ``P``.

Per-model sums are taken as batched ``(1, K) @ (K, 1)`` products, so each
model's value is computed by the same kernel whatever the number of models
in the stack: a model gives the same bits alone and stacked.

Every function computes in the dtype of ``P`` and ``Y`` (float64 or
float32): constants are Python floats, which NumPy casts to that dtype, or
0-d arrays of it (:data:`CONSTANTS`).
"""

import numpy as np

__all__ = [
    "LOSSES",
    "LOSS_DERIVATIVES",
    "TARGET_RANGES",
    "OUTPUT_DELTAS",
    "EPSILON",
    "per_model_sum",
    "binary_crossentropy",
    "binary_crossentropy_derivative",
    "mse",
    "mse_derivative",
    "binary_crossentropy_sigmoid_delta",
    "cross_entropy_work",
    "kl_sparsity",
    "CONSTANTS",
]

#: Keras' fuzz factor: predictions are clipped to ``[EPSILON, 1 - EPSILON]``
#: before the logarithm of the cross-entropy.
EPSILON = 1e-7


def per_model_sum(A, B):
    """Return ``sum(A * B)`` over all but the model axis, shape ``(n_models,)``.

    ``A`` is ``(n_models, ...)``; ``B`` has the same shape, or the shape of
    one model's slice (then it is shared by all models).
    """
    n_models = A.shape[0]
    a = A.reshape(n_models, 1, -1)
    b = B.reshape(n_models, -1, 1) if B.ndim == A.ndim else B.reshape(-1, 1)
    return np.matmul(a, b).reshape(n_models)


def _clip(P):
    Pc = np.maximum(P, EPSILON)
    return np.minimum(Pc, 1.0 - EPSILON, out=Pc)


def binary_crossentropy(P, Y):
    """Mean binary cross-entropy per model, with Keras' clipping.

    ``-mean(Y log(p) + (1 - Y) log(1 - p))`` with ``p = clip(P, 1e-7, 1 - 1e-7)``.
    """
    Pc = _clip(P)
    size = P[0].size
    ll = per_model_sum(np.log(Pc), Y) + per_model_sum(np.log(1.0 - Pc), 1.0 - Y)
    return ll * (-1.0 / size)


def binary_crossentropy_derivative(P, Y):
    """Gradient of :func:`binary_crossentropy` with respect to ``P``.

    Zero where ``P`` was clipped, as the gradient of a clip is.
    """
    Pc = _clip(P)
    grad = ((1.0 - Y) / (1.0 - Pc) - Y / Pc) * (1.0 / P[0].size)
    grad *= Pc == P
    return grad


def mse(P, Y):
    """Mean squared error per model (no factor 1/2, as Keras)."""
    E = P - Y
    return per_model_sum(E, E) * (1.0 / P[0].size)


def mse_derivative(P, Y):
    """Gradient of :func:`mse` with respect to ``P``: ``2 (P - Y) / size``."""
    return (P - Y) * (2.0 / P[0].size)


#: dtype -> the fused loss's constants ``(EPSILON, 1 - EPSILON, 1, 0)`` as
#: 0-d arrays of that dtype (a cheaper operand than a Python float in a hot
#: loop, and one that keeps float32 math in float32).
CONSTANTS = {
    np.dtype(dtype): tuple(np.array(v, dtype=dtype) for v in (EPSILON, 1.0 - EPSILON, 1.0, 0.0))
    for dtype in (np.float64, np.float32)
}


def cross_entropy_weights(Y):
    """What the fused loss needs of the targets, computed once per batch.

    Returns ``(weights, scale, constants)``: ``-[Y, 1 - Y] / size`` as a
    column, so that the loss is one product per model, ``1 / size`` as a
    0-d array, and the :data:`CONSTANTS` of ``Y``'s dtype (float64 for
    targets that are not floating point).
    """
    Y = np.asarray(Y)
    if Y.dtype not in CONSTANTS:
        Y = Y.astype(np.float64)
    per_model = Y.ndim == 3
    flat = Y.reshape(Y.shape[0], -1) if per_model else Y.reshape(1, -1)
    size = flat.shape[1]
    w = np.concatenate([flat, 1.0 - flat], axis=1) * (-1.0 / size)
    scale = np.array(1.0 / size, dtype=Y.dtype)
    return (w[:, :, None] if per_model else w.reshape(-1, 1)), scale, CONSTANTS[Y.dtype]


def binary_crossentropy_sigmoid_delta(P, Y, prepared, work=None):
    """Loss and output-layer ``dL/dZ`` for a sigmoid output, in one pass.

    The product of :func:`binary_crossentropy_derivative` and the sigmoid's
    slope ``P (1 - P)`` simplifies to ``(P - Y) / size`` (zero where
    clipped), which is cheaper and exact near 0 and 1. The loss shares the
    clipped predictions. ``prepared`` is :func:`cross_entropy_weights` of
    ``Y``; ``work``, from :func:`cross_entropy_work`, holds the arrays the
    pass writes (allocated when None: the same arithmetic either way).
    Returns ``(loss, delta)``, shapes ``(n_models,)`` and ``P.shape``;
    ``delta`` is ``work``'s when given.
    """
    weights, scale, (low, high, one, zero) = prepared
    logs, delta, clipped, Pc = work if work is not None else cross_entropy_work(P.shape, P.dtype)
    n_models = P.shape[0]
    # Elementwise work on contiguous arrays (twice as fast as on the halves of
    # ``logs``), then the two halves written once each.
    np.maximum(P, low, out=Pc)
    np.minimum(Pc, high, out=Pc)
    np.subtract(P, Y, out=delta)
    delta *= scale
    np.not_equal(Pc, P, out=clipped)
    np.copyto(delta, zero, where=clipped)
    if Pc.base is not logs:
        np.copyto(logs[:, 0], Pc)
    np.subtract(one, Pc, out=logs[:, 1])
    np.log(logs, out=logs)
    loss = np.matmul(logs.reshape(n_models, 1, -1), weights).reshape(n_models)
    return loss, delta


def cross_entropy_work(shape, dtype):
    """The arrays :func:`binary_crossentropy_sigmoid_delta` writes for predictions of ``shape``.

    Returns ``(logs, delta, clipped, Pc)``: the clipped predictions and
    their complements side by side per model (then their logarithms), the
    delta, where the predictions were clipped, and the clipped predictions
    (for one model, the first half of ``logs`` itself: contiguous already).
    """
    logs = np.empty((shape[0], 2) + tuple(shape[1:]), dtype=dtype)
    clipped = logs[:, 0] if shape[0] == 1 else np.empty(shape, dtype=dtype)
    return logs, np.empty(shape, dtype=dtype), np.empty(shape, dtype=bool), clipped


def kl_sparsity(A, target):
    """KL sparsity penalty of a sigmoid code layer, and its gradient.

    ``sum_j KL(target || rho_j)`` per model, where ``rho_j`` is code unit
    ``j``'s mean activation over the batch (clipped to ``[1e-7, 1 - 1e-7]``
    so a saturated unit gives a large but finite penalty).

    Parameters
    ----------
    A : ndarray of shape (n_models, n_samples, n_code)
        Code-layer activations, in ``(0, 1)``.
    target : ndarray of shape (n_models, 1, 1)
        Target mean activation per model, in ``(0, 1)``.

    Returns
    -------
    penalty : ndarray of shape (n_models,)
    gradient : ndarray of shape (n_models, 1, n_code)
        ``d penalty / dA``, the same for every sample of the batch.
    """
    rho = np.clip(A.mean(axis=1, keepdims=True), EPSILON, 1.0 - EPSILON)
    t = target
    kl = t * np.log(t / rho) + (1.0 - t) * np.log((1.0 - t) / (1.0 - rho))
    gradient = ((1.0 - t) / (1.0 - rho) - t / rho) * (1.0 / A.shape[1])
    return kl.sum(axis=(1, 2)), gradient


LOSSES = {"binary_crossentropy": binary_crossentropy, "mse": mse}

LOSS_DERIVATIVES = {
    "binary_crossentropy": binary_crossentropy_derivative,
    "mse": mse_derivative,
}

#: The targets each loss is defined on: ``(low, high)``, or None for any finite value. The cross-entropy of a
#: target outside [0, 1] is not a loss (it has no minimum at P = Y and can go below 0).
TARGET_RANGES = {"binary_crossentropy": (0.0, 1.0), "mse": None}

#: (loss, output activation) -> (prepare targets, fused loss and dL/dZ, its
#: work arrays) for pairs where the product simplifies; other pairs use
#: ``LOSSES``, ``LOSS_DERIVATIVES`` and the activation's derivative.
OUTPUT_DELTAS = {
    ("binary_crossentropy", "sigmoid"): (cross_entropy_weights, binary_crossentropy_sigmoid_delta, cross_entropy_work),
}
