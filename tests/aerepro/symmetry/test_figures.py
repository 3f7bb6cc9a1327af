"""aerepro.symmetry.figures: a panel per cell of the arm, a line per run with records, the count of what separated."""

import numpy as np
import pandas as pd

from aerepro.symmetry.figures import kernel_spread_figure, spread_figure


def _arm(arm, **cells):
    rows = [{"run": f"{arm}/{i}", "arm": arm, "init_value": c, "dtype": d, "separated_at": s, **cells}
            for i, (c, d, s) in enumerate([(1.0, "float64", 900.0), (0.2, "float32", np.nan)])]
    records = pd.DataFrame([{"run": r["run"], "epoch": e, "unit_spread": (e > 500) * 0.5} for r in rows
                            for e in (0, 100, 1000)])
    return pd.DataFrame(rows), records


def test_the_kernel_figure_has_a_panel_per_core_type_and_configuration_titled_with_what_separated():
    runs, records = _arm("kernel", core_type="Haswell", configuration="16-5-16")
    fig = kernel_spread_figure(records, runs, 0.01)
    (ax,) = [a for a in fig.axes if a.get_title()]
    assert ax.get_title() == "Haswell · 16-5-16\n1 of 2 separated"
    assert len(ax.get_lines()) == 3  # two runs and the separation level
    assert [line.get_linestyle() for line in ax.get_lines()[:2]] == ["-", ":"]  # float64 solid, float32 dotted


def test_the_start_figure_has_a_panel_per_dtype_and_configuration():
    runs, records = _arm("start", configuration="16-4-16")
    fig = spread_figure(records, runs, 0.01)
    assert sorted(a.get_title() for a in fig.axes if a.get_title()) == ["16-4-16 · float32", "16-4-16 · float64"]
