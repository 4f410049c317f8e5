"""Market sizing arithmetic, reconciliation, projection and scenarios."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from shared.venture.market import (
    MarketAnalysisRequest,
    MarketInputError,
    analyse_market,
    divergence,
    reconcile,
)
from shared.venture.sectors import Sector, SectorCatalog, builtin_catalog

SECTOR = Sector.model_validate(
    {
        "id": "widgets",
        "name": "Widgets",
        "naics": ["333248"],
        "market_size_usd": 1e10,
        "year": 2024,
        "cagr": 0.10,
        "regions": {"europe": 0.4, "north_america": 0.6},
        "source": {"name": "Test source of widget sales", "year": 2024},
    }
)
CATALOG = SectorCatalog([SECTOR])


def answer(req: MarketAnalysisRequest, catalog: SectorCatalog, current_year: int) -> Any:
    """The analysis as the API sends it (JSON)."""
    return analyse_market(req, catalog, current_year).model_dump(mode="json")


def request(**changes: object) -> MarketAnalysisRequest:
    body = {
        "sector": "widgets",
        "region": "europe",
        "segment_share": 10,
        "reachable_share": 5,
        "customers": 20_000,
        "price_per_year": 2_000,
        "adoption": 5,
        "serviceable_share": 50,
        "base_year": 2026,
    }
    return MarketAnalysisRequest.model_validate({**body, **changes})


def test_top_down_and_bottom_up_by_hand() -> None:
    result = answer(request(), CATALOG, current_year=2030)
    # top-down: 10e9 grown two years at 10 % = 12.1e9; x 40 % Europe = 4.84e9 (TAM)
    # x 10 % segment = 484e6 (SAM); x 5 % reachable = 24.2e6 (SOM)
    assert result["top_down"] == {"tam": 4.84e9, "sam": 4.84e8, "som": 2.42e7}
    # bottom-up: 20,000 customers x 2,000 = 40e6 (TAM); x 50 % serviceable = 20e6 (SAM);
    # x 5 % adoption = 1e6 (SOM)
    assert result["bottom_up"] == {"tam": 4e7, "sam": 2e7, "som": 1e6}
    # they disagree by far more than 20 %: the lower (bottom-up) figure is kept
    assert (result["tam"], result["sam"], result["som"]) == (4e7, 2e7, 1e6)
    sam = result["reconciliation"]["levels"]["sam"]
    assert sam["consistent"] is False and sam["method"] == "lower"
    assert sam["divergence"] == pytest.approx(1 - 2e7 / 4.84e8, abs=1e-4)
    assert "top-down exceeds bottom-up" in sam["note"]
    assert result["base_year"] == 2026


def test_close_estimates_are_averaged() -> None:
    # bottom-up SOM 1e6 vs top-down SOM chosen to be 1.1e6: within 20 %, mean 1.05e6
    assert divergence(1.1e6, 1e6) == pytest.approx(0.0909, abs=1e-4)
    assert reconcile(1.1e6, 1e6) == pytest.approx(1.05e6)
    assert reconcile(2e6, 1e6) == 1e6


def test_projection_compounds_the_cagr() -> None:
    result = answer(request(years=5), CATALOG, current_year=2030)
    rows = result["projection"]
    assert [r["year"] for r in rows] == [2026, 2027, 2028, 2029, 2030, 2031]
    assert rows[5]["som"] == pytest.approx(1e6 * 1.1**5, rel=1e-9)
    assert rows[1]["tam"] == pytest.approx(4e7 * 1.1, rel=1e-9)


def test_scenarios_bracket_the_base_and_override_the_cagr() -> None:
    result = answer(request(cagr_percent=4), CATALOG, current_year=2030)
    low, base, high = (result["sensitivity"][k] for k in ("low", "base", "high"))
    assert (low["cagr_percent"], base["cagr_percent"], high["cagr_percent"]) == (1, 4, 7)
    assert low["som"] < base["som"] < high["som"]
    # low: price x0.9 and shares x0.75 -> 20,000 x 1,800 x 37.5 % x 3.75 % = 506,250
    assert low["som"] == pytest.approx(506_250)
    assert result["cagr_percent"] == 4
    # each scenario's SOM at the horizon is keyed by its year
    assert base["som_in_2031"] == pytest.approx(base["som"] * 1.04**5, rel=1e-6)
    cagr = next(a for a in result["assumptions"] if a["name"] == "growth rate (CAGR)")
    assert cagr["source"] == "your input"


def test_every_assumption_has_a_value_and_a_source() -> None:
    result = answer(request(), CATALOG, current_year=2030)
    names = {a["name"] for a in result["assumptions"]}
    assert {"sector market size", "region share", "segment share", "customers", "adoption"} <= names
    for item in result["assumptions"]:
        assert item["value"] is not None and item["source"], item
    size = next(a for a in result["assumptions"] if a["name"] == "sector market size")
    assert size["source"] == "Test source of widget sales (2024)"


def test_global_region_takes_the_whole_sector() -> None:
    result = answer(request(region="global", base_year=2024), CATALOG, 2030)
    assert result["top_down"]["tam"] == 1e10


def test_a_region_the_sector_does_not_cover_is_refused_by_field() -> None:
    with pytest.raises(MarketInputError) as info:
        analyse_market(request(region="asia_pacific"), CATALOG, 2030)
    assert info.value.field == "region"
    us_only = builtin_catalog()
    with pytest.raises(MarketInputError, match="covers north_america"):
        analyse_market(request(sector="us-pet", region="europe"), us_only, 2030)
    with pytest.raises(MarketInputError) as unknown:
        analyse_market(request(sector="nope"), CATALOG, 2030)
    assert unknown.value.field == "sector"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("segment_share", 150),
        ("reachable_share", 0),
        ("adoption", -3),
        ("customers", 0),
        ("price_per_year", -10),
        ("region", "mars"),
        ("cagr_percent", 500),
    ],
)
def test_nonsense_is_rejected_naming_the_field(field: str, value: object) -> None:
    with pytest.raises(ValidationError) as info:
        request(**{field: value})
    assert [e["loc"] for e in info.value.errors()] == [(field,)]


def test_a_custom_sector_with_a_negative_size_is_rejected() -> None:
    bad = {**SECTOR.model_dump(), "market_size_usd": -1}
    with pytest.raises(ValidationError) as info:
        request(sector=None, custom_sector=bad)
    assert info.value.errors()[0]["loc"] == ("custom_sector", "market_size_usd")
    with pytest.raises(ValidationError, match="exactly one of sector or custom_sector"):
        request(custom_sector=SECTOR.model_dump())
