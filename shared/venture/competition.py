"""Competitive landscape: concentration (HHI under the 2023 and 2010 US Merger
Guidelines, CR4), a feature/price matrix, a price-vs-breadth positioning map, the
white space it leaves, and a Porter five-forces reading with its reasons."""

from __future__ import annotations

import itertools
import statistics

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.venture.landscape_answer import (
    CompetitiveLandscape,
    FiveForces,
    Force,
    ForcesOverall,
    GuidelineReading,
    Guidelines,
    Level,
    MatrixRow,
    Position,
    Quadrant,
    WhiteSpace,
)

HHI_2023_HIGH = 1800  # "greater than 1,800": highly concentrated (2023 Guidelines)
HHI_2010_LOW, HHI_2010_HIGH = 1500, 2500  # below 1,500 / above 2,500 (2010 Guidelines)
NOT_GIVEN = "null: taken as medium, and the reasons say so"


def _features(values: list[str]) -> list[str]:
    cleaned, seen = [], set()
    for value in values:
        text = " ".join(value.split())
        if not text:
            raise ValueError("feature names must not be blank")
        if text.casefold() not in seen:
            seen.add(text.casefold())
            cleaned.append(text)
    return cleaned


class Competitor(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(
        min_length=1, max_length=100, description="The competitor's name, unique in the list"
    )
    market_share: float = Field(ge=0, le=100, description="Percent of the market")
    price: float = Field(ge=0, le=1e9, description="Price per customer per year, USD")
    features: list[str] = Field(
        default_factory=list,
        max_length=100,
        description="Feature names it offers (matched ignoring case; repeats dropped)",
    )

    @field_validator("features")
    @classmethod
    def _clean(cls, value: list[str]) -> list[str]:
        return _features(value)


class OurProduct(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(
        default="our product", min_length=1, max_length=100, description="Your product's name"
    )
    price: float = Field(ge=0, le=1e9, description="Price per customer per year, USD")
    features: list[str] = Field(
        default_factory=list,
        max_length=100,
        description="Feature names it offers (matched ignoring case; repeats dropped)",
    )

    @field_validator("features")
    @classmethod
    def _clean(cls, value: list[str]) -> list[str]:
        return _features(value)


class MarketForces(BaseModel):
    """What the numbers cannot tell; each defaults to medium and the reasons say so."""

    model_config = ConfigDict(extra="forbid")

    switching_costs: Level | None = Field(
        default=None,
        description="What it costs buyers to change supplier (entry barrier, buyer power); "
        + NOT_GIVEN,
    )
    capital_requirements: Level | None = Field(
        default=None, description="Capital needed to enter (entry barrier); " + NOT_GIVEN
    )
    regulation: Level | None = Field(
        default=None, description="Regulatory burden on entrants (entry barrier); " + NOT_GIVEN
    )
    network_effects: Level | None = Field(
        default=None,
        description="Value users gain from other users (entry barrier); " + NOT_GIVEN,
    )
    buyer_concentration: Level | None = Field(
        default=None, description="How few buyers make up the market (buyer power); " + NOT_GIVEN
    )
    supplier_concentration: Level | None = Field(
        default=None, description="How few suppliers you depend on (supplier power); " + NOT_GIVEN
    )
    substitutes: Level | None = Field(
        default=None,
        description="How available other ways of meeting the need are; " + NOT_GIVEN,
    )


class CompetitiveLandscapeRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "competitors": [
                        {
                            "name": "Incumbent",
                            "market_share": 40,
                            "price": 9000,
                            "features": ["sso", "api", "reports"],
                        },
                        {
                            "name": "Challenger",
                            "market_share": 20,
                            "price": 5000,
                            "features": ["sso", "api"],
                        },
                    ],
                    "product": {"name": "Acme", "price": 6000, "features": ["api", "forecasting"]},
                    "forces": {"switching_costs": "high"},
                }
            ]
        },
    )

    competitors: list[Competitor] = Field(
        min_length=1,
        max_length=100,
        description="1 to 100 competitors; their market shares add up to at most 100 %",
    )
    product: OurProduct | None = Field(
        default=None,
        description="Your product, placed on the matrix and map; null: competitors only",
    )
    market_growth_percent: float | None = Field(
        default=None,
        ge=-50,
        le=100,
        description="Market growth in percent per year (below 5 sharpens rivalry, above 15 "
        "eases it); null: not considered",
    )
    forces: MarketForces = Field(
        default=MarketForces(), description="Your reading of what the numbers cannot show"
    )

    @field_validator("competitors")
    @classmethod
    def _consistent(cls, competitors: list[Competitor]) -> list[Competitor]:
        total = sum(c.market_share for c in competitors)
        if total > 100.0001:
            raise ValueError(f"market shares add up to {total:g} %, over 100 %")
        names = [c.name.casefold() for c in competitors]
        dupes = sorted({c.name for c in competitors if names.count(c.name.casefold()) > 1})
        if dupes:
            raise ValueError(f"competitor names must be unique: {', '.join(dupes)}")
        return competitors


