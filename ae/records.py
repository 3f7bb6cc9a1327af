"""What a fit records while it trains: quantities of a stack of models, one value per model.

Each entry of :data:`RECORDS` maps a name of the estimator's ``record``
parameter to a function ``record(stack, Xa)`` of a
:class:`~ae.network.Stack` at its current parameters; the training loop
(:func:`ae.training.fit_stack`) calls it at the epochs some model asks for.
"""

import numpy as np

__all__ = ["RECORDS", "unit_spread", "weight_spread"]


def _wide_layers(stack):
    """Indices of the hidden layers of more than one unit."""
    return [l for l, width in enumerate(stack.architecture.hidden_layer_sizes) if width > 1]


def unit_spread(stack, Xa):
    """How far apart the units of a hidden layer compute, at worst.

    For each hidden layer of more than one unit, the largest over the
    samples of (max over its units - min over its units) of its activation;
    the largest of these over the layers.

    Parameters
    ----------
    stack : ~ae.network.Stack
        The models, at their current parameters.
    Xa : ndarray of shape (n_samples, n_features + 1)
        The training data with a column of ones (:meth:`~ae.network.Stack.augment`).

    Returns
    -------
    spread : ndarray of shape (n_models,)
        0 where every such layer's units agree on every sample (and where
        no hidden layer is wider than one unit).

    Examples
    --------
    >>> import numpy as np
    >>> from ae.network import Architecture, Stack
    >>> arch = Architecture((2, 3, 2), ("identity", "identity"))
    >>> params = np.ones((1, arch.n_params))
    >>> params[0, 0] = 1.5  # input 0 -> unit 0
    >>> unit_spread(Stack(arch, "mse", params, [0.0]), Stack.augment(np.array([[1.0, 0.0], [2.0, 0.0]])))
    array([1.])
    """
    spread = np.zeros(stack.n_models, dtype=stack.dtype)
    outs = stack.forward(Xa)
    for l in _wide_layers(stack):
        A = outs[l]
        np.maximum(spread, (A.max(axis=2) - A.min(axis=2)).max(axis=1), out=spread)
    return spread


def weight_spread(stack, Xa=None):
    """How far apart the units of a hidden layer are in their parameters, at worst.

    For each hidden layer of more than one unit, the largest difference
    between two of its units in one parameter: an incoming weight or the
    bias (over its weight matrix's columns) or an outgoing weight (over the
    next matrix's rows); the largest of these over the layers. Units are
    interchangeable exactly when this is 0; it needs no data.

    Parameters
    ----------
    stack : ~ae.network.Stack
        The models, at their current parameters.
    Xa : ignored
        For the signature of :data:`RECORDS`.

    Returns
    -------
    spread : ndarray of shape (n_models,)
    """
    spread = np.zeros(stack.n_models, dtype=stack.dtype)
    for l in _wide_layers(stack):
        incoming, outgoing = stack.W[l], stack.W[l + 1][:, :-1, :]
        np.maximum(spread, (incoming.max(axis=2) - incoming.min(axis=2)).max(axis=1), out=spread)
        np.maximum(spread, (outgoing.max(axis=1) - outgoing.min(axis=1)).max(axis=1), out=spread)
    return spread


#: ``record`` name -> ``record(stack, Xa)``: a quantity of a stack at its
#: current parameters and the augmented training data ``Xa`` (clean: no
#: noise, no dropout), one value per model, shape ``(n_models,)``, computed
#: in the stack's dtype. :func:`~ae.training.fit_stack` calls one only at the epochs some
#: model records it (``record_every``), so a fit that records nothing pays
#: nothing.
RECORDS = {"unit_spread": unit_spread, "weight_spread": weight_spread}
