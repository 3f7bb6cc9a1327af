"""Weight initializers.

Each takes ``(n_in, n_out, rng, value, jitter)`` and returns a float64
array of shape ``(n_in, n_out)``; biases always start at zero. ``rng`` is a
``numpy.random.RandomState`` owned by one fit, never the global state.
"""

import numpy as np

__all__ = ["INITIALIZERS"]


def constant(n_in, n_out, rng, value=1.0, jitter=0.0):
    """Every weight ``value``, plus ``jitter * N(0, 1)`` when ``jitter != 0``.

    With ``jitter == 0`` no random number is drawn: the weights are exactly
    the constant, and every hidden unit stays identical to its neighbours.
    """
    W = np.full((n_in, n_out), float(value))
    if jitter:
        W += jitter * rng.standard_normal((n_in, n_out))
    return W


def glorot_uniform(n_in, n_out, rng, value=None, jitter=None):
    """Uniform on ``[-l, l]`` with ``l = sqrt(6 / (n_in + n_out))`` (Keras' default)."""
    limit = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-limit, limit, (n_in, n_out))


def he_uniform(n_in, n_out, rng, value=None, jitter=None):
    """Uniform on ``[-l, l]`` with ``l = sqrt(6 / n_in)``, for ReLU layers."""
    limit = np.sqrt(6.0 / n_in)
    return rng.uniform(-limit, limit, (n_in, n_out))


def uniform(n_in, n_out, rng, value=0.1, jitter=None):
    """Uniform on ``[-|value|, |value|]`` (e.g. the classic ``+-0.1`` of the encoder problem)."""
    limit = abs(float(value))
    return rng.uniform(-limit, limit, (n_in, n_out))


def normal(n_in, n_out, rng, value=0.05, jitter=None):
    """Normal with mean 0 and standard deviation ``value``."""
    return value * rng.standard_normal((n_in, n_out))


INITIALIZERS = {
    "constant": constant,
    "glorot_uniform": glorot_uniform,
    "he_uniform": he_uniform,
    "normal": normal,
    "uniform": uniform,
}
