"""The shape of a market analysis answer (POST /v1/venture/market-analysis, and the
`market` section of a venture report). Money is US dollars per year throughout."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.venture.assumptions import Assumption
from shared.venture.sectors import RegionOrGlobal, SectorSummary

USD_YEAR = "US dollars per year"


class MarketLevels(BaseModel):
    tam: float = Field(description=f"Total addressable market, {USD_YEAR}")
    sam: float = Field(description=f"Serviceable addressable market, {USD_YEAR}")
    som: float = Field(description=f"Serviceable obtainable market, {USD_YEAR}")


class LevelReconciliation(BaseModel):
    top_down: float = Field(description=f"The top-down estimate, {USD_YEAR}")
    bottom_up: float = Field(description=f"The bottom-up estimate, {USD_YEAR}")
    ratio_bottom_up_to_top_down: float | None = Field(
        description="bottom_up / top_down, 4 decimals; null when top-down is 0"
    )
    divergence: float = Field(
        description="|top_down - bottom_up| / the larger of the two, a fraction from 0 to 1"
    )
    consistent: bool = Field(description="Whether the divergence is within `tolerance`")
    method: Literal["mean", "lower"] = Field(
        description="mean: the two agree and their mean is used; lower: the lower is used"
    )
    note: str = Field(description="What the gap suggests, for a person")


class ReconciledLevels(BaseModel):
    tam: LevelReconciliation = Field(description="How the two TAM estimates were combined")
    sam: LevelReconciliation = Field(description="How the two SAM estimates were combined")
    som: LevelReconciliation = Field(description="How the two SOM estimates were combined")


class Reconciliation(BaseModel):
    tolerance: float = Field(
        description="The divergence (a fraction) up to which the methods count as agreeing"
    )
    levels: ReconciledLevels = Field(description="Each level's two estimates and their choice")


class ProjectedYear(MarketLevels):
    year: int = Field(description="The calendar year projected")


class Scenario(MarketLevels):
    """Also holds `som_in_<year>`: the SOM grown at the scenario's CAGR to the last
    projected year (the key names that year, e.g. `som_in_2031`), US dollars per year."""

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, float] = Field(init=False)

    cagr_percent: float = Field(description="The scenario's growth rate, percent per year")


class MarketSensitivity(BaseModel):
    low: Scenario = Field(description="Shares x0.75, price -10 %, CAGR -3 points")
    base: Scenario = Field(description="The inputs as given")
    high: Scenario = Field(description="Shares x1.25, price +10 %, CAGR +3 points")


class MarketAnalysis(MarketLevels):
    """TAM/SAM/SOM (the reconciled figures at the top), both methods, the projection
    and the scenarios, with every assumption."""

    sector: SectorSummary = Field(description="The sector sized")
    region: RegionOrGlobal = Field(description="The region sized (`global`: all of it)")
    base_year: int = Field(description="The year the figures are for")
    currency: Literal["USD"] = Field(description="The currency of every amount: USD")
    top_down: MarketLevels = Field(
        description="Sector size x region share x segment share x reachable share"
    )
    bottom_up: MarketLevels = Field(description="Customers x price x serviceable share x adoption")
    reconciliation: Reconciliation = Field(description="How the two methods were combined")
    cagr_percent: float = Field(description="The growth rate used, percent per year")
    projection: list[ProjectedYear] = Field(
        description="The reconciled levels from `base_year` for `years` more years"
    )
    sensitivity: MarketSensitivity = Field(description="Low, base and high scenarios")
    assumptions: list[Assumption] = Field(description="Every input and where it comes from")
