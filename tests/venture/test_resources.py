"""Resource plan: team by phase from the effort split, monthly hiring, burn, runway."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from shared.venture.rates import monthly_rates
from shared.venture.resources import ResourcePlanRequest, plan_resources, seniority, staff


def plan(**body: Any) -> dict[str, Any]:
    plan = plan_resources(ResourcePlanRequest.model_validate(body), date(2026, 3, 15))
    return plan.model_dump(mode="json")  # as the API sends it


def test_fte_by_phase_is_the_phase_effort_over_its_months() -> None:
    result = plan(product="Acme", effort_person_months=24, schedule_months=12, funding_usd=1e6)
    construction = next(p for p in result["team"] if p["phase"] == "construction")
    # construction: 76 % of 24 PM = 18.24 PM over 62.5 % of 12 months = 7.5 months
    assert construction["effort_person_months"] == 18.24 and construction["months"] == 7.5
    backend = next(r for r in construction["roles"] if r["role"] == "role:backend-developer")
    assert backend["fte"] == pytest.approx(18.24 * 0.35 / 7.5, abs=0.01)  # 0.85 FTE
    assert backend["headcount"] == 1
    total_fte_months = sum(r["fte"] * p["months"] for p in result["team"] for r in p["roles"])
    assert total_fte_months == pytest.approx(24 * 1.18, abs=0.1)  # inception + transition on top


def test_staffing_rounds_half_up_and_keeps_the_remainder_part_time() -> None:
    assert staff(1.36) == (1, 0.36)
    assert staff(0.97) == (1, 0.0)
    assert staff(0.38) == (0, 0.38)
    assert staff(2.5) == (3, 0.0)
    assert seniority("role:backend-developer", 6) == {"senior": 2, "mid": 3, "junior": 1}
    assert seniority("role:tech-lead", 2) == {"senior": 2, "mid": 0, "junior": 0}


def test_monthly_plan_hires_when_needed_and_burns_payroll_plus_overhead() -> None:
    result = plan(
        product="Acme",
        effort_person_months=24,
        schedule_months=12,
        funding_usd=1e6,
        overhead_percent=25,
        start_month="2026-11",
    )
    months = result["months"]
    assert len(months) == 15  # 12 x 1.25 lifecycle months
    assert [m["calendar"] for m in months[:3]] == ["2026-11", "2026-12", "2027-01"]
    first = months[0]
    assert first["phase"] == "inception" and first["hires"] == first["headcount"]
    rates = monthly_rates("north_america")
    payroll = sum(n * rates[r].monthly_usd for r, n in first["headcount"].items())
    payroll += sum(v * rates[r].monthly_usd for r, v in first["part_time_fte"].items())
    assert first["payroll_usd"] == pytest.approx(payroll, rel=1e-3)  # FTEs shown rounded
    assert first["burn_usd"] == pytest.approx(first["payroll_usd"] * 1.25, abs=0.01)
    assert months[-1]["cumulative_burn_usd"] == pytest.approx(
        sum(m["burn_usd"] for m in months), abs=1
    )
    # headcount changes are hires or releases
    for before, after in itertools.pairwise(months):
        for role in set(before["headcount"]) | set(after["headcount"]):
            delta = after["headcount"].get(role, 0) - before["headcount"].get(role, 0)
            assert after["hires"].get(role, 0) - after["releases"].get(role, 0) == delta


def test_runway_and_funding_gap() -> None:
    rich = plan(product="Acme", size_ksloc=10, funding_usd=5e6)
    assert rich["funded_through_launch"] is True and rich["funding_gap_usd"] == 0
    total, months = rich["total_cost_usd"], rich["months"]
    last_full_burn = months[-1]["burn_usd"] / months[-1]["month_fraction"]
    assert rich["runway_months"] == pytest.approx(
        len(months) + (5e6 - total) / last_full_burn, abs=0.01
    )
    poor = plan(product="Acme", size_ksloc=10, funding_usd=200_000)
    assert poor["funded_through_launch"] is False
    assert poor["funding_gap_usd"] == pytest.approx(poor["total_cost_usd"] - 200_000, abs=0.01)
    spent, month = 0.0, 0
    while spent + poor["months"][month]["burn_usd"] <= 200_000:
        spent += poor["months"][month]["burn_usd"]
        month += 1
    assert month <= poor["runway_months"] < month + 1


def test_from_a_size_the_plan_uses_cocomo() -> None:
    result = plan(product="Acme", size_ksloc=10, funding_usd=1e6)
    assert result["estimate"]["effort_person_months"] == 36.99
    assert result["peak_people"] >= result["peak_headcount"] >= 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"product": "a", "funding_usd": 1}, "give effort_person_months and schedule_months, or"),
        ({"product": "a", "effort_person_months": 5, "funding_usd": 1}, "together"),
        ({"product": "a", "size_ksloc": 5, "funding_usd": -1}, "greater than or equal to 0"),
        (
            {"product": "a", "size_ksloc": 5, "funding_usd": 1, "start_month": "2026-13"},
            "start_month",
        ),
    ],
)
def test_nonsense_is_rejected(body: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        ResourcePlanRequest.model_validate(body)
