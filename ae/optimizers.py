"""Optimizers for a stack of models.

Parameters and gradients are one ``(n_models, n_params)`` array each; every
hyperparameter is given per model (shape ``(n_models,)``) and stored
broadcast to the parameters' shape, so one update serves the whole stack
(same-shape operands are twice as fast as broadcasting a column on these
small arrays). State arrays
are shaped like the parameters and start at zero. Hyperparameters and state
are of the parameters' dtype (``dtype``, float64 or float32), so a float32
stack is updated in float32 throughout. ``take(index)`` keeps the rows of
the models that go on training.
"""

import numpy as np

__all__ = ["SOLVERS", "RMSProp", "SGD", "Adam"]


def _full(value, shape, dtype=np.float64):
    column = np.broadcast_to(np.asarray(value, dtype=dtype), shape[:1]).reshape(-1, 1)
    return np.ascontiguousarray(np.broadcast_to(column, shape))


class _Optimizer:
    _hyper = ()
    _state = ()

    def __init__(self, shape, dtype=np.float64, **hyper):
        for name in self._hyper:
            setattr(self, name, _full(hyper[name], shape, dtype))
        for name in self._state:
            setattr(self, name, np.zeros(shape, dtype=dtype))

    def take(self, index):
        """Keep only the models at ``index`` (an integer array)."""
        for name in self._hyper + self._state:
            setattr(self, name, getattr(self, name)[index])


class RMSProp(_Optimizer):
    """RMSProp as Keras: ``a = rho a + (1 - rho) g**2; w -= lr g / (sqrt(a) + eps)``."""

    _hyper = ("learning_rate", "rho", "epsilon")
    _state = ("accumulator",)

    def __init__(self, shape, learning_rate, rho, epsilon, dtype=np.float64):
        super().__init__(shape, dtype, learning_rate=learning_rate, rho=rho, epsilon=epsilon)
        self._one_minus_rho = 1.0 - self.rho

    def take(self, index):
        super().take(index)
        self._one_minus_rho = self._one_minus_rho[index]

    def update_params(self, params, grads):
        """Update ``params`` in place from ``grads``."""
        a = self.accumulator
        a *= self.rho
        a += self._one_minus_rho * (grads * grads)
        step = grads * self.learning_rate
        denom = np.sqrt(a)
        denom += self.epsilon
        step /= denom
        params -= step


class SGD(_Optimizer):
    """SGD with momentum in PyTorch's form: ``v = mu v + g; w -= lr v``."""

    _hyper = ("learning_rate", "momentum")
    _state = ("velocity",)

    def __init__(self, shape, learning_rate, momentum, dtype=np.float64):
        super().__init__(shape, dtype, learning_rate=learning_rate, momentum=momentum)

    def update_params(self, params, grads):
        """Update ``params`` in place from ``grads``."""
        v = self.velocity
        v *= self.momentum
        v += grads
        params -= self.learning_rate * v


class Adam(_Optimizer):
    """Adam with bias correction (Kingma & Ba, 2015, Algorithm 1)."""

    _hyper = ("learning_rate", "beta_1", "beta_2", "epsilon")
    _state = ("m", "v")

    def __init__(self, shape, learning_rate, beta_1, beta_2, epsilon, dtype=np.float64):
        super().__init__(shape, dtype, learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon)
        self.t = 0

    def update_params(self, params, grads):
        """Update ``params`` in place from ``grads``."""
        self.t += 1
        m, v = self.m, self.v
        m *= self.beta_1
        m += (1.0 - self.beta_1) * grads
        v *= self.beta_2
        v += (1.0 - self.beta_2) * (grads * grads)
        m_hat = m / (1.0 - self.beta_1**self.t)
        v_hat = v / (1.0 - self.beta_2**self.t)
        denom = np.sqrt(v_hat)
        denom += self.epsilon
        params -= self.learning_rate * m_hat / denom


#: solver name -> (class, the estimator parameters it reads, by its own names)
SOLVERS = {
    "rmsprop": (RMSProp, {"learning_rate": "learning_rate_init", "rho": "rho", "epsilon": "epsilon"}),
    "sgd": (SGD, {"learning_rate": "learning_rate_init", "momentum": "momentum"}),
    "adam": (
        Adam,
        {"learning_rate": "learning_rate_init", "beta_1": "beta_1", "beta_2": "beta_2", "epsilon": "epsilon"},
    ),
}
