"""Reading ``params.yaml``: one clear line on bad input, never a traceback."""

import sys
from pathlib import Path

import yaml

__all__ = ["ParamsError", "load_params", "main_guard"]


class ParamsError(ValueError):
    """``params.yaml`` cannot be used; the message lists every problem found."""


def load_params(path="params.yaml"):
    """Parse ``path`` as YAML, raising :class:`ParamsError` on syntax errors."""
    try:
        text = Path(path).read_text()
    except OSError as exc:
        raise ParamsError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        params = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise ParamsError(f"{path}: not valid YAML{where}: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(params, dict):
        raise ParamsError(f"{path}: expected a mapping of sections at the top level, got {type(params).__name__}")
    return params


def main_guard(main):
    """Run a stage's ``main``; errors the user can fix exit 2 with a clear message, no traceback."""
    from .tracking import TrackingUnavailable

    try:
        main()
    except (ParamsError, TrackingUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
