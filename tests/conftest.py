"""Test-wide settings."""

import os

# scikit-learn's estimator checks include an array-API check that only runs
# with this set (it checks that NumPy input under array-API dispatch gives the
# same results); without it the check is skipped rather than run.
os.environ.setdefault("SCIPY_ARRAY_API", "1")


def pytest_report_header(config):
    """The BLAS kernel in use: floating-point rounding depends on it (OPENBLAS_CORETYPE selects another)."""
    import numpy  # noqa: F401 - loads the BLAS that threadpoolctl then reports
    from threadpoolctl import threadpool_info

    blas = [f"{i['internal_api']} {i.get('version')} ({i.get('architecture')} kernel)"
            for i in threadpool_info() if i["user_api"] == "blas"]
    return "BLAS: " + ", ".join(blas)
