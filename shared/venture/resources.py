"""Resource plan: team composition by phase (roles, FTE, seniority) from the effort
split, a month-by-month hiring plan, burn, and runway for a funding amount."""

from __future__ import annotations

import math
import re
from datetime import date

from pydantic import ConfigDict, Field, field_validator, model_validator

from shared.venture import cocomo
from shared.venture.architecture import choose_stack
from shared.venture.assumptions import Assumption
from shared.venture.blueprint import (
    EstimateInputs,
    Phase,
    effort_split,
    phases_of,
    prioritise,
    role_mix,
    size_of,
)
from shared.venture.rates import ROLES, Role, monthly_rates
from shared.venture.resource_answer import (
    EstimateBasis,
    PhaseTeam,
    PlanMonth,
    ResourcePlan,
    RoleStaffing,
    Seniority,
)

OVERHEAD_SOURCE = "AIA assumption: non-payroll cost (cloud, tools, office, legal) as % of payroll"
SENIORITY_SOURCE = "AIA assumption: a third senior (at least one), a quarter junior, rest mid"


class ResourcePlanRequest(EstimateInputs):
    # a plan by month needs a month at least; below a tenth of a person-month is noise
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "product": {"name": "Acme", "kind": "web"},
                    "features": [
                        {"name": "sign-up", "reach": 1000, "effort": 1},
                        {"name": "forecasting", "reach": 800, "impact": 3, "effort": 3},
                    ],
                    "funding_usd": 500000,
                }
            ]
        }
    )

    effort_person_months: float | None = Field(
        default=None,
        ge=0.1,
        le=1_000_000,
        description="Your own effort estimate in person-months (152 hours each), with "
        "`schedule_months`; null: estimated by COCOMO II from the size",
    )
    schedule_months: float | None = Field(
        default=None,
        ge=1,
        le=600,
        description="Your own schedule in months, with `effort_person_months`",
    )
    funding_usd: float = Field(
        ge=0, le=1e12, description="Cash available at the start, in US dollars"
    )
    overhead_percent: float = Field(
        default=20,
        ge=0,
        le=300,
        description="Costs on top of payroll, in percent of it (20 = 20 %)",
    )
    start_month: str | None = Field(default=None, description="YYYY-MM; default this month")

    @field_validator("start_month")
    @classmethod
    def _month(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"20\d\d-(0[1-9]|1[0-2])", value):
            raise ValueError("start_month must look like 2026-01")
        return value

    @model_validator(mode="after")
    def _sized(self) -> ResourcePlanRequest:
        given = (self.effort_person_months is None, self.schedule_months is None)
        if given[0] != given[1]:
            raise ValueError("give effort_person_months and schedule_months together")
        if self.effort_person_months is None and not self.has_size():
            raise ValueError(
                "give effort_person_months and schedule_months, or features, "
                "function_points or size_ksloc"
            )
        return self


def staff(fte: float) -> tuple[int, float]:
    """Full-time people for a role's FTE (rounded half up) and the part-time remainder
    (paid for the FTE it covers): 1.36 FTE is one hire plus 0.36 part-time; 0.97 is one
    hire; 0.38 is part-time only."""
    people = math.floor(fte + 0.5)
    return people, round(max(0.0, fte - people), 4)


def seniority(role: Role, people: int) -> dict[str, int]:
    if people == 0:
        return {"senior": 0, "mid": 0, "junior": 0}
    if role in ("role:tech-lead", "role:product-manager"):
        return {"senior": people, "mid": 0, "junior": 0}
    senior = max(1, round(people / 3))
    junior = people // 4
    return {"senior": senior, "mid": max(0, people - senior - junior), "junior": junior}


def _phases(req: ResourcePlanRequest) -> tuple[list[Phase], EstimateBasis]:
    if req.effort_person_months is not None and req.schedule_months is not None:
        basis = EstimateBasis(
            basis="effort and schedule given",
            effort_person_months=req.effort_person_months,
            schedule_months=req.schedule_months,
        )
        return effort_split(req.effort_person_months, req.schedule_months), basis
    _, _, language = choose_stack(req.product)
    size = size_of(req, prioritise(req.features), language)
    est = cocomo.estimate(size.ksloc, req.scale_factors, req.cost_drivers)
    basis = EstimateBasis(
        basis="COCOMO II.2000 on the sized scope",
        size_ksloc=round(size.ksloc, 3),
        effort_person_months=round(est.effort_person_months, 2),
        schedule_months=round(est.schedule_months, 2),
    )
    return phases_of(est.effort_person_months, est.schedule_months), basis


