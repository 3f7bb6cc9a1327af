"""Each optimizer's first steps redone from its formula, one scalar at a time."""

import math

import numpy as np
import pytest

from ae.optimizers import SGD, SOLVERS, Adam, RMSProp

G1 = np.array([[0.5, -0.25, 2.0], [1e-3, 0.0, -4.0]])
G2 = np.array([[-0.1, 0.3, 1.0], [2.0, -1.0, 0.5]])
W0 = np.array([[1.0, 2.0, -1.0], [0.5, 0.0, 3.0]])


def _run(optimizer, dtype=np.float64):
    W = W0.astype(dtype)
    history = []
    for G in (G1, G2):
        optimizer.update_params(W, G.astype(dtype))
        history.append(W.copy())
    return history


def test_rmsprop_two_steps():
    lr, rho, eps = np.array([0.001, 0.01]), np.array([0.9, 0.5]), np.array([1e-8, 1e-3])
    got = _run(RMSProp(W0.shape, lr, rho, eps))
    for r in range(2):
        for j in range(3):
            w, a = W0[r, j], 0.0
            for step, G in enumerate((G1, G2)):
                g = G[r, j]
                a = rho[r] * a + (1 - rho[r]) * g * g
                w = w - lr[r] * g / (math.sqrt(a) + eps[r])
                assert math.isclose(got[step][r, j], w, rel_tol=1e-14, abs_tol=1e-15)


def test_sgd_momentum_two_steps():
    lr, mu = np.array([0.1, 0.01]), np.array([0.9, 0.0])
    got = _run(SGD(W0.shape, lr, mu))
    for r in range(2):
        for j in range(3):
            w, v = W0[r, j], 0.0
            for step, G in enumerate((G1, G2)):
                v = mu[r] * v + G[r, j]
                w = w - lr[r] * v
                assert math.isclose(got[step][r, j], w, rel_tol=1e-14, abs_tol=1e-15)


def test_adam_two_steps():
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
    got = _run(Adam(W0.shape, lr, b1, b2, eps))
    for r in range(2):
        for j in range(3):
            w, m, v = W0[r, j], 0.0, 0.0
            for t, G in enumerate((G1, G2), start=1):
                g = G[r, j]
                m = b1 * m + (1 - b1) * g
                v = b2 * v + (1 - b2) * g * g
                m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
                w = w - lr * m_hat / (math.sqrt(v_hat) + eps)
                assert math.isclose(got[t - 1][r, j], w, rel_tol=1e-12, abs_tol=1e-15)


def test_take_keeps_the_state_of_the_kept_models():
    opt = RMSProp(W0.shape, [0.1, 0.2], 0.9, 1e-8)
    W = W0.copy()
    opt.update_params(W, G1.copy())
    acc = opt.accumulator[1].copy()
    opt.take(np.array([1]))
    np.testing.assert_array_equal(opt.accumulator, acc[None])
    np.testing.assert_array_equal(opt.learning_rate, np.full((1, 3), 0.2))


@pytest.mark.parametrize("solver", sorted(SOLVERS))
def test_float32_optimizers_hold_and_update_in_float32(solver):
    cls, names = SOLVERS[solver]
    hyper = {"learning_rate": 0.01, "rho": 0.9, "momentum": 0.5, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7}
    kw = {k: hyper[k] for k in names}
    got = _run(cls(W0.shape, dtype=np.float32, **kw), np.float32)
    want = _run(cls(W0.shape, **kw))
    opt = cls(W0.shape, dtype=np.float32, **kw)
    for name in opt._hyper + opt._state:
        assert getattr(opt, name).dtype == np.float32, name
    for a, b in zip(got, want):
        assert a.dtype == np.float32
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
