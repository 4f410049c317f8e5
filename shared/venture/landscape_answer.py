"""The shape of a competitive landscape (POST /v1/venture/competitive-landscape, and the
`competition` section of a venture report). Shares are percent; prices US dollars per
customer per year."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Level = Literal["low", "medium", "high"]
Quadrant = Literal["premium suite", "premium niche", "value suite", "budget niche"]


class GuidelineReading(BaseModel):
    label: str = Field(description="The concentration band the HHI falls in")
    rule: str = Field(description="The guideline's thresholds, in words")
    source: str = Field(description="The guideline it comes from")


class Guidelines(BaseModel):
    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)

    # the editions are the keys clients read: "2023" and "2010"
    edition_2023: GuidelineReading = Field(
        alias="2023", description="Under the 2023 US Merger Guidelines"
    )
    edition_2010: GuidelineReading = Field(
        alias="2010", description="Under the 2010 US Horizontal Merger Guidelines"
    )
    note: str = Field(description="How firms not listed are counted")


class MatrixRow(BaseModel):
    name: str = Field(description="The competitor's (or your product's) name")
    ours: bool = Field(description="Whether this row is your product")
    price: float = Field(description="Price per customer per year, USD")
    features: dict[str, bool] = Field(
        description="Each feature column (as `features` names it): offered or not"
    )
    feature_count: int = Field(description="How many features it offers")
    price_per_feature: float | None = Field(
        description="Price over feature count, USD; null when it lists no feature"
    )


class Position(BaseModel):
    name: str = Field(description="The competitor's (or your product's) name")
    ours: bool = Field(description="Whether this point is your product")
    price: float = Field(description="Price per customer per year, USD")
    price_position: float = Field(
        description="0 for the cheapest, 1 for the dearest (0.5 when all cost the same)"
    )
    breadth: float = Field(description="Share of all feature columns it offers, 0 to 1")
    quadrant: Quadrant = Field(
        description="Price position and breadth each split at 0.5: premium (dear) or "
        "value/budget (cheap), suite (broad) or niche (narrow)"
    )


class WhiteSpace(BaseModel):
    kind: Literal[
        "underserved feature",
        "differentiator",
        "missing table stakes",
        "empty quadrant",
        "price gap",
    ] = Field(description="What kind of gap")
    detail: str = Field(description="The gap, for a person")


class Force(BaseModel):
    score: int = Field(description="1 (weak) to 5 (strong)")
    level: Level = Field(description="low (score 1-2), medium (3) or high (4-5)")
    reasons: list[str] = Field(description="What moved the score, one reason a line")


class ForcesOverall(BaseModel):
    mean_force: float = Field(description="The mean of the five scores, 1 to 5")
    attractiveness: float = Field(description="6 minus the mean force: higher is better")
    reading: Literal["attractive", "average", "unattractive"] = Field(
        description="attractive (mean below 2.75), average (up to 3.5) or unattractive"
    )
    source: str = Field(description="The framework's source")


class FiveForces(BaseModel):
    rivalry: Force = Field(description="Rivalry among existing competitors")
    threat_of_new_entrants: Force = Field(description="The threat of new entrants")
    buyer_power: Force = Field(description="The bargaining power of buyers")
    supplier_power: Force = Field(description="The bargaining power of suppliers")
    threat_of_substitutes: Force = Field(description="The threat of substitutes")
    overall: ForcesOverall = Field(description="The five read together")


class CompetitiveLandscape(BaseModel):
    hhi: float = Field(
        description="Herfindahl-Hirschman Index of the listed firms, 0 to 10,000 (shares "
        "in percent, squared and summed)"
    )
    hhi_upper_bound: float = Field(description="The HHI if the unlisted remainder were one firm")
    share_listed_percent: float = Field(description="The listed firms' shares summed, percent")
    concentration: str = Field(description="The 2023 Guidelines' reading of the HHI")
    concentration_2010: str = Field(description="The 2010 Guidelines' reading of the HHI")
    guidelines: Guidelines = Field(description="Both readings with their rules and sources")
    cr4: float = Field(description="The four largest shares summed, percent")
    features: list[str] = Field(
        description="The feature columns, most offered first (as first spelled)"
    )
    matrix: list[MatrixRow] = Field(description="Each player's features and price")
    positioning: list[Position] = Field(description="Each player on a price vs breadth map")
    white_space: list[WhiteSpace] = Field(description="The gaps the landscape leaves")
    five_forces: FiveForces = Field(description="A Porter five-forces reading with reasons")