def plan_resources(req: ResourcePlanRequest, today: date) -> ResourcePlan:
    phases, basis = _phases(req)
    rates = monthly_rates(req.region, req.rates)
    rate = {role: rates[role].monthly_usd for role in ROLES}
    composition = []
    staffing: list[tuple[Phase, dict[Role, float]]] = []
    for phase in phases:
        fte = {
            role: phase.effort_person_months * share / phase.months
            for role, share in role_mix(phase.name, req.product.kind).items()
        }
        staffing.append((phase, fte))
        composition.append(
            PhaseTeam(
                phase=phase.name,
                months=round(phase.months, 2),
                effort_person_months=round(phase.effort_person_months, 2),
                roles=[
                    RoleStaffing(
                        role=role,
                        fte=round(value, 2),
                        headcount=staff(value)[0],
                        part_time_fte=round(staff(value)[1], 2),
                        seniority=Seniority(**seniority(role, staff(value)[0])),
                    )
                    for role, value in fte.items()
                ],
            )
        )
    months, full_month_burn = _monthly(req, staffing, rate, today)
    total_burn = months[-1].cumulative_burn_usd if months else 0.0
    return ResourcePlan(
        estimate=basis,
        team=composition,
        peak_headcount=max((sum(m.headcount.values()) for m in months), default=0),
        peak_people=max((len(m.headcount) + len(m.part_time_fte) for m in months), default=0),
        peak_fte=max((m.fte for m in months), default=0.0),
        months=months,
        funding_usd=req.funding_usd,
        total_cost_usd=round(total_burn, 2),
        runway_months=_runway(req.funding_usd, months, full_month_burn),
        funded_through_launch=req.funding_usd >= total_burn,
        funding_gap_usd=round(max(0.0, total_burn - req.funding_usd), 2),
        monthly_rates=rates,
        assumptions=[
            Assumption(
                name="staffing",
                value="FTE rounded half up to hires; the remainder part-time",
                unit="",
                source="AIA assumption: part-time work is paid for the FTE it covers",
            ),
            Assumption(
                name="seniority mix",
                value="1/3 senior, 1/4 junior",
                unit="of each role",
                source=SENIORITY_SOURCE,
            ),
            Assumption(
                name="overhead",
                value=req.overhead_percent,
                unit="% of payroll",
                source=OVERHEAD_SOURCE,
            ),
            Assumption(
                name="hiring timing",
                value="in the month a role is first needed",
                unit="",
                source="AIA assumption; recruit earlier in practice",
            ),
            Assumption(
                name="runway after launch",
                value="the last month's burn continues",
                unit="",
                source="AIA assumption",
            ),
        ],
    )


def _monthly(
    req: ResourcePlanRequest,
    staffing: list[tuple[Phase, dict[Role, float]]],
    rate: dict[Role, float],
    today: date,
) -> tuple[list[PlanMonth], float]:
    """The months of the plan, and the burn of a whole month at the last month's staffing
    (from exact figures: the last month's rounded fraction can be 0)."""
    end = staffing[-1][0].end_month
    year, month = (
        int(x) for x in (req.start_month or f"{today.year}-{today.month:02d}").split("-")
    )
    rows: list[PlanMonth] = []
    previous: dict[Role, int] = {}
    cumulative = full_month_burn = 0.0
    for index in range(math.ceil(end - 1e-9)):
        midpoint = index + 0.5
        phase, fte = next(
            ((p, f) for p, f in staffing if p.start_month <= midpoint < p.end_month), staffing[-1]
        )
        # a month only partly inside the plan pays for the part it covers
        fraction = min(1.0, end - index)
        people = {role: staff(value)[0] for role, value in fte.items()}
        part_time = {role: staff(value)[1] for role, value in fte.items() if staff(value)[1]}
        full_payroll = sum(n * rate[r] for r, n in people.items()) + sum(
            v * rate[r] for r, v in part_time.items()
        )
        full_month_burn = full_payroll * (1 + req.overhead_percent / 100)
        payroll = fraction * full_payroll
        overhead = payroll * req.overhead_percent / 100
        cumulative += payroll + overhead
        hires = {r: n - previous.get(r, 0) for r, n in people.items() if n > previous.get(r, 0)}
        releases = {r: n - people.get(r, 0) for r, n in previous.items() if n > people.get(r, 0)}
        rows.append(
            PlanMonth(
                month=index + 1,
                calendar=_calendar(year, month, index),
                phase=phase.name,
                headcount={r: n for r, n in people.items() if n},
                part_time_fte={r: round(v, 2) for r, v in part_time.items()},
                fte=round(sum(fte.values()), 2),
                hires=hires,
                releases=releases,
                month_fraction=round(fraction, 4),
                payroll_usd=round(payroll, 2),
                overhead_usd=round(overhead, 2),
                burn_usd=round(payroll + overhead, 2),
                cumulative_burn_usd=round(cumulative, 2),
                cash_remaining_usd=round(req.funding_usd - cumulative, 2),
            )
        )
        previous = people
    return rows, full_month_burn


def _runway(funding: float, months: list[PlanMonth], last: float) -> float | None:
    """Months of funding at the planned burn; after the plan the last month's burn goes
    on. None when nothing is spent."""
    cash = funding
    for row in months:
        burn = row.burn_usd
        if burn > cash:
            return round(row.month - 1 + cash / burn, 2)
        cash -= burn
    if not months or last <= 0:
        return None
    return round(len(months) + cash / last, 2)


def _calendar(year: int, month: int, offset: int) -> str:
    """The YYYY-MM `offset` months after year-month."""
    months = year * 12 + month - 1 + offset
    return f"{months // 12}-{months % 12 + 1:02d}"
