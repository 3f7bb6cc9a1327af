"""Test-wide settings."""

import os
import shutil
import tempfile

# scikit-learn's estimator checks include an array-API check that only runs
# with this set (it checks that NumPy input under array-API dispatch gives the
# same results); without it the check is skipped rather than run.
os.environ.setdefault("SCIPY_ARRAY_API", "1")

# params files that passed the checks are remembered in a cache folder
# (aerepro.params); the tests, and the stages they run, keep theirs apart from
# the user's and start from an empty one.
os.environ["AEREPRO_CACHE_DIR"] = _CACHE = tempfile.mkdtemp(prefix="aerepro-test-cache-")


def pytest_unconfigure(config):
    shutil.rmtree(_CACHE, ignore_errors=True)


def pytest_report_header(config):
    """The BLAS kernel in use: floating-point rounding depends on it (OPENBLAS_CORETYPE selects another)."""
    import numpy  # noqa: F401 - loads the BLAS that threadpoolctl then reports
    from threadpoolctl import threadpool_info

    blas = [f"{i['internal_api']} {i.get('version')} ({i.get('architecture')} kernel)"
            for i in threadpool_info() if i["user_api"] == "blas"]
    return "BLAS: " + ", ".join(blas)
