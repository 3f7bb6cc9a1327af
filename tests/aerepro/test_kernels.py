"""aerepro.kernels: training in a process whose OpenBLAS uses the kernel it is told."""

import numpy as np
import pytest

from ae import AutoEncoder
from aerepro.kernels import KernelFit, blas_kernel, fit_by_kernel


def test_child_processes_train_at_once_each_under_the_core_type_it_is_given():
    models = [AutoEncoder((3,), max_iter=20, tol=0.0, random_state=s) for s in (0, 1)]
    children = [KernelFit(models, np.eye(6), core) for core in ("Sandybridge", "Haswell")]
    assert all(child._process.poll() is None for child in children)  # both started before either is waited for
    (fitted, sandybridge), (_, haswell) = (child.result() for child in children)
    assert "Sandybridge" in sandybridge and "Haswell" in haswell and blas_kernel()  # each says its kernel
    assert [m.n_iter_ for m in fitted] == [20, 20]
    assert not np.array_equal(fitted[0].coefs_[0], fitted[1].coefs_[0])  # each its own seed


def test_a_failed_child_is_one_error_naming_its_core_type_and_a_stopped_one_leaves_nothing():
    child = KernelFit([AutoEncoder((3,), max_iter=20)], np.full((4, 6), np.nan), "Haswell")
    with pytest.raises(RuntimeError, match="OPENBLAS_CORETYPE=Haswell failed"):
        child.result()
    running = KernelFit([AutoEncoder((3,), max_iter=10**7, tol=0.0)], np.eye(6), "Haswell")
    running.stop()
    assert running._process.returncode is not None and not running._done.parent.exists()


def test_fit_by_kernel_trains_each_run_under_its_core_type_and_matches_a_local_fit():
    def models():
        return [AutoEncoder((3,), max_iter=30, tol=0.0, random_state=s) for s in (0, 1, 2)]

    alone = models()
    for m in alone:
        m.fit(np.eye(6))
    mixed = models()
    kernels = fit_by_kernel(mixed, np.eye(6), ["", "Haswell", ""], 1, ["a", "b", "c"])
    assert kernels[0] == kernels[2] == blas_kernel() and "Haswell" in kernels[1]
    assert all(m.n_iter_ == 30 for m in mixed)
    # the local runs are the runs trained alone, bit for bit; the other kernel's run is its own seed's
    for i in (0, 2):
        assert all(np.array_equal(a, b) for a, b in zip(alone[i].coefs_, mixed[i].coefs_))
    np.testing.assert_allclose(mixed[1].coefs_[0], alone[1].coefs_[0], rtol=1e-6)
