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


def _reference_step(name, hyper, state, params, grads, t):
    """One update as the optimizers wrote it before their work arrays: full-shape operands, fresh temporaries."""
    if name == "rmsprop":
        a = state["accumulator"]
        a *= hyper["rho"]
        a += (1.0 - hyper["rho"]) * (grads * grads)
        step = grads * hyper["learning_rate"]
        denom = np.sqrt(a)
        denom += hyper["epsilon"]
        step /= denom
        params -= step
    elif name == "sgd":
        v = state["velocity"]
        v *= hyper["momentum"]
        v += grads
        params -= hyper["learning_rate"] * v
    else:
        m, v = state["m"], state["v"]
        m *= hyper["beta_1"]
        m += (1.0 - hyper["beta_1"]) * grads
        v *= hyper["beta_2"]
        v += (1.0 - hyper["beta_2"]) * (grads * grads)
        m_hat = m / (1.0 - hyper["beta_1"] ** t)
        v_hat = v / (1.0 - hyper["beta_2"] ** t)
        denom = np.sqrt(v_hat)
        denom += hyper["epsilon"]
        params -= hyper["learning_rate"] * m_hat / denom


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shared", [True, False])
@pytest.mark.parametrize("solver", sorted(SOLVERS))
def test_updates_in_work_arrays_equal_the_full_shape_formula_bit_for_bit(solver, shared, dtype):
    # Shared hyperparameters are held as 0-d arrays and the temporaries are reused:
    # elementwise +, *, / and sqrt give the same bits from any operand layout.
    cls, names = SOLVERS[solver]
    rng = np.random.default_rng(3)
    shape = (3, 7)
    values = {"learning_rate": 0.01, "rho": 0.9, "momentum": 0.5, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7}
    hyper = {k: np.full(3, values[k]) if shared else values[k] * rng.uniform(0.5, 1.0, 3) for k in names}
    optimizer = cls(shape, dtype=dtype, **hyper)
    full = {k: np.ascontiguousarray(np.broadcast_to(np.asarray(v, dtype)[:, None], shape)) for k, v in hyper.items()}
    state = {k: np.zeros(shape, dtype) for k in cls._state}
    params = rng.normal(size=shape).astype(dtype)
    reference = params.copy()
    for t in range(1, 6):
        grads = rng.normal(size=shape).astype(dtype)
        optimizer.update_params(params, grads)
        _reference_step(solver, full, state, reference, grads, t)
        np.testing.assert_array_equal(params, reference)
        if t == 3:  # models leave the stack: the work arrays follow
            keep = np.array([0, 2])
            optimizer.take(keep)
            params, reference = params[keep], reference[keep]
            full = {k: v[keep] for k, v in full.items()}
            state = {k: v[keep] for k, v in state.items()}
            shape = params.shape
    assert (optimizer.learning_rate.ndim == 0) == shared