def hhi(shares: list[float]) -> float:
    """Herfindahl-Hirschman Index on shares in percent: 10,000 for a monopoly."""
    return sum(s * s for s in shares)


def concentration_2023(index: float) -> str:
    return "highly concentrated" if index > HHI_2023_HIGH else "not highly concentrated"


def concentration_2010(index: float) -> str:
    if index < HHI_2010_LOW:
        return "unconcentrated"
    if index <= HHI_2010_HIGH:
        return "moderately concentrated"
    return "highly concentrated"


def cr4(shares: list[float]) -> float:
    return sum(sorted(shares, reverse=True)[:4])


def analyse_landscape(req: CompetitiveLandscapeRequest) -> CompetitiveLandscape:
    shares = [c.market_share for c in req.competitors]
    index = hhi(shares)
    fringe = max(0.0, 100 - sum(shares))
    players = [(c.name, c.price, c.features, False) for c in req.competitors]
    if req.product:
        players.append((req.product.name, req.product.price, req.product.features, True))
    features = _feature_columns(req)
    matrix = _matrix(players, features)
    positions = _positions(players, len(features))
    return CompetitiveLandscape(
        hhi=round(index, 2),
        hhi_upper_bound=round(index + fringe * fringe, 2),
        share_listed_percent=round(sum(shares), 2),
        concentration=concentration_2023(index),
        concentration_2010=concentration_2010(index),
        guidelines=Guidelines.model_validate(
            {
                "2023": GuidelineReading(
                    label=concentration_2023(index),
                    rule="HHI above 1,800 is highly concentrated; a merger raising it by more "
                    "than 100 there, or creating a firm above 30 % share with a rise above "
                    "100, is presumed to lessen competition substantially",
                    source="US DOJ and FTC Merger Guidelines (2023), Guideline 1",
                ),
                "2010": GuidelineReading(
                    label=concentration_2010(index),
                    rule="below 1,500 unconcentrated; 1,500-2,500 moderately; above 2,500 highly",
                    source="US DOJ and FTC Horizontal Merger Guidelines (2010), section 5.3",
                ),
                "note": "HHI is computed on the listed firms; the unlisted remainder is "
                "treated as atomistic (hhi_upper_bound treats it as one firm)",
            }
        ),
        cr4=round(cr4(shares), 2),
        features=features,
        matrix=matrix,
        positioning=positions,
        white_space=_white_space(req, features, positions),
        five_forces=five_forces(req, index),
    )


def _feature_columns(req: CompetitiveLandscapeRequest) -> list[str]:
    counts: dict[str, int] = {}
    display: dict[str, str] = {}
    for competitor in req.competitors:
        for feature in competitor.features:
            counts[feature.casefold()] = counts.get(feature.casefold(), 0) + 1
            display.setdefault(feature.casefold(), feature)
    for feature in req.product.features if req.product else []:
        counts.setdefault(feature.casefold(), 0)
        display.setdefault(feature.casefold(), feature)
    return [display[k] for k in sorted(counts, key=lambda k: (-counts[k], k))]


