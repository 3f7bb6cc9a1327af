"""What training does to a model's inputs and hidden units: noise (denoising) and dropout masks.

Each entry of :data:`NOISES` maps a ``noise_type`` to a function that
corrupts one model's batch of inputs in place, drawn from that model's own
generator; :func:`corrupted` applies them to a stack's batch and
:func:`dropout_masks` draws the stack's inverted-dropout masks. The
targets are never corrupted, and a model at level 0 draws nothing.
"""

import numpy as np

__all__ = ["NOISES", "gaussian_noise", "masking_noise", "corrupted", "dropout_masks"]


def gaussian_noise(inputs, level, rng):
    """Add ``level * N(0, 1)`` to ``inputs``, in place, drawn from ``rng`` (rounded to ``inputs``' dtype)."""
    inputs += (level * rng.standard_normal(inputs.shape)).astype(inputs.dtype, copy=False)


def masking_noise(inputs, level, rng):
    """Zero each of ``inputs`` with probability ``level``, in place, drawn from ``rng``."""
    inputs *= rng.uniform(size=inputs.shape) >= level


#: ``noise_type`` -> ``corrupt(inputs, level, rng)``, which corrupts one
#: model's batch of inputs in place.
NOISES = {"gaussian": gaussian_noise, "masking": masking_noise}


def corrupted(Xa, noise, rngs):
    """Per-model corrupted copies of the augmented inputs (denoising).

    Parameters
    ----------
    Xa : ndarray of shape (n_samples, n_features + 1) or (n_models, n_samples, n_features + 1)
        A batch of inputs with a column of ones (:meth:`~ae.network.Stack.augment`),
        shared by the models or one per model.
    noise : list of (float, str)
        A ``(level, kind)`` pair per model, ``kind`` a key of :data:`NOISES`.
    rngs : list of numpy.random.RandomState
        Each model's generator, the only source of its draws.

    Returns
    -------
    out : ndarray of shape (n_models, n_samples, n_features + 1)
        A new array: each model's inputs corrupted by its noise. The column
        of ones is never corrupted; a model with level 0 sees its clean
        inputs and draws nothing.
    """
    out = np.array(np.broadcast_to(Xa, (len(rngs),) + Xa.shape[-2:]))
    for row, ((level, kind), rng) in enumerate(zip(noise, rngs)):
        if level:
            NOISES[kind](out[row, :, :-1], level, rng)
    return out


def dropout_masks(n_samples, hidden, rates, rngs, dtype=np.float64):
    """Inverted-dropout masks for a stack's batch, one array per hidden layer.

    Parameters
    ----------
    n_samples : int
        Samples in the batch.
    hidden : sequence of int
        Width of each hidden layer.
    rates : list of float
        Each model's dropout rate, in ``[0, 1)``.
    rngs : list of numpy.random.RandomState
        Each model's generator, the only source of its draws.
    dtype : dtype, default=np.float64
        The masks' dtype (the stack's).

    Returns
    -------
    masks : list of ndarray of shape (n_models, n_samples, units)
        A unit is kept with probability ``1 - rate`` and scaled by
        ``1 / (1 - rate)``; a model with rate 0 gets ones and draws nothing.
    """
    masks = [np.ones((len(rngs), n_samples, units), dtype=dtype) for units in hidden]
    for row, (rate, rng) in enumerate(zip(rates, rngs)):
        if rate:
            for mask in masks:
                mask[row] = (rng.uniform(size=mask.shape[1:]) >= rate) / (1.0 - rate)
    return masks
