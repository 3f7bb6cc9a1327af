"""aerepro.symmetry.worker: training in a process whose OpenBLAS uses the kernel it is told."""

import numpy as np

from ae import AutoEncoder
from aerepro.symmetry.worker import blas_kernel, fit_under_kernel


def test_a_child_process_trains_under_the_core_type_it_is_given():
    models = [AutoEncoder((3,), max_iter=20, tol=0.0, random_state=s) for s in (0, 1)]
    fitted, kernel = fit_under_kernel(models, np.eye(6), "Sandybridge")
    assert "Sandybridge" in kernel and blas_kernel()  # the child says which kernel it ran
    assert [m.n_iter_ for m in fitted] == [20, 20]
    assert not np.array_equal(fitted[0].coefs_[0], fitted[1].coefs_[0])  # each its own seed
