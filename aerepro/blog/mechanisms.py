"""The two losses our runs get stuck at, derived rather than observed.

On one-hot data (``X`` = the ``n x n`` identity) with the clipped binary
cross-entropy, two losses recur in the runs:

- :func:`aerepro.plateau.input_blind_loss`: a network whose output ignores its input (every
  hidden unit identical, the symmetric plateau) does best by predicting
  ``1/n`` everywhere, which costs the entropy of ``1/n``: 0.2338 for
  ``n = 16``.
- :func:`clip_loss`: a ReLU output layer whose every output is at least 1
  is clipped to ``1 - eps``; the clip has zero gradient, so training cannot
  move, and every target 0 pays ``-ln(eps)``: 15.11 for ``n = 16``,
  ``eps = 1e-7``.

:func:`constant_start_output` says which constant inits start there: with
every weight ``c``, biases 0 and ReLU on every layer, a one-hot input gives
the same value on every output unit.
"""

import numpy as np

from ae.losses import EPSILON

__all__ = ["clip_loss", "at_clip", "constant_start_output"]


def clip_loss(n, eps):
    """Mean binary cross-entropy on the ``n x n`` identity when every output is clipped to ``1 - eps``."""
    return float(-((n - 1) / n * np.log(eps) + 1 / n * np.log1p(-eps)))


def at_clip(final_loss, n):
    """Which final losses are :func:`clip_loss` of ``n`` inputs with the library's clip ``EPSILON`` (to 1e-4, relative)."""
    return np.isclose(np.asarray(final_loss, dtype=np.float64), clip_loss(n, EPSILON), rtol=1e-4)


def constant_start_output(layer_sizes, c):
    """The output of a ReLU-everywhere network with every weight ``c`` and biases 0, on a one-hot input.

    Parameters
    ----------
    layer_sizes : list of int
        Widths from the input to the output, e.g. ``[16, 8, 4, 8, 16]``.
    c : float
        The constant (positive: every unit stays in ReLU's linear part).

    Returns
    -------
    float
        The value of every output unit: ``c`` times the input's single 1,
        then ``width * c`` per later layer.
    """
    value = float(c)
    for width in layer_sizes[1:-1]:
        value *= width * c
    return value
