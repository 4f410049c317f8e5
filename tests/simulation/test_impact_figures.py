"""The impact preview's figures from hand-made series: which months each horizon reads,
the units of each difference, the mean, range and t-interval over seeds, and refusal of
a difference that is not a number."""

from __future__ import annotations

import math

import pytest

from shared.ports.impact import ImpactFigure
from shared.simulation.impact_figures import MEASURES, MONTHS, figures, headlines


def series(**overrides: list[float]) -> dict[str, list[float]]:
    flat = {m.name: [1.0] * MONTHS for m in MEASURES}
    return {**flat, **overrides}


def row(rows: list[ImpactFigure], measure: str, years: int) -> ImpactFigure:
    [found] = [r for r in rows if r.measure == measure and r.years == years]
    return found


def test_rates_are_yearly_means_in_points_and_stocks_are_levels() -> None:
    # unemployment 5 % in the first year, then 6 % for the changed run from month 13 on
    unchanged = series(unemployment_rate=[0.05] * MONTHS, public_debt_ratio=[0.5] * MONTHS)
    changed_u = [0.05] * 12 + [0.06] * (MONTHS - 12)
    # debt rises a point a month in the tenth year: the level at the horizon counts
    changed_debt = [0.5] * (MONTHS - 12) + [0.5 + 0.01 * (i + 1) for i in range(12)]
    changed = series(unemployment_rate=changed_u, public_debt_ratio=changed_debt)
    rows = figures([(changed, unchanged)])
    assert row(rows, "unemployment_rate", 1).mean == 0
    assert row(rows, "unemployment_rate", 5).mean == pytest.approx(1.0)  # percentage points
    assert row(rows, "public_debt_ratio", 5).mean == 0
    assert row(rows, "public_debt_ratio", 10).mean == pytest.approx(12.0)
    assert row(rows, "unemployment_rate", 5).unit == "percentage points"


def test_gdp_and_token_supply_are_relative_to_the_unchanged_run() -> None:
    unchanged = series(gdp_real=[200.0] * MONTHS, aia_supply=[1000.0] * MONTHS)
    changed = series(gdp_real=[210.0] * MONTHS, aia_supply=[990.0] * MONTHS)
    rows = figures([(changed, unchanged)])
    assert row(rows, "gdp_real", 10).mean == pytest.approx(5.0)
    assert row(rows, "aia_supply", 1).mean == pytest.approx(-1.0)
    assert row(rows, "gdp_real", 10).unit == "% of the unchanged value"


def test_the_interval_over_seeds() -> None:
    base = series(inflation=[0.02] * MONTHS)
    runs = [(series(inflation=[0.02 + d] * MONTHS), base) for d in (0.001, 0.002, 0.006)]
    r = row(figures(runs), "inflation", 10)
    assert r.per_seed == pytest.approx([0.1, 0.2, 0.6])
    assert (r.low, r.high) == pytest.approx((0.1, 0.6))
    assert r.mean == pytest.approx(0.3)
    # sd 0.264575, n 3: half-width 4.303 x 0.264575 / sqrt(3)
    half = 4.303 * math.sqrt(((0.2) ** 2 + 0.1**2 + 0.3**2) / 2) / math.sqrt(3)
    assert (r.t_low, r.t_high) == pytest.approx((0.3 - half, 0.3 + half), abs=1e-5)
    one = row(figures(runs[:1]), "inflation", 10)
    assert one.t_low is None and one.t_high is None
    assert [h.title for h in headlines(figures(runs))] == [m.title for m in MEASURES]


def test_a_difference_that_is_not_a_number_fails_the_preview() -> None:
    with pytest.raises(ValueError, match="gdp_real"):
        figures([(series(), series(gdp_real=[0.0] * MONTHS))])
    with pytest.raises(ValueError, match="before 10 years"):
        figures([(series(inflation=[0.0] * 100), series())])
