"""Activation functions and their derivatives.

Every function works on arrays of any shape, in particular on stacks of
models with a leading model axis ``(n_models, n_samples, n_units)``.
Forward functions write into ``out`` (which may be ``Z`` itself);
derivatives are written from the layer's *output* ``A`` (as in
scikit-learn's ``_base.py``) and multiply ``delta`` in place, so the
backward pass keeps no pre-activations. ``leaky_relu`` and its derivative
also take the negative slope; :func:`activation` and :func:`derivative`
give every layer function as one of two arrays, that slope bound once.

A function works in the dtype of its arrays. Its constants are keyword
defaults (the slope, and 0-d float64 arrays where a Python float would cost
a conversion at every call), which :func:`activation` and :func:`derivative`
bind as 0-d arrays of the layer's dtype, so float32 layers compute in
float32 with no per-call cost.

The sigmoid is computed as ``1 / (1 + exp(-z))``: for ``z < -709`` the
exponential overflows to ``inf`` and the result is the correctly rounded 0,
never NaN. Callers run it under ``np.errstate(over="ignore")`` (once per
fit, not per call: entering the context costs more than the function).
NumPy's vectorised ``exp`` makes this 4x faster than
``scipy.special.expit`` on stacks of models, and the same formula is used
at every stack size so a model trained alone and in a stack gives the same
bits.
"""

import types

import numpy as np

__all__ = ["ACTIVATIONS", "DERIVATIVES", "activation", "derivative"]

# A 0-d array operand skips the conversion a Python float costs in every
# ufunc call (about 0.4 us, most of a call on these tiny arrays).
_ONE = np.array(1.0)


def sigmoid(Z, out, one=_ONE):
    """Logistic function ``1 / (1 + exp(-Z))``, written into ``out``."""
    np.negative(Z, out=out)
    np.exp(out, out=out)
    out += one
    return np.reciprocal(out, out=out)


def tanh(Z, out):
    """Hyperbolic tangent, written into ``out``."""
    return np.tanh(Z, out=out)


def relu(Z, out):
    """Rectified linear unit ``max(Z, 0)``, written into ``out``."""
    return np.maximum(Z, 0.0, out=out)


def leaky_relu(Z, out, slope=0.01):
    """``Z`` where ``Z > 0``, else ``slope * Z``; written into ``out``.

    Computed as ``max(Z, slope * Z)``, which is the function for
    ``0 <= slope <= 1`` (the range the estimator accepts). The network
    calls it with its slope bound (:func:`activation`).
    """
    return np.maximum(Z, Z * slope, out=out)


def identity(Z, out):
    """The identity, copied into ``out`` unless ``out is Z``."""
    if out is not Z:
        np.copyto(out, Z)
    return out


def sigmoid_derivative(A, delta):
    """Multiply ``delta`` in place by ``A * (1 - A)``, the sigmoid's slope."""
    delta *= A
    delta -= delta * A
    return delta


def tanh_derivative(A, delta):
    """Multiply ``delta`` in place by ``1 - A**2``."""
    delta -= delta * (A * A)
    return delta


def relu_derivative(A, delta):
    """Zero ``delta`` where the unit was inactive (``A <= 0``)."""
    delta *= A > 0
    return delta


def leaky_relu_derivative(A, delta, slope=0.01, one=_ONE):
    """Scale ``delta`` by ``slope`` where the unit was negative (``A <= 0``)."""
    delta *= np.where(A > 0, one, slope)
    return delta


def identity_derivative(A, delta):
    """Leave ``delta`` unchanged: the identity's slope is 1."""
    return delta


ACTIVATIONS = {
    "sigmoid": sigmoid,
    "relu": relu,
    "leaky_relu": leaky_relu,
    "tanh": tanh,
    "identity": identity,
}

DERIVATIVES = {
    "sigmoid": sigmoid_derivative,
    "relu": relu_derivative,
    "leaky_relu": leaky_relu_derivative,
    "tanh": tanh_derivative,
    "identity": identity_derivative,
}


def _bound(function, slope, dtype):
    """``function`` with ``slope`` and its 0-d array constants as defaults, all 0-d arrays of ``dtype``.

    0-d arrays of the layer's dtype keep float32 math in float32 under any
    NumPy promotion rules (``np.where`` of a Python float is float64 before
    NumPy 2) and are cheaper operands than Python floats.

    The same code with new defaults: called with two arrays it runs in one
    frame, as fast as passing them at every call. A closure or
    functools.partial adds a call per layer (a partial with a keyword
    ~0.2 us, a closure ~0.05 us: 1-2% and ~0.7% of a batch_size=1 epoch of
    a 3-4-3 network). A function with nothing to bind is returned as it is.
    """
    defaults = function.__defaults__
    if not defaults:
        return function
    code = function.__code__
    names = code.co_varnames[code.co_argcount - len(defaults) : code.co_argcount]
    bound = tuple(
        np.array(slope, dtype=dtype) if name == "slope"
        else value.astype(dtype) if isinstance(value, np.ndarray) and value.dtype != dtype
        else value
        for name, value in zip(names, defaults)
    )
    if all(new is old for new, old in zip(bound, defaults)) and "slope" not in names:
        return function
    result = types.FunctionType(code, function.__globals__, function.__name__, bound)
    settings = [f"slope={slope!r}"] if "slope" in names else []
    if dtype != _ONE.dtype:
        settings.append(f"dtype={dtype.name}")
    result.__qualname__ = f"{function.__qualname__}({', '.join(settings)})"
    result.__doc__ = function.__doc__
    return result


def activation(name, slope=0.01, dtype=np.float64):
    """The activation ``name`` as a function of ``(Z, out)``.

    Parameters
    ----------
    name : str
        Key of :data:`ACTIVATIONS`.
    slope : float, default=0.01
        Negative slope of ``leaky_relu``, bound here once instead of passed
        at every call.
    dtype : dtype, default=np.float64
        The dtype of the layer: the function's array constants are bound
        cast to it. A float64 activation without a parameter is returned as
        it is.

    Returns
    -------
    function : callable
        ``function(Z, out)`` writes the activation of ``Z`` into ``out``
        and returns it.
    """
    return _bound(ACTIVATIONS[name], slope, np.dtype(dtype))


def derivative(name, slope=0.01, dtype=np.float64):
    """The derivative of activation ``name`` as a function of ``(A, delta)``.

    Parameters
    ----------
    name : str
        Key of :data:`DERIVATIVES`.
    slope : float, default=0.01
        Negative slope of ``leaky_relu``, bound once (see :func:`activation`).
    dtype : dtype, default=np.float64
        The dtype of the layer (see :func:`activation`).

    Returns
    -------
    function : callable
        ``function(A, delta)`` multiplies ``delta`` in place by the slope of
        the activation at output ``A`` and returns it.
    """
    return _bound(DERIVATIVES[name], slope, np.dtype(dtype))
