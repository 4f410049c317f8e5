"""The shape of a resource plan (POST /v1/venture/resource-plan, and the `resources`
section of a venture report). Money is US dollars; months count from the plan's start."""

from __future__ import annotations

from pydantic import BaseModel, Field

from shared.api.absent import absent_when_none
from shared.venture.assumptions import Assumption
from shared.venture.rates import MonthlyRate, Role


class EstimateBasis(BaseModel):
    basis: str = Field(
        description="`effort and schedule given`, or `COCOMO II.2000 on the sized scope`"
    )
    size_ksloc: float | None = Field(
        default=None,
        exclude_if=absent_when_none,
        description="The sized scope in thousands of source lines (3 decimals); absent "
        "when effort and schedule were given",
    )
    effort_person_months: float = Field(description="Effort planned, person-months")
    schedule_months: float = Field(description="Schedule planned, months")


class Seniority(BaseModel):
    senior: int = Field(description="Senior hires, at least one when the role is staffed")
    mid: int = Field(description="Mid-level hires")
    junior: int = Field(description="Junior hires (a quarter, rounded down)")


class RoleStaffing(BaseModel):
    role: Role = Field(description="The knowledge graph's role id")
    fte: float = Field(description="Full-time equivalents the phase needs, 2 decimals")
    headcount: int = Field(description="Full-time hires: the FTE rounded half up")
    part_time_fte: float = Field(
        description="The FTE left over for part-time work (0 when none), 2 decimals"
    )
    seniority: Seniority = Field(description="How the full-time hires split by seniority")


class PhaseTeam(BaseModel):
    phase: str = Field(description="inception, elaboration, construction or transition")
    months: float = Field(description="The phase's length in months, 2 decimals")
    effort_person_months: float = Field(description="The phase's effort, person-months")
    roles: list[RoleStaffing] = Field(description="Each role the phase staffs")


class PlanMonth(BaseModel):
    month: int = Field(description="1 for the first month of the plan")
    calendar: str = Field(description="The calendar month, YYYY-MM")
    phase: str = Field(description="The phase the month's midpoint falls in")
    headcount: dict[Role, int] = Field(description="Full-time people by role (staffed only)")
    part_time_fte: dict[Role, float] = Field(
        description="Part-time FTE by role (only roles with a part-time share)"
    )
    fte: float = Field(description="Total FTE that month, 2 decimals")
    hires: dict[Role, int] = Field(description="People hired that month, by role")
    releases: dict[Role, int] = Field(description="People released that month, by role")
    month_fraction: float = Field(
        description="The part of the month inside the plan, 0 to 1 (only the last can be "
        "less than 1)"
    )
    payroll_usd: float = Field(description="Payroll for the month's fraction, USD")
    overhead_usd: float = Field(description="Overhead on that payroll, USD")
    burn_usd: float = Field(description="Payroll plus overhead, USD")
    cumulative_burn_usd: float = Field(description="Burn from the first month to this, USD")
    cash_remaining_usd: float = Field(
        description="Funding less the cumulative burn, USD (negative: a gap)"
    )


class ResourcePlan(BaseModel):
    estimate: EstimateBasis = Field(description="The effort and schedule the plan staffs")
    team: list[PhaseTeam] = Field(description="The team by phase, in order")
    peak_headcount: int = Field(description="Most full-time people in any month")
    peak_people: int = Field(description="Most people (full-time and part-time roles) in any month")
    peak_fte: float = Field(description="Most FTE in any month")
    months: list[PlanMonth] = Field(description="The plan month by month")
    funding_usd: float = Field(description="Cash available at the start, USD")
    total_cost_usd: float = Field(description="The plan's total burn, USD")
    runway_months: float | None = Field(
        description="Months the funding lasts at the planned burn (after the plan, the last "
        "month's burn goes on); null when nothing is spent"
    )
    funded_through_launch: bool = Field(description="Whether the funding covers the plan")
    funding_gap_usd: float = Field(description="What the plan costs beyond the funding, USD")
    monthly_rates: dict[Role, MonthlyRate] = Field(description="The rate used for each role")
    assumptions: list[Assumption] = Field(description="What the plan assumes, with sources")
