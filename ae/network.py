"""A stack of fully connected networks of one architecture.

An :class:`Architecture` is what an estimator's parameters make of a
network on ``n_features`` inputs (layer sizes, activations, code layer),
resolved once by :meth:`ae.AutoEncoder.resolve_architecture` and handed to
the training loop, the :class:`Stack` and :func:`forward`.

``R`` models with the same layer sizes and activations are held in one
parameter array of shape ``(R, n_params)``. Layer ``l`` is a view of it,
``(R, n_in + 1, n_out)``: the weights with the bias as an extra last row,
so that ``[a, 1] @ W_l`` is ``a @ W + b`` and one batched product gives
both the weight and the bias gradient. Optimizers update the whole flat array at once,
which is what makes a single small model cheap (few NumPy calls per epoch)
and a large stack fast (one call serves every model).
"""

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from .activations import ACTIVATIONS, activation, derivative
from .losses import LOSS_DERIVATIVES, LOSSES, OUTPUT_DELTAS, kl_sparsity, per_model_sum

__all__ = ["Architecture", "Stack", "check_hidden_layer_sizes", "layer_shapes", "pack", "unpack", "forward"]


def check_hidden_layer_sizes(hidden_layer_sizes):
    """``hidden_layer_sizes`` as a tuple of ``int``, or a ``ValueError`` naming it.

    Parameters
    ----------
    hidden_layer_sizes : array-like of int
        Width of each hidden layer, as the estimator takes it.

    Returns
    -------
    hidden : tuple of int

    Raises
    ------
    ValueError
        Unless it is a non-empty flat sequence of positive integers.

    Examples
    --------
    >>> check_hidden_layer_sizes([8, 4, 8])
    (8, 4, 8)
    >>> check_hidden_layer_sizes(3)
    (3,)
    """
    try:
        sizes = np.atleast_1d(np.asarray(hidden_layer_sizes))
    except (TypeError, ValueError):  # ragged nesting
        sizes = None
    if (
        sizes is None
        or sizes.ndim != 1
        or sizes.size == 0
        or not np.issubdtype(sizes.dtype, np.integer)
        or np.any(sizes < 1)
    ):
        raise ValueError(
            f"hidden_layer_sizes must be a non-empty sequence of positive integers, got {hidden_layer_sizes!r}."
        )
    return tuple(int(s) for s in sizes)


@dataclass(frozen=True)
class Architecture:
    """The network of an autoencoder: layer sizes, activations and code layer.

    Built once from an estimator's parameters and its number of features
    (:meth:`ae.AutoEncoder.resolve_architecture`, stored by ``fit`` as
    ``architecture_``); equal architectures can share a :class:`Stack`.

    Parameters
    ----------
    layer_sizes : tuple of int
        Units per layer: the input, each hidden layer, the output.
    activations : tuple of str
        Activation of each non-input layer (keys of :data:`ae.activations.ACTIVATIONS`).
    leaky_relu_slope : float, default=0.01
        Negative slope of ``leaky_relu`` layers.

    Attributes
    ----------
    code_layer : int
        Index among the hidden layers of the code layer, the first narrowest
        one; also the index of the weight layer that outputs it, so the
        encoder is layers ``[0, code_layer]`` and the decoder the rest.
    n_code : int
        Width of the code layer.

    Examples
    --------
    >>> arch = Architecture((16, 8, 4, 4, 16), ("tanh", "tanh", "tanh", "sigmoid"))
    >>> arch.code_layer, arch.n_code, arch.n_params
    (1, 4, 272)
    """

    layer_sizes: tuple
    activations: tuple
    leaky_relu_slope: float = 0.01
    code_layer: int = field(init=False, repr=False, compare=False)
    n_code: int = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        sizes = tuple(int(s) for s in self.layer_sizes)
        names = tuple(self.activations)
        if len(sizes) < 3 or min(sizes) < 1:
            raise ValueError(f"layer_sizes needs an input, hidden and output layer of >= 1 unit each, got {sizes}.")
        if len(names) != len(sizes) - 1:
            raise ValueError(f"one activation per non-input layer: {len(sizes) - 1} for {sizes}, got {names}.")
        unknown = sorted(set(names) - set(ACTIVATIONS))
        if unknown:
            raise ValueError(f"unknown activation(s) {unknown}; known: {sorted(ACTIVATIONS)}.")
        hidden = sizes[1:-1]
        code = hidden.index(min(hidden))
        for name, value in [("layer_sizes", sizes), ("activations", names),
                            ("leaky_relu_slope", float(self.leaky_relu_slope)),
                            ("code_layer", code), ("n_code", hidden[code])]:
            object.__setattr__(self, name, value)

    @classmethod
    def from_params(cls, n_features, hidden_layer_sizes, activation="sigmoid", output_activation="sigmoid",
                    leaky_relu_slope=0.01):
        """The network of an autoencoder on ``n_features`` inputs.

        Parameters
        ----------
        n_features : int
            Width of the input and of the output.
        hidden_layer_sizes : array-like of int
            Checked by :func:`check_hidden_layer_sizes`.
        activation, output_activation : str, default="sigmoid"
            Of every hidden layer, and of the output layer.
        leaky_relu_slope : float, default=0.01

        Returns
        -------
        architecture : Architecture
        """
        hidden = check_hidden_layer_sizes(hidden_layer_sizes)
        names = (activation,) * len(hidden) + (output_activation,)
        return cls((n_features, *hidden, n_features), names, leaky_relu_slope)

    @property
    def n_features(self):
        """Width of the input layer."""
        return self.layer_sizes[0]

    @property
    def hidden_layer_sizes(self):
        """Widths of the hidden layers, a tuple of int."""
        return self.layer_sizes[1:-1]

    @property
    def shapes(self):
        """Shapes ``(n_in + 1, n_out)`` of the augmented weight matrices (see :func:`layer_shapes`)."""
        return layer_shapes(self.layer_sizes)

    @property
    def n_params(self):
        """Parameters of one model, weights and biases."""
        return sum(a * b for a, b in self.shapes)

    def activation_functions(self, dtype=np.float64):
        """Each layer's activation as a function of ``(Z, out)``, slope and ``dtype``'s constants bound."""
        return [activation(name, self.leaky_relu_slope, dtype) for name in self.activations]

    def derivative_functions(self, dtype=np.float64):
        """Each layer's activation derivative as a function of ``(A, delta)``, slope and ``dtype``'s constants bound."""
        return [derivative(name, self.leaky_relu_slope, dtype) for name in self.activations]


