"""Role cost rates by region: a sourced US base, stated multipliers, and the caller's
own rates whenever given (they always win)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from shared.venture.sectors import RegionOrGlobal

# The roles a plan staffs, by the knowledge graph's ids (`GET /v1/graph/nodes?kind=role`):
# one vocabulary across the API (tests/venture prove each is in the graph's registry).
Role = Literal[
    "role:product-manager",
    "role:tech-lead",
    "role:backend-developer",
    "role:frontend-developer",
    "role:product-designer",
    "role:qa-engineer",
    "role:devops-engineer",
]
ROLES: tuple[Role, ...] = (
    "role:product-manager",
    "role:tech-lead",
    "role:backend-developer",
    "role:frontend-developer",
    "role:product-designer",
    "role:qa-engineer",
    "role:devops-engineer",
)

BLS = "US BLS Occupational Employment and Wage Statistics, May 2023 median annual wage"
# US median annual wages; the source says which are BLS figures and which are ours.
US_ANNUAL_WAGE: dict[Role, tuple[float, str]] = {
    "role:backend-developer": (132_270, f"{BLS}, software developers"),
    "role:frontend-developer": (132_270, f"{BLS}, software developers"),
    "role:devops-engineer": (132_270, f"{BLS}, software developers (proxy)"),
    "role:qa-engineer": (101_800, f"{BLS}, software quality assurance analysts and testers"),
    "role:tech-lead": (169_510, f"{BLS}, computer and information systems managers (proxy)"),
    "role:product-manager": (145_500, "AIA assumption: 1.1 x the software developer median"),
    "role:product-designer": (99_200, "AIA assumption: 0.75 x the software developer median"),
}
# Wages are about 70 % of employer compensation cost in US private industry.
LOADED_COST_FACTOR = 1 / 0.70
LOADED_COST_SOURCE = "US BLS Employer Costs for Employee Compensation (2023): wages ~70 % of cost"
REGION_FACTOR: dict[RegionOrGlobal, float] = {
    "north_america": 1.00,
    "europe": 0.65,
    "asia_pacific": 0.45,
    "latin_america": 0.40,
    "middle_east_africa": 0.45,
    "global": 0.70,
}
REGION_FACTOR_SOURCE = (
    "AIA assumption: indicative salary level relative to the US; pass `rates` to use your own"
)


class MonthlyRate(BaseModel):
    monthly_usd: float = Field(
        description="Loaded cost of one full-time person for a month, US dollars"
    )
    source: str = Field(
        description="Where it comes from: `your input`, or the wage source "
        "with the loading and regional factors applied"
    )


def monthly_rates(
    region: RegionOrGlobal, overrides: dict[Role, float] | None = None
) -> dict[Role, MonthlyRate]:
    """Loaded monthly cost per full-time person, by role, with where it comes from."""
    rates: dict[Role, MonthlyRate] = {}
    for role in ROLES:
        if overrides and role in overrides:
            rates[role] = MonthlyRate(monthly_usd=round(overrides[role], 2), source="your input")
            continue
        annual, source = US_ANNUAL_WAGE[role]
        monthly = annual * LOADED_COST_FACTOR * REGION_FACTOR[region] / 12
        rates[role] = MonthlyRate(
            monthly_usd=round(monthly, 2),
            source=f"{source}; x{LOADED_COST_FACTOR:.2f} loaded ({LOADED_COST_SOURCE}); "
            f"x{REGION_FACTOR[region]:.2f} for {region} ({REGION_FACTOR_SOURCE})",
        )
    return rates
