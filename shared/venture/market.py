"""Market sizing: TAM/SAM/SOM top-down (sector size x region share x segment share x
reachable share) and bottom-up (customers x price x adoption), their reconciliation,
a projection at the sector's CAGR, and low/base/high scenarios. Every figure comes
with the assumptions behind it, each with its value and source."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.venture.assumptions import Assumption
from shared.venture.market_answer import (
    LevelReconciliation,
    MarketAnalysis,
    MarketLevels,
    MarketSensitivity,
    ProjectedYear,
    ReconciledLevels,
    Reconciliation,
    Scenario,
)
from shared.venture.sectors import RegionOrGlobal, Sector, SectorCatalog, SectorSummary

Percent = Annotated[float, Field(gt=0, le=100)]
RECONCILE_TOLERANCE = 0.20  # practitioner rule of thumb: top-down and bottom-up within 15-20 %
SCENARIO_SHARE_FACTOR = {"low": 0.75, "base": 1.0, "high": 1.25}
SCENARIO_PRICE_FACTOR = {"low": 0.9, "base": 1.0, "high": 1.1}
SCENARIO_CAGR_SHIFT = {"low": -0.03, "base": 0.0, "high": 0.03}
OURS = "AIA assumption (stated here; override it in the request)"


class MarketAnalysisRequest(BaseModel):
    """Shares and adoption are percentages (0-100]; money is USD per year."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "sector": "saas",
                    "region": "europe",
                    "segment_share": 10,
                    "reachable_share": 2,
                    "customers": 40000,
                    "price_per_year": 6000,
                    "adoption": 4,
                }
            ]
        },
    )

    sector: str | None = Field(
        default=None,
        max_length=64,
        description="A sector id from /v1/venture/sectors or a NAICS code",
    )
    custom_sector: Sector | None = Field(
        default=None, description="Your own sector record instead of a shipped one"
    )
    dataset: str | None = Field(
        default=None, max_length=64, description="Look `sector` up in one of your datasets"
    )
    region: RegionOrGlobal = Field(
        default="global",
        description="The region sized: the sector's share there (`global`: all of it); a "
        "region where the sector has no share is refused",
    )
    segment_share: Percent = Field(
        default=100, description="Share of the regional sector your customer segment accounts for"
    )
    reachable_share: Percent = Field(
        default=5, description="Share of the segment you can win in the horizon (top-down SOM)"
    )
    customers: int = Field(
        gt=0, le=10_000_000_000, description="Potential customers in the segment and region"
    )
    price_per_year: float = Field(gt=0, le=1e9, description="Revenue per customer per year, USD")
    adoption: Percent = Field(description="Share of serviceable customers you win (bottom-up SOM)")
    serviceable_share: Percent = Field(
        default=100, description="Share of customers your product and channels can serve"
    )
    cagr_percent: float | None = Field(
        default=None, ge=-50, le=100, description="Override the sector's growth rate"
    )
    base_year: int | None = Field(
        default=None,
        ge=2000,
        le=2100,
        description="The year sized: the sector's figure is grown to it at the CAGR; null: "
        "this year",
    )
    years: int = Field(
        default=5, ge=1, le=10, description="Years projected after `base_year`, 1 to 10"
    )

    @model_validator(mode="after")
    def _one_sector(self) -> MarketAnalysisRequest:
        if (self.sector is None) == (self.custom_sector is None):
            raise ValueError("give exactly one of sector or custom_sector")
        return self