def _matrix(
    players: list[tuple[str, float, list[str], bool]], features: list[str]
) -> list[MatrixRow]:
    rows = []
    for name, price, offered, ours in players:
        has = {f.casefold() for f in offered}
        count = len(has)
        rows.append(
            MatrixRow(
                name=name,
                ours=ours,
                price=price,
                features={f: f.casefold() in has for f in features},
                feature_count=count,
                price_per_feature=round(price / count, 2) if count else None,
            )
        )
    return rows


def _positions(
    players: list[tuple[str, float, list[str], bool]], total_features: int
) -> list[Position]:
    prices = [p for _, p, _, _ in players]
    low, high = min(prices), max(prices)
    points = []
    for name, price, offered, ours in players:
        x = 0.5 if high == low else (price - low) / (high - low)
        y = len(offered) / total_features if total_features else 0.0
        points.append(
            Position(
                name=name,
                ours=ours,
                price=price,
                price_position=round(x, 4),
                breadth=round(y, 4),
                quadrant=_quadrant(x, y),
            )
        )
    return points


QUADRANTS: dict[tuple[bool, bool], Quadrant] = {
    (True, True): "premium suite",
    (True, False): "premium niche",
    (False, True): "value suite",
    (False, False): "budget niche",
}


def _quadrant(price_position: float, breadth: float) -> Quadrant:
    return QUADRANTS[(price_position >= 0.5, breadth >= 0.5)]


