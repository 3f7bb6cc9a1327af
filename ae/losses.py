"""Reconstruction losses, each defined together with its gradient.

Shapes: predictions ``P`` are ``(n_models, n_samples, n_outputs)``;
targets ``Y`` are ``(n_samples, n_outputs)`` (shared by every model) or
``(n_models, n_samples, n_outputs)``. A loss returns one value per model,
the mean over all samples x outputs (Keras semantics); its gradient is
``dL/dP`` of that mean, of the shape of ``P``.

Per-model sums are taken as batched ``(1, K) @ (K, 1)`` products, so each
model's value is computed by the same kernel whatever the number of models
in the stack: a model gives the same bits alone and stacked.
"""

import numpy as np

__all__ = ["LOSSES", "LOSS_DERIVATIVES", "OUTPUT_DELTAS", "EPSILON", "per_model_sum"]

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
    return np.minimum(np.maximum(P, EPSILON), 1.0 - EPSILON)


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


def binary_crossentropy_sigmoid_delta(P, Y):
    """Gradient of the cross-entropy with respect to a sigmoid output's input.

    The product of :func:`binary_crossentropy_derivative` and the sigmoid's
    slope ``P (1 - P)`` simplifies to ``(P - Y) / size`` (zero where clipped),
    which is cheaper and loses no precision when ``P`` is near 0 or 1.
    """
    delta = P - Y
    delta *= np.where(_clip(P) == P, 1.0 / P[0].size, 0.0)
    return delta


LOSSES = {"binary_crossentropy": binary_crossentropy, "mse": mse}

LOSS_DERIVATIVES = {
    "binary_crossentropy": binary_crossentropy_derivative,
    "mse": mse_derivative,
}

#: Fused ``dL/dZ`` of the output layer for (loss, output activation) pairs
#: where the product simplifies; other pairs use ``LOSS_DERIVATIVES`` times
#: the activation's derivative.
OUTPUT_DELTAS = {("binary_crossentropy", "sigmoid"): binary_crossentropy_sigmoid_delta}