def layer_shapes(layer_sizes):
    """Shapes ``(n_in + 1, n_out)`` of the augmented weight matrices."""
    return [(n_in + 1, n_out) for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:])]


def pack(coefs, intercepts):
    """Flatten one model's ``coefs`` and ``intercepts`` into a parameter vector."""
    return np.concatenate([np.vstack([W, b[None, :]]).ravel() for W, b in zip(coefs, intercepts)])


def unpack(flat, layer_sizes):
    """Split one model's parameter vector into ``(coefs, intercepts)`` copies."""
    coefs, intercepts, start = [], [], 0
    for shape in layer_shapes(layer_sizes):
        block = flat[start : start + shape[0] * shape[1]].reshape(shape)
        coefs.append(block[:-1].copy())
        intercepts.append(block[-1].copy())
        start += block.size
    return coefs, intercepts


def forward(X, coefs, intercepts, architecture, start=0, stop=None):
    """Propagate ``X`` through layers ``start`` to ``stop`` (exclusive) of one model.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_in)
        Input of layer ``start``, float64 or float32.
    coefs, intercepts : list of ndarray
        The model's weights and biases.
    architecture : Architecture
        Gives each layer's activation.
    start, stop : int, default=0, None
        The layers to apply, as a slice of the weight layers.

    Returns
    -------
    A : ndarray of shape (n_samples, n_out)
        Output of the last layer applied, in ``X``'s dtype (the weights are
        cast to it); plain 2-D arrays, for ``transform`` and ``predict``.
    """
    A = X
    layers = zip(coefs, intercepts, architecture.activation_functions(X.dtype))
    with np.errstate(over="ignore"):
        for W, b, act in list(layers)[start:stop]:
            Z = A @ W.astype(X.dtype, copy=False)
            Z += b.astype(X.dtype, copy=False)
            A = act(Z, Z)
    return A


def _one_block(array):
    """The one model's 2-D block of a stack of one."""
    return array[0]


def _itself(array):
    """A stack, as np.matmul takes it."""
    return array


class _LayerBuffers(NamedTuple):
    """A stack's forward arrays for one batch size (:meth:`Stack._layer_buffers`)."""

    outs: list  # each layer's output, (R, n_samples, units)
    augmented: list  # each hidden layer's output beside a column of ones
    inner: list  # the outputs' places in ``augmented``
    transposed: list  # ``augmented`` transposed, for the weight gradients
    product: object  # np.matmul on the stack, or np.dot on one model's 2-D blocks
    operand: object  # an array of the stack as ``product`` takes it: itself, or its one model's block
    p_outs: list  # ``outs``, ``augmented``, ``transposed`` and the stack's weights (``W``, ``G``, ``WT``)
    p_augmented: list  # as ``product`` takes them
    p_transposed: list
    p_W: list
    p_G: list
    p_WT: list