def _white_space(
    req: CompetitiveLandscapeRequest, features: list[str], positions: list[Position]
) -> list[WhiteSpace]:
    gaps: list[WhiteSpace] = []
    n = len(req.competitors)
    offered_by = {
        f.casefold(): sum(
            1 for c in req.competitors if f.casefold() in {x.casefold() for x in c.features}
        )
        for f in features
    }
    for feature in features:
        count = offered_by[feature.casefold()]
        if n >= 3 and 0 < count <= max(1, n // 4):
            gaps.append(
                WhiteSpace(
                    kind="underserved feature",
                    detail=f"{feature!r} is offered by only {count} of {n} competitors",
                )
            )
    ours = {f.casefold() for f in req.product.features} if req.product else set()
    for feature in features:
        if feature.casefold() in ours and offered_by[feature.casefold()] == 0:
            gaps.append(
                WhiteSpace(kind="differentiator", detail=f"no competitor offers {feature!r}")
            )
    if req.product:
        for feature in features:
            if (
                offered_by[feature.casefold()] >= max(2, 0.75 * n)
                and feature.casefold() not in ours
            ):
                gaps.append(
                    WhiteSpace(
                        kind="missing table stakes",
                        detail=f"{feature!r} is offered by {offered_by[feature.casefold()]} of "
                        f"{n} competitors but not by {req.product.name}",
                    )
                )
    occupied = {p.quadrant for p in positions if not p.ours}
    for quadrant in QUADRANTS.values():
        if quadrant not in occupied and len(positions) >= 2:
            gaps.append(
                WhiteSpace(
                    kind="empty quadrant", detail=f"no competitor in the {quadrant} quadrant"
                )
            )
    prices = sorted({c.price for c in req.competitors if c.price > 0})
    widest = max(((b / a, a, b) for a, b in itertools.pairwise(prices)), default=None)
    if widest and widest[0] >= 1.5:
        gaps.append(
            WhiteSpace(
                kind="price gap",
                detail=f"no offer between {widest[1]:,.0f} and {widest[2]:,.0f} USD per year",
            )
        )
    return gaps


FORCE_LEVEL = {"low": 2, "medium": 3, "high": 4}


def _level(score: int) -> Level:
    return "low" if score <= 2 else "medium" if score == 3 else "high"


def five_forces(req: CompetitiveLandscapeRequest, index: float) -> FiveForces:
    """Each force scored 1 (weak) to 5 (strong) from the data and the stated market
    traits; a trait not given counts as medium and the reasons say so."""
    f = req.forces
    n = len(req.competitors)
    prices = [c.price for c in req.competitors if c.price > 0]
    forces: dict[str, tuple[int, list[str]]] = {}

    score, why = 3, []
    band = concentration_2010(index)
    if band == "unconcentrated":
        score, why = 4, [f"HHI {index:,.0f}: an unconcentrated market"]
    elif band == "highly concentrated":
        score, why = 2, [f"HHI {index:,.0f}: a few firms dominate"]
    else:
        why = [f"HHI {index:,.0f}: moderately concentrated"]
    if n >= 10:
        score += 1
        why.append(f"{n} named competitors")
    if req.market_growth_percent is not None:
        if req.market_growth_percent < 5:
            score += 1
            why.append(
                f"slow growth ({req.market_growth_percent:g} %/yr): share is won from rivals"
            )
        elif req.market_growth_percent > 15:
            score -= 1
            why.append(f"fast growth ({req.market_growth_percent:g} %/yr) eases rivalry")
    if len(prices) >= 3 and statistics.pstdev(prices) / statistics.mean(prices) < 0.2:
        score += 1
        why.append("prices within 20 % of each other: competition on price")
    forces["rivalry"] = (score, why)

    score, why = 3, []
    leader = max(c.market_share for c in req.competitors)
    for value, text in (
        (f.capital_requirements, "capital requirements"),
        (f.regulation, "regulation"),
        (f.network_effects, "network effects"),
        (f.switching_costs, "switching costs"),
    ):
        if value is None:
            why.append(f"{text}: not given, taken as medium")
        elif value == "low":
            score += 1
            why.append(f"low {text} make entry easier")
        elif value == "high":
            score -= 1
            why.append(f"high {text} deter entrants")
    if leader > 40:
        score -= 1
        why.append(f"the leader holds {leader:g} %: incumbent scale")
    forces["threat_of_new_entrants"] = (score, why)

    score, why = 3, []
    if f.switching_costs == "low":
        score += 1
        why.append("low switching costs let buyers move")
    elif f.switching_costs == "high":
        score -= 1
        why.append("high switching costs lock buyers in")
    if f.buyer_concentration == "high":
        score += 1
        why.append("concentrated buyers negotiate hard")
    elif f.buyer_concentration == "low":
        score -= 1
        why.append("fragmented buyers")
    overlap = _mean_overlap(req)
    if overlap is not None and overlap > 0.6:
        score += 1
        why.append(f"offers overlap {overlap:.0%} on features: little differentiation")
    elif overlap is not None:
        why.append(f"offers overlap {overlap:.0%} on features")
    forces["buyer_power"] = (score, why)

    for name, value, text in (
        ("supplier_power", f.supplier_concentration, "supplier concentration"),
        ("threat_of_substitutes", f.substitutes, "substitutes"),
    ):
        if value is None:
            forces[name] = (3, [f"{text}: not given, taken as medium"])
        else:
            forces[name] = (FORCE_LEVEL[value], [f"{text}: {value}"])

    scored: dict[str, Force] = {}
    for name, (score, why) in forces.items():
        bounded = max(1, min(5, score))
        scored[name] = Force(score=bounded, level=_level(bounded), reasons=why)
    mean = statistics.mean(f.score for f in scored.values())
    overall = ForcesOverall(
        mean_force=round(mean, 2),
        attractiveness=round(6 - mean, 2),
        reading="attractive" if mean < 2.75 else "average" if mean <= 3.5 else "unattractive",
        source="Porter, How Competitive Forces Shape Strategy (HBR 1979; revised 2008)",
    )
    return FiveForces(**scored, overall=overall)


def _mean_overlap(req: CompetitiveLandscapeRequest) -> float | None:
    sets = [{f.casefold() for f in c.features} for c in req.competitors if c.features]
    pairs = [len(a & b) / len(a | b) for i, a in enumerate(sets) for b in sets[i + 1 :] if a | b]
    return statistics.mean(pairs) if pairs else None
