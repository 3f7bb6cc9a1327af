"""The encoder family's slice of the ``params.yaml`` schema: the ``family`` block and its runs."""

from ..estimator_checks import estimator, merged_problems
from ..schema import Schema, integer, list_of, named, power_of_two, text, unknown

__all__ = ["SCHEMA"]

_SET_BY_FAMILY = {"hidden_layer_sizes": "family.sizes with family.extra_code_units",
                  "random_state": "family.n_seeds"}

_SIZES = list_of(power_of_two, empty="empty list (no runs to train)")
_N_SEEDS = integer(1)


def _checks(path, value, params):
    """``family.checks``: name -> a small grid of its own (sizes, inits named in family.inits, n_seeds, estimator)."""
    if not isinstance(value, dict):
        return [(path, f"expected a mapping of check name -> grid, got {value!r}")]
    inits = (params.get("family") or {}).get("inits")
    settings = {"sizes": _SIZES, "n_seeds": _N_SEEDS, "inits": list_of(text, empty="empty list (no runs to train)")}
    problems = []
    for name, grid in value.items():
        where = f"{path}.{name}"
        if not isinstance(grid, dict):
            problems.append((where, f"expected a mapping of sizes, inits, n_seeds, estimator, got {grid!r}"))
            continue
        known = [*settings, "estimator"]
        problems += [(f"{where}.{key}", unknown(key, known)) for key in grid if key not in known]
        for key, check in settings.items():
            if key not in grid:
                problems.append((f"{where}.{key}", "missing"))
            elif check(grid[key]):
                problems.append((f"{where}.{key}", check(grid[key])))
        if isinstance(inits, dict) and isinstance(grid.get("inits"), list):
            problems += [(f"{where}.inits", f"unknown init {i!r} (family.inits has {', '.join(map(str, inits))})")
                         for i in grid["inits"] if isinstance(i, str) and i not in inits]
        if "estimator" in grid:
            problems += estimator(overridden=_SET_BY_FAMILY)(f"{where}.estimator", grid["estimator"], params)
    return problems


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
        "family.cost_fit_min_n": integer(2),
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