class MarketInputError(ValueError):
    """A request that is well-formed but cannot be answered; names the field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Levels:
    tam: float
    sam: float
    som: float

    def rounded(self) -> MarketLevels:
        return MarketLevels(tam=round(self.tam, 2), sam=round(self.sam, 2), som=round(self.som, 2))


def resolve_sector(req: MarketAnalysisRequest, catalog: SectorCatalog) -> Sector:
    if req.custom_sector is not None:
        return req.custom_sector
    assert req.sector is not None
    sector = catalog.get(req.sector)
    if sector is None:
        raise MarketInputError(
            "sector",
            f"no sector {req.sector!r}: use an id from GET /v1/venture/sectors or a NAICS code",
        )
    return sector


def analyse_market(
    req: MarketAnalysisRequest, catalog: SectorCatalog, current_year: int
) -> MarketAnalysis:
    sector = resolve_sector(req, catalog)
    region_share = sector.region_share(req.region)
    if region_share <= 0:
        covered = ", ".join(r for r, s in sector.regions.items() if s > 0)
        raise MarketInputError(
            "region", f"sector {sector.id} has no market in {req.region} (it covers {covered})"
        )
    base_year = req.base_year or current_year
    cagr = req.cagr_percent / 100 if req.cagr_percent is not None else sector.cagr
    scenarios = {
        name: _scenario(req, sector, region_share, base_year, cagr, name)
        for name in SCENARIO_SHARE_FACTOR
    }
    base = scenarios["base"]
    reconciled = base.reconciled
    horizon = f"som_in_{base_year + req.years}"
    return MarketAnalysis(
        sector=SectorSummary.of(sector),
        region=req.region,
        base_year=base_year,
        currency="USD",
        **reconciled.rounded().model_dump(),
        top_down=base.top_down.rounded(),
        bottom_up=base.bottom_up.rounded(),
        reconciliation=_reconciliation(base.top_down, base.bottom_up),
        cagr_percent=round(cagr * 100, 2),
        projection=_projection(reconciled, cagr, base_year, req.years),
        sensitivity=MarketSensitivity(
            **{
                name: Scenario(
                    cagr_percent=round(s.cagr * 100, 2),
                    **s.reconciled.rounded().model_dump(),
                    **{horizon: round(s.reconciled.som * (1 + s.cagr) ** req.years, 2)},
                )
                for name, s in scenarios.items()
            }
        ),
        assumptions=_assumptions(req, sector, region_share, base_year, cagr),
    )


@dataclass(frozen=True)
class _ScenarioLevels:
    cagr: float
    top_down: Levels
    bottom_up: Levels
    reconciled: Levels


def _scenario(
    req: MarketAnalysisRequest,
    sector: Sector,
    region_share: float,
    base_year: int,
    cagr: float,
    name: str,
) -> _ScenarioLevels:
    k = SCENARIO_SHARE_FACTOR[name]
    g = cagr + SCENARIO_CAGR_SHIFT[name]

    def share(percent: float) -> float:
        return min(percent * k, 100.0) / 100

    sector_now = sector.market_size_usd * (1 + cagr) ** (base_year - sector.year)
    tam_td = sector_now * region_share
    sam_td = tam_td * share(req.segment_share)
    som_td = sam_td * share(req.reachable_share)
    tam_bu = req.customers * req.price_per_year * SCENARIO_PRICE_FACTOR[name]
    sam_bu = tam_bu * share(req.serviceable_share)
    som_bu = sam_bu * share(req.adoption)
    top_down, bottom_up = Levels(tam_td, sam_td, som_td), Levels(tam_bu, sam_bu, som_bu)
    reconciled = Levels(
        *(reconcile(td, bu) for td, bu in zip(_tuple(top_down), _tuple(bottom_up), strict=True))
    )
    return _ScenarioLevels(g, top_down, bottom_up, reconciled)


def _tuple(levels: Levels) -> tuple[float, float, float]:
    return levels.tam, levels.sam, levels.som


def reconcile(top_down: float, bottom_up: float) -> float:
    """Within the tolerance the two estimates corroborate each other and we take their
    mean; beyond it we take the lower (the conservative choice) and say why."""
    if divergence(top_down, bottom_up) <= RECONCILE_TOLERANCE:
        return (top_down + bottom_up) / 2
    return min(top_down, bottom_up)


def divergence(a: float, b: float) -> float:
    high = max(a, b)
    return 0.0 if high == 0 else abs(a - b) / high


def _reconciliation(top_down: Levels, bottom_up: Levels) -> Reconciliation:
    levels = {}
    for name in ("tam", "sam", "som"):
        td, bu = getattr(top_down, name), getattr(bottom_up, name)
        gap = divergence(td, bu)
        consistent = gap <= RECONCILE_TOLERANCE
        if consistent:
            note = "the two methods agree within 20 %: the mean is used"
        elif bu > td:
            note = (
                "bottom-up exceeds top-down: the customer count or price may be overstated, "
                "or the segment/reachable share understated; the lower figure is used"
            )
        else:
            note = (
                "top-down exceeds bottom-up: the sector may be broader than what this product "
                "sells, or the segment/reachable share overstated; the lower figure is used"
            )
        levels[name] = LevelReconciliation(
            top_down=round(td, 2),
            bottom_up=round(bu, 2),
            ratio_bottom_up_to_top_down=round(bu / td, 4) if td else None,
            divergence=round(gap, 4),
            consistent=consistent,
            method="mean" if consistent else "lower",
            note=note,
        )
    return Reconciliation(tolerance=RECONCILE_TOLERANCE, levels=ReconciledLevels(**levels))


def _projection(levels: Levels, cagr: float, base_year: int, years: int) -> list[ProjectedYear]:
    return [
        ProjectedYear(
            year=base_year + t,
            tam=round(levels.tam * (1 + cagr) ** t, 2),
            sam=round(levels.sam * (1 + cagr) ** t, 2),
            som=round(levels.som * (1 + cagr) ** t, 2),
        )
        for t in range(years + 1)
    ]


def _assumptions(
    req: MarketAnalysisRequest, sector: Sector, region_share: float, base_year: int, cagr: float
) -> list[Assumption]:
    source = f"{sector.source.name} ({sector.source.year})"
    given = "your input"
    return [
        Assumption(
            name="sector market size",
            value=sector.market_size_usd,
            unit=f"USD ({sector.year}, {sector.kind})",
            source=source,
        ),
        Assumption(
            name="growth rate (CAGR)",
            value=round(cagr * 100, 2),
            unit="% per year",
            source=given
            if req.cagr_percent is not None
            else f"{source}; basis: {sector.cagr_basis}",
        ),
        Assumption(
            name="sector size carried to the base year",
            value=base_year,
            unit="year",
            source=f"grown from {sector.year} at the CAGR",
        ),
        Assumption(
            name="region share",
            value=round(region_share * 100, 2),
            unit=f"% of the sector in {req.region}",
            source="global market: 100 %" if req.region == "global" else sector.regions_basis,
        ),
        Assumption(
            name="segment share",
            value=req.segment_share,
            unit="% of the regional market",
            source=given,
        ),
        Assumption(
            name="reachable share",
            value=req.reachable_share,
            unit="% of the segment (top-down SOM)",
            source=given,
        ),
        Assumption(
            name="customers",
            value=req.customers,
            unit="potential customers",
            source=given,
        ),
        Assumption(
            name="price per year",
            value=req.price_per_year,
            unit="USD per customer",
            source=given,
        ),
        Assumption(
            name="serviceable share",
            value=req.serviceable_share,
            unit="% of customers (bottom-up SAM)",
            source=given,
        ),
        Assumption(
            name="adoption",
            value=req.adoption,
            unit="% of serviceable customers (bottom-up SOM)",
            source=given,
        ),
        Assumption(
            name="reconciliation tolerance",
            value=RECONCILE_TOLERANCE * 100,
            unit="% divergence",
            source="practitioner rule of thumb (15-20 %), e.g. Wall Street Prep on TAM sizing",
        ),
        Assumption(
            name="scenario spread",
            value="shares x0.75 / x1.25, price -10 % / +10 %, CAGR -3 / +3 points",
            unit="low / high",
            source=OURS,
        ),
    ]
