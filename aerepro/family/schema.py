"""The encoder family's slice of the ``params.yaml`` schema: the ``family`` block and its runs."""

from ..estimator_checks import estimator, merged_problems
from ..schema import Schema, arms, integer, list_of, lookup, named, power_of_two, setting, text

__all__ = ["SCHEMA"]

_SET_BY_FAMILY = {"hidden_layer_sizes": "family.sizes with family.extra_code_units",
                  "random_state": "family.n_seeds"}

_SIZES = list_of(power_of_two, empty="empty list (no runs to train)")
_N_SEEDS = integer(1)


def _inits(path, value, params):
    """A check's ``inits``: names of ``family.inits``."""
    problem = list_of(text, empty="empty list (no runs to train)")(value)
    if problem:
        return [(path, problem)]
    inits = lookup(params, "family.inits")
    known = ", ".join(map(str, inits)) if isinstance(inits, dict) else ""
    return [(path, f"unknown init {i!r} (family.inits has {known})")
            for i in value if isinstance(inits, dict) and i not in inits]


#: ``family.checks``: name -> a small grid of its own (sizes, inits named in family.inits, n_seeds, estimator).
_checks = arms({"sizes": setting(_SIZES), "n_seeds": setting(_N_SEEDS), "inits": _inits,
                "estimator": estimator(overridden=_SET_BY_FAMILY)}, "check", optional=("estimator",))


def _runs(view, clean):
    """One merged run per family init and check (sizes and seeds change nothing the estimator cross-checks)."""
    family = view.get("family")
    if not (isinstance(family, dict) and "estimator" in family and clean("family.estimator")
            and isinstance(family.get("inits"), dict)):
        return []
    runs = [(f"family init {name}", {**family["estimator"], **init})
            for name, init in family["inits"].items() if clean(f"family.inits.{name}")]
    checks = family.get("checks")
    if isinstance(checks, dict) and clean("family.checks") and clean("family.inits"):
        runs += [(f"family check {name} init {init}", {**family["estimator"], **family["inits"][init],
                                                       **(grid.get("estimator") or {})})
                 for name, grid in checks.items() for init in grid["inits"]]
    return merged_problems(runs)


SCHEMA = Schema(
    settings={
        "family.sizes": _SIZES,
        "family.extra_code_units": list_of(integer(0, 16), empty="empty list (no runs to train)"),
        "family.n_seeds": _N_SEEDS,
        "family.max_stack": integer(1, none=True),
    },
    blocks={
        "family.estimator": estimator(overridden=_SET_BY_FAMILY),
        "family.inits": named(estimator(overridden=_SET_BY_FAMILY)),
        "family.checks": _checks,
    },
    optional=frozenset({"family.checks"}),
    runs=(_runs,),
    sections=frozenset({"family"}),
)
