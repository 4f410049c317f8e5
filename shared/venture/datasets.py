"""Users' own sector datasets (CSV or JSON), validated by the same rules as the shipped
data and stored per owner; market analysis can read a sector from one of them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.ports.documents import DocumentStore
from shared.tenancy import OwnedCollection
from shared.venture.sectors import (
    SectorCatalog,
    builtin_catalog,
    load_csv,
    load_json,
    parse_sectors,
)

DATASETS = "venture_datasets"


class DatasetUpload(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "farms",
                    "format": "csv",
                    "content": "id,name,naics,market_size_usd,year,cagr,source_name,"
                    "source_year,region_europe,region_north_america\n"
                    "vertical-farming,Vertical farming,111419,6000000000,2023,0.2,Our "
                    "supplier survey,2024,0.6,0.4\n",
                }
            ]
        },
    )

    name: str = Field(min_length=1, max_length=100, description="Your name for the dataset")
    format: Literal["csv", "json"] = Field(
        description="csv: a header row and one sector per row; json: a list of sector "
        "records, or an object with a `sectors` list"
    )
    content: str = Field(
        min_length=1,
        max_length=900_000,
        description="The data as text. CSV columns: id, name, naics (codes separated by "
        "`;`), market_size_usd, year, cagr (a fraction), source_name, source_year; "
        "optional scope, kind, cagr_basis, parent and region_<name> shares (fractions "
        "adding to 1). At most 1000 sectors",
    )


def parse_upload(upload: DatasetUpload) -> list[dict[str, Any]]:
    """The upload's sectors as JSON-ready records; `InvalidSectorData` lists every problem."""
    sectors = load_csv(upload.content) if upload.format == "csv" else load_json(upload.content)
    return [s.model_dump(mode="json", exclude_none=True) for s in sectors]


def catalog_for(store: DocumentStore, owner_id: str, dataset_id: str | None) -> SectorCatalog:
    """The shipped catalogue, or one of the owner's datasets (missing: `NotFound`)."""
    if dataset_id is None:
        return builtin_catalog()
    doc = OwnedCollection(store, DATASETS, owner_id).require(dataset_id, "dataset")
    return SectorCatalog(parse_sectors(doc["sectors"]))