class Stack:
    """``R`` networks of one architecture trained together.

    Parameters
    ----------
    architecture : Architecture
        Layer sizes, activations (``leaky_relu``'s slope is bound here, once)
        and the code layer of every model.
    loss : str
        Key of :data:`ae.losses.LOSSES`.
    params : ndarray of shape (R, n_params)
        Initial parameters; the stack owns this array and updates it in
        place. Its dtype (float64 or float32) is the dtype of all the math:
        activations, losses, gradients and the penalties' parameters.
    alpha : array-like of shape (R,)
        L2 penalty per model (weights only, not biases).
    sparsity_weight, sparsity_target : array-like of shape (R,), default=None
        KL sparsity penalty on the code layer (the first narrowest hidden
        layer) per model: weight and target mean activation.
    """

    def __init__(self, architecture, loss, params, alpha, sparsity_weight=None, sparsity_target=None):
        self.architecture = architecture
        self.layer_sizes = architecture.layer_sizes
        self.shapes = architecture.shapes
        self.dtype = dtype = params.dtype
        self.act = architecture.activation_functions(dtype)
        self.deriv = architecture.derivative_functions(dtype)
        self.loss = LOSSES[loss]
        self._loss_derivative = LOSS_DERIVATIVES[loss]
        self._fused = OUTPUT_DELTAS.get((loss, architecture.activations[-1]))
        self.params = params
        self.alpha = np.asarray(alpha, dtype=dtype).reshape(-1, 1)
        R = params.shape[0]
        weight = np.zeros(R) if sparsity_weight is None else sparsity_weight
        target = np.full(R, 0.05) if sparsity_target is None else sparsity_target
        self.sparsity_weight = np.reshape(weight, (R, 1, 1)).astype(dtype)
        self.sparsity_target = np.reshape(target, (R, 1, 1)).astype(dtype)
        self.code_layer = architecture.code_layer
        mask = [np.vstack([np.ones((s[0] - 1, s[1])), np.zeros((1, s[1]))]).ravel() for s in self.shapes]
        self._weight_mask = np.concatenate(mask).astype(dtype)
        self._reset()

    @property
    def n_models(self):
        return self.params.shape[0]

    def _reset(self):
        self.grads = np.empty_like(self.params)
        self.W = self._views(self.params)
        self.G = self._views(self.grads)
        # Weights without the bias row, transposed, for the backward pass.
        self.WT = [np.swapaxes(W[:, :-1, :], 1, 2) for W in self.W]
        self._buffers = {}
        self._work = {}
        self._penalised = bool(np.any(self.alpha))
        self._sparse = bool(np.any(self.sparsity_weight))

    def _views(self, flat):
        views, start = [], 0
        for n_in, n_out in self.shapes:
            views.append(flat[:, start : start + n_in * n_out].reshape(-1, n_in, n_out))
            start += n_in * n_out
        return views

    def take(self, index):
        """Keep only the models at ``index``; their parameters are copied."""
        self.params = self.params[index]
        self.alpha = self.alpha[index]
        self.sparsity_weight = self.sparsity_weight[index]
        self.sparsity_target = self.sparsity_target[index]
        self._reset()

    def _layer_buffers(self, n_samples):
        """Per batch size: each layer's output, and the hidden ones with a ones column.

        Activations are computed in contiguous buffers (ufuncs on strided
        views are twice as slow) and copied beside a column of ones for the
        next layer's product, which then adds the bias and, transposed,
        gives the bias gradient with the weight gradient.
        """
        bufs = self._buffers.get(n_samples)
        if bufs is None:
            R = self.n_models
            outs = [np.empty((R, n_samples, size), dtype=self.dtype) for size in self.layer_sizes[1:]]
            augmented = []
            for size in self.layer_sizes[1:-1]:
                buf = np.empty((R, n_samples, size + 1), dtype=self.dtype)
                buf[..., -1] = 1.0
                augmented.append(buf)
            transposed = [np.swapaxes(a, 1, 2) for a in augmented]
            # One model, every dimension above 1: np.dot of its 2-D blocks makes the
            # same BLAS call (gemm, same transposes and leading dimensions) as
            # np.matmul on the stack of one, so the same bits, at two thirds of
            # the cost of a call. Where a dimension is 1 the two may pick
            # different vector routines: the stack's np.matmul then.
            one = R == 1 and n_samples > 1 and min(self.layer_sizes) > 1
            product, operand = (np.dot, _one_block) if one else (np.matmul, _itself)
            bufs = _LayerBuffers(
                outs,
                augmented,
                [a[..., :-1] for a in augmented],
                transposed,
                product,
                operand,
                *([operand(a) for a in arrays] for arrays in (outs, augmented, transposed, self.W, self.G, self.WT)),
            )
            self._buffers[n_samples] = bufs
        return bufs

    def _backward_buffers(self, n_samples):
        """Per batch size: each hidden layer's delta, the fused loss's work arrays (or None), the deltas as the products take them."""
        work = self._work.get(n_samples)
        if work is None:
            R = self.n_models
            deltas = [np.empty((R, n_samples, size), dtype=self.dtype) for size in self.layer_sizes[1:-1]]
            shape = (R, n_samples, self.layer_sizes[-1])
            operand = self._layer_buffers(n_samples).operand
            work = (deltas, self._fused[2](shape, self.dtype) if self._fused else None,
                    [operand(d) for d in deltas])
            self._work[n_samples] = work
        return work

    def prepare(self, Y):
        """What the loss needs of a batch's targets, computed once per batch."""
        return self._fused[0](Y) if self._fused else None

    @staticmethod
    def augment(X):
        """``[X, 1]``: the input with a column of ones, as :meth:`forward` takes it, in ``X``'s dtype."""
        ones = np.ones(X.shape[:-1] + (1,), dtype=X.dtype)
        return np.concatenate([X, ones], axis=-1)

    def forward(self, Xa, masks=None):
        """Outputs of every layer for augmented input ``Xa`` (see :meth:`augment`).

        ``Xa`` is ``(n_samples, n_in + 1)``, shared by every model, or
        ``(R, n_samples, n_in + 1)``. ``masks``, one per hidden layer
        ``(R, n_samples, n_units)``, scale what the next layer sees (inverted
        dropout); the returned outputs are before the mask. Returns the list
        of layer outputs, each ``(R, n_samples, n_units)``; the last is the
        reconstruction.
        """
        bufs = self._layer_buffers(Xa.shape[-2])
        outs, inner, product = bufs.outs, bufs.inner, bufs.product
        A = bufs.operand(Xa) if Xa.ndim == 3 else Xa
        last = len(self.W) - 1
        for l, (W, act, out, p_out) in enumerate(zip(bufs.p_W, self.act, outs, bufs.p_outs)):
            product(A, W, out=p_out)
            act(out, out)
            if l < last:
                if masks is None:
                    np.copyto(inner[l], out)
                else:
                    np.multiply(out, masks[l], out=inner[l])
                A = bufs.p_augmented[l]
        return outs

    def loss_and_gradient(self, Xa, Y, prepared=None, masks=None):
        """Per-model loss on one batch; the gradient goes into ``self.grads``.

        ``Xa`` is the augmented input, ``Y`` the reconstruction target,
        ``(n_samples, n_out)`` or ``(R, n_samples, n_out)``, ``prepared``
        is ``self.prepare(Y)`` and ``masks`` the dropout masks of
        :meth:`forward`. Returns an array of shape ``(R,)``.
        """
        outs = self.forward(Xa, masks)
        bufs = self._buffers[Xa.shape[-2]]
        product, operand = bufs.product, bufs.operand
        deltas, work, p_deltas = self._work.get(Xa.shape[-2]) or self._backward_buffers(Xa.shape[-2])
        P = outs[-1]
        if self._fused is not None:
            loss, delta = self._fused[1](P, Y, prepared, work)
        else:
            loss = self.loss(P, Y)
            delta = self._loss_derivative(P, Y)
            self.deriv[-1](P, delta)
        p_delta = operand(delta)
        for l in range(len(self.W) - 1, -1, -1):
            A_T = bufs.p_transposed[l - 1] if l else (operand(Xa) if Xa.ndim == 3 else Xa).swapaxes(-1, -2)
            product(A_T, p_delta, out=bufs.p_G[l])
            if l:
                product(p_delta, bufs.p_WT[l], out=p_deltas[l - 1])
                delta, p_delta = deltas[l - 1], p_deltas[l - 1]
                if masks is not None:
                    delta *= masks[l - 1]
                if self._sparse and l - 1 == self.code_layer:
                    penalty, gradient = kl_sparsity(outs[l - 1], self.sparsity_target)
                    loss = loss + self.sparsity_weight[:, 0, 0] * penalty
                    delta += self.sparsity_weight * gradient
                self.deriv[l - 1](outs[l - 1], delta)
        if self._penalised:
            scale = self.alpha / Xa.shape[-2]
            weights = self.params * self._weight_mask
            loss = loss + 0.5 * scale[:, 0] * per_model_sum(weights, weights)
            self.grads += scale * weights
        return loss
