"""Optimizers for a stack of models.

Parameters and gradients are one ``(n_models, n_params)`` array each; every
hyperparameter is given per model (shape ``(n_models,)``) and stored
broadcast to the parameters' shape, so one update serves the whole stack
(same-shape operands are twice as fast as broadcasting a column on these
small arrays), or held as one 0-d array when every model shares it and the
update only adds, multiplies or divides by it (a scalar operand is faster
still and gives the same bits). State arrays
are shaped like the parameters and start at zero. Hyperparameters and state
are of the parameters' dtype (``dtype``, float64 or float32), so a float32
stack is updated in float32 throughout. ``take(index)`` keeps the rows of
the models that go on training.
"""

import numpy as np

__all__ = ["SOLVERS", "RMSProp", "SGD", "Adam"]


def _full(value, shape, dtype=np.float64, shared=False):
    """``value`` per model broadcast to ``shape``; a 0-d array when ``shared`` and every model has the same value."""
    column = np.broadcast_to(np.asarray(value, dtype=dtype), shape[:1]).reshape(-1, 1)
    if shared and column.size and (column == column[0]).all():
        return column[0, 0].copy()
    return np.ascontiguousarray(np.broadcast_to(column, shape))


def _scratch(like, n):
    """``n`` work arrays shaped like ``like``: the update's temporaries, written in place every step."""
    return [np.empty_like(like) for _ in range(n)]


class _Optimizer:
    _hyper = ()
    _state = ()
    #: Hyperparameters held as one 0-d array when every model shares their
    #: value: those the update only adds, multiplies or divides by, which
    #: give the same bits from a 0-d operand and read one array less.
    _shared = ()

    def __init__(self, shape, dtype=np.float64, **hyper):
        for name in self._hyper:
            setattr(self, name, _full(hyper[name], shape, dtype, shared=name in self._shared))
        for name in self._state:
            setattr(self, name, np.zeros(shape, dtype=dtype))

    def take(self, index):
        """Keep only the models at ``index`` (an integer array)."""
        for name in self._hyper + self._state:
            value = getattr(self, name)
            setattr(self, name, value[index] if value.ndim else value)


class RMSProp(_Optimizer):
    """RMSProp as Keras: ``a = rho a + (1 - rho) g**2; w -= lr g / (sqrt(a) + eps)``."""

    _hyper = ("learning_rate", "rho", "epsilon")
    _state = ("accumulator",)
    _shared = _hyper

    def __init__(self, shape, learning_rate, rho, epsilon, dtype=np.float64):
        super().__init__(shape, dtype, learning_rate=learning_rate, rho=rho, epsilon=epsilon)
        self._one_minus_rho = np.subtract(1.0, self.rho, dtype=self.rho.dtype, out=np.empty_like(self.rho))
        self._scratch = _scratch(self.accumulator, 2)

    def take(self, index):
        super().take(index)
        if self._one_minus_rho.ndim:
            self._one_minus_rho = self._one_minus_rho[index]
        self._scratch = _scratch(self.accumulator, 2)

    def update_params(self, params, grads):
        """Update ``params`` in place from ``grads``."""
        a = self.accumulator
        square, step = self._scratch
        a *= self.rho
        np.multiply(grads, grads, out=square)
        square *= self._one_minus_rho
        a += square
        np.multiply(grads, self.learning_rate, out=step)
        denom = np.sqrt(a, out=square)
        denom += self.epsilon
        step /= denom
        params -= step


class SGD(_Optimizer):
    """SGD with momentum in PyTorch's form: ``v = mu v + g; w -= lr v``."""

    _hyper = ("learning_rate", "momentum")
    _state = ("velocity",)
    _shared = _hyper

    def __init__(self, shape, learning_rate, momentum, dtype=np.float64):
        super().__init__(shape, dtype, learning_rate=learning_rate, momentum=momentum)
        self._scratch = _scratch(self.velocity, 1)

    def take(self, index):
        super().take(index)
        self._scratch = _scratch(self.velocity, 1)

    def update_params(self, params, grads):
        """Update ``params`` in place from ``grads``."""
        v = self.velocity
        v *= self.momentum
        v += grads
        params -= np.multiply(self.learning_rate, v, out=self._scratch[0])


class Adam(_Optimizer):
    """Adam with bias correction (Kingma & Ba, 2015, Algorithm 1)."""

    _hyper = ("learning_rate", "beta_1", "beta_2", "epsilon")
    _state = ("m", "v")
    _shared = ("learning_rate", "epsilon")  # the betas' powers are taken elementwise, as always

    def __init__(self, shape, learning_rate, beta_1, beta_2, epsilon, dtype=np.float64):
        super().__init__(shape, dtype, learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon)
        self.t = 0
        self._complements()

    def _complements(self):
        """``1 - beta_1`` and ``1 - beta_2``, and the update's work arrays, for the models kept."""
        self._one_minus_beta_1, self._one_minus_beta_2 = 1.0 - self.beta_1, 1.0 - self.beta_2
        self._scratch = _scratch(self.m, 2)

    def take(self, index):
        super().take(index)
        self._complements()

    def update_params(self, params, grads):
        """Update ``params`` in place from ``grads``."""
        self.t += 1
        m, v = self.m, self.v
        work, denom = self._scratch
        m *= self.beta_1
        m += np.multiply(self._one_minus_beta_1, grads, out=work)
        v *= self.beta_2
        np.multiply(grads, grads, out=work)
        v += np.multiply(self._one_minus_beta_2, work, out=work)
        m_hat = np.divide(m, 1.0 - self.beta_1**self.t, out=work)
        np.divide(v, 1.0 - self.beta_2**self.t, out=denom)
        np.sqrt(denom, out=denom)
        denom += self.epsilon
        m_hat *= self.learning_rate
        m_hat /= denom
        params -= m_hat


#: solver name -> (class, the estimator parameters it reads, by its own names)
SOLVERS = {
    "rmsprop": (RMSProp, {"learning_rate": "learning_rate_init", "rho": "rho", "epsilon": "epsilon"}),
    "sgd": (SGD, {"learning_rate": "learning_rate_init", "momentum": "momentum"}),
    "adam": (
        Adam,
        {"learning_rate": "learning_rate_init", "beta_1": "beta_1", "beta_2": "beta_2", "epsilon": "epsilon"},
    ),
}
