"""Concentration under the 2023 and 2010 US Merger Guidelines, CR4, the matrix,
positioning, white space and five forces."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from shared.venture.competition import (
    CompetitiveLandscapeRequest,
    analyse_landscape,
    concentration_2010,
    concentration_2023,
    cr4,
    hhi,
)


def landscape(shares: list[float], **extra: object) -> Any:
    competitors = [
        {"name": f"firm {i}", "market_share": s, "price": 100 * (i + 1), "features": ["core"]}
        for i, s in enumerate(shares)
    ]
    return analyse_landscape(
        CompetitiveLandscapeRequest.model_validate({"competitors": competitors, **extra})
    ).model_dump(mode="json")  # as the API sends it


def test_hhi_is_the_sum_of_squared_percent_shares() -> None:
    assert hhi([100]) == 10_000  # monopoly
    assert hhi([30, 30, 20, 20]) == 900 + 900 + 400 + 400 == 2600
    assert hhi([10] * 10) == 1000


@pytest.mark.parametrize(
    ("index", "label_2010", "label_2023"),
    [
        (1499.99, "unconcentrated", "not highly concentrated"),
        (1500, "moderately concentrated", "not highly concentrated"),
        (1800, "moderately concentrated", "not highly concentrated"),  # 2023: "greater than 1,800"
        (1800.01, "moderately concentrated", "highly concentrated"),
        (2500, "moderately concentrated", "highly concentrated"),  # 2010: "above 2,500"
        (2500.01, "highly concentrated", "highly concentrated"),
    ],
)
def test_guideline_bands_at_their_boundaries(
    index: float, label_2010: str, label_2023: str
) -> None:
    assert concentration_2010(index) == label_2010
    assert concentration_2023(index) == label_2023


def test_landscape_reports_hhi_cr4_and_both_regimes() -> None:
    # 35^2 + 25^2 + 15^2 + 10^2 + 5^2 = 1225 + 625 + 225 + 100 + 25 = 2200
    result = landscape([35, 25, 15, 10, 5])
    assert result["hhi"] == 2200
    assert result["concentration"] == "highly concentrated"  # 2023: > 1,800
    assert result["concentration_2010"] == "moderately concentrated"  # 2010: 1,500-2,500
    assert result["cr4"] == 85 == cr4([35, 25, 15, 10, 5])
    # the unlisted 10 % as one firm would add 100
    assert result["hhi_upper_bound"] == 2300


def test_matrix_positioning_and_white_space() -> None:
    body = {
        "competitors": [
            {
                "name": "Big",
                "market_share": 50,
                "price": 1000,
                "features": ["sso", "api", "audit", "reports"],
            },
            {
                "name": "Mid",
                "market_share": 20,
                "price": 400,
                "features": ["sso", "api", "Reports"],
            },
            {"name": "Cheap", "market_share": 10, "price": 100, "features": ["sso"]},
        ],
        "product": {"name": "Us", "price": 300, "features": ["api", "ai assistant"]},
    }
    result = analyse_landscape(CompetitiveLandscapeRequest.model_validate(body)).model_dump(
        mode="json"
    )
    # features by prevalence; names compared case-insensitively
    assert result["features"] == ["sso", "api", "reports", "audit", "ai assistant"]
    us = next(r for r in result["matrix"] if r["ours"])
    assert us["features"] == {
        "sso": False,
        "api": True,
        "reports": False,
        "audit": False,
        "ai assistant": True,
    }
    big = next(p for p in result["positioning"] if p["name"] == "Big")
    assert (
        big["price_position"] == 1.0
        and big["breadth"] == 0.8
        and big["quadrant"] == "premium suite"
    )
    cheap = next(p for p in result["positioning"] if p["name"] == "Cheap")
    assert cheap["quadrant"] == "budget niche"
    gaps = {(g["kind"], g["detail"]) for g in result["white_space"]}
    assert ("differentiator", "no competitor offers 'ai assistant'") in gaps
    assert ("missing table stakes", "'sso' is offered by 3 of 3 competitors but not by Us") in gaps
    # Mid sits at price (400-100)/(1000-100) = 0.33, breadth 3/5: the value suite
    assert ("empty quadrant", "no competitor in the premium niche quadrant") in gaps
    assert ("underserved feature", "'audit' is offered by only 1 of 3 competitors") in gaps
    assert ("price gap", "no offer between 100 and 400 USD per year") in gaps


def test_five_forces_follow_the_data_and_say_why() -> None:
    fragmented = landscape([5] * 12, market_growth_percent=2, forces={"switching_costs": "low"})
    forces = fragmented["five_forces"]
    assert forces["rivalry"]["score"] == 5  # unconcentrated, 12 firms, slow growth
    assert any("unconcentrated" in r for r in forces["rivalry"]["reasons"])
    assert forces["threat_of_new_entrants"]["score"] == 4  # low switching costs
    assert forces["buyer_power"]["score"] == 5  # low switching costs, identical offers
    assert forces["supplier_power"]["reasons"] == [
        "supplier concentration: not given, taken as medium"
    ]
    dominated = landscape([80, 10], forces={"regulation": "high", "capital_requirements": "high"})
    entrants = dominated["five_forces"]["threat_of_new_entrants"]
    assert entrants["score"] == 1 and entrants["level"] == "low"
    assert dominated["five_forces"]["rivalry"]["score"] == 2
    assert (
        dominated["five_forces"]["overall"]["attractiveness"]
        > fragmented["five_forces"]["overall"]["attractiveness"]
    )


@pytest.mark.parametrize(
    ("competitors", "loc", "message"),
    [
        (
            [
                {"name": "a", "market_share": 70, "price": 1},
                {"name": "b", "market_share": 60, "price": 1},
            ],
            ("competitors",),
            "add up to 130 %",
        ),
        (
            [{"name": "a", "market_share": 120, "price": 1}],
            ("competitors", 0, "market_share"),
            "less than or equal to 100",
        ),
        (
            [{"name": "a", "market_share": 10, "price": -1}],
            ("competitors", 0, "price"),
            "greater than or equal to 0",
        ),
        (
            [
                {"name": "a", "market_share": 1, "price": 1},
                {"name": "A", "market_share": 1, "price": 1},
            ],
            ("competitors",),
            "unique",
        ),
        ([], ("competitors",), "at least 1"),
    ],
)
def test_nonsense_is_rejected_naming_the_field(
    competitors: list[dict[str, object]], loc: tuple[object, ...], message: str
) -> None:
    with pytest.raises(ValidationError) as info:
        CompetitiveLandscapeRequest.model_validate({"competitors": competitors})
    [error] = info.value.errors()
    assert error["loc"] == loc and message in error["msg"]
