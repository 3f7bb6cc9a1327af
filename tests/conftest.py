"""Test-wide settings."""

import os

# scikit-learn's estimator checks include an array-API check that only runs
# with this set (it checks that NumPy input under array-API dispatch gives the
# same results); without it the check is skipped rather than run.
os.environ.setdefault("SCIPY_ARRAY_API", "1")
