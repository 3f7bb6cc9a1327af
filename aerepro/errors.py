"""Errors a user can fix, and how a stage reports them: one line each, no traceback."""

import sys

__all__ = ["UserError", "main_guard"]


class UserError(Exception):
    """A problem the user can fix (a bad param, an unreachable store, a missing input).

    Its message says what is wrong and names the value or file; a stage
    run under :func:`main_guard` prints it as ``error:`` lines and exits 2.
    """


def main_guard(main):
    """Run a stage's ``main``; a :class:`UserError` exits 2, one ``error:`` line per line, no traceback."""
    try:
        main()
    except UserError as exc:
        for line in str(exc).splitlines():
            print(f"error: {line}", file=sys.stderr)
        sys.exit(2)
