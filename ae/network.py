"""A stack of fully connected networks of one architecture.

``R`` models with the same layer sizes and activations are held in one
parameter array of shape ``(R, n_params)``. Layer ``l`` is a view of it,
``(R, n_in + 1, n_out)``: the weights with the bias as an extra last row,
so that ``[a, 1] @ W_l`` is ``a @ W + b`` and one batched product gives
both the weight and the bias gradient. Optimizers update the whole flat array at once,
which is what makes a single small model cheap (few NumPy calls per epoch)
and a large stack fast (one call serves every model).
"""

import numpy as np

from .activations import activation, derivative
from .losses import LOSS_DERIVATIVES, LOSSES, OUTPUT_DELTAS, kl_sparsity, per_model_sum

__all__ = ["Stack", "layer_shapes", "pack", "unpack", "forward"]


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


def forward(X, coefs, intercepts, activations, slope, start=0, stop=None):
    """Propagate ``X`` through layers ``start`` to ``stop`` (exclusive) of one model.

    ``activations`` names each layer's activation. Returns the last layer's
    output; plain 2-D arrays, for ``transform`` and ``predict``.
    """
    A = X
    with np.errstate(over="ignore"):
        for W, b, name in list(zip(coefs, intercepts, activations))[start:stop]:
            Z = A @ W
            Z += b
            A = activation(name, slope)(Z, Z)
    return A


class Stack:
    """``R`` networks of one architecture trained together.

    Parameters
    ----------
    layer_sizes : list of int
        Units per layer, input first, output last.
    activations : list of str
        Activation of each non-input layer.
    loss : str
        Key of :data:`ae.losses.LOSSES`.
    slope : float
        Negative slope of ``leaky_relu``.
    params : ndarray of shape (R, n_params)
        Initial parameters; the stack owns this array and updates it in place.
    alpha : array-like of shape (R,)
        L2 penalty per model (weights only, not biases).
    sparsity_weight, sparsity_target : array-like of shape (R,), default=None
        KL sparsity penalty on the code layer (the first narrowest hidden
        layer) per model: weight and target mean activation.
    """

    def __init__(self, layer_sizes, activations, loss, slope, params, alpha, sparsity_weight=None, sparsity_target=None):
        self.layer_sizes = list(layer_sizes)
        self.shapes = layer_shapes(self.layer_sizes)
        # leaky_relu's slope is bound here, once: each layer function takes two arrays.
        self.act = [activation(a, slope) for a in activations]
        self.deriv = [derivative(a, slope) for a in activations]
        self.loss = LOSSES[loss]
        self._loss_derivative = LOSS_DERIVATIVES[loss]
        self._fused = OUTPUT_DELTAS.get((loss, activations[-1]))
        self.slope = slope
        self.params = params
        self.alpha = np.asarray(alpha, dtype=np.float64).reshape(-1, 1)
        R = params.shape[0]
        self.sparsity_weight = np.zeros((R, 1, 1)) if sparsity_weight is None else np.reshape(sparsity_weight, (R, 1, 1)).astype(float)
        self.sparsity_target = np.full((R, 1, 1), 0.05) if sparsity_target is None else np.reshape(sparsity_target, (R, 1, 1)).astype(float)
        self.code_layer = int(np.argmin(self.layer_sizes[1:-1]))
        mask = [np.vstack([np.ones((s[0] - 1, s[1])), np.zeros((1, s[1]))]).ravel() for s in self.shapes]
        self._weight_mask = np.concatenate(mask)
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
            outs = [np.empty((R, n_samples, size)) for size in self.layer_sizes[1:]]
            augmented = []
            for size in self.layer_sizes[1:-1]:
                buf = np.empty((R, n_samples, size + 1))
                buf[..., -1] = 1.0
                augmented.append(buf)
            bufs = (
                outs,
                augmented,
                [a[..., :-1] for a in augmented],
                [np.swapaxes(a, 1, 2) for a in augmented],
            )
            self._buffers[n_samples] = bufs
        return bufs

    def prepare(self, Y):
        """What the loss needs of a batch's targets, computed once per batch."""
        return self._fused[0](Y) if self._fused else None

    @staticmethod
    def augment(X):
        """``[X, 1]``: the input with a column of ones, as :meth:`forward` takes it."""
        ones = np.ones(X.shape[:-1] + (1,))
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
        outs, augmented, inner, _ = self._layer_buffers(Xa.shape[-2])
        A = Xa
        last = len(self.W) - 1
        for l, (W, act, out) in enumerate(zip(self.W, self.act, outs)):
            np.matmul(A, W, out=out)
            act(out, out)
            if l < last:
                if masks is None:
                    np.copyto(inner[l], out)
                else:
                    np.multiply(out, masks[l], out=inner[l])
                A = augmented[l]
        return outs

    def loss_and_gradient(self, Xa, Y, prepared=None, masks=None):
        """Per-model loss on one batch; the gradient goes into ``self.grads``.

        ``Xa`` is the augmented input, ``Y`` the reconstruction target,
        ``(n_samples, n_out)`` or ``(R, n_samples, n_out)``, ``prepared``
        is ``self.prepare(Y)`` and ``masks`` the dropout masks of
        :meth:`forward`. Returns an array of shape ``(R,)``.
        """
        outs = self.forward(Xa, masks)
        augmented_T = self._buffers[Xa.shape[-2]][3]
        P = outs[-1]
        if self._fused is not None:
            loss, delta = self._fused[1](P, Y, prepared)
        else:
            loss = self.loss(P, Y)
            delta = self._loss_derivative(P, Y)
            self.deriv[-1](P, delta)
        for l in range(len(self.W) - 1, -1, -1):
            A_T = augmented_T[l - 1] if l else Xa.swapaxes(-1, -2)
            np.matmul(A_T, delta, out=self.G[l])
            if l:
                delta = np.matmul(delta, self.WT[l])
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
