from __future__ import annotations

from typing import Any

import pytest

from shared.settings import Settings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The suite's settings with workflow time 1000x faster (retry backoff in ms)."""
    return settings.model_copy(update={"time_scale": 1000.0})


MARKET = {
    "sector": "saas",
    "region": "europe",
    "segment_share": 10,
    "reachable_share": 2,
    "customers": 40_000,
    "price_per_year": 6_000,
    "adoption": 4,
}
COMPETITION = {
    "competitors": [
        {
            "name": "Incumbent",
            "market_share": 40,
            "price": 9_000,
            "features": ["sso", "api", "reports"],
        },
        {"name": "Challenger", "market_share": 20, "price": 5_000, "features": ["sso", "api"]},
        {"name": "Budget", "market_share": 5, "price": 1_200, "features": ["sso"]},
    ],
    "product": {"name": "Acme", "price": 6_000, "features": ["api", "forecasting"]},
}
BLUEPRINT = {
    "product": {"name": "Acme", "kind": "web"},
    "features": [
        {"name": "sign-up", "reach": 1000, "effort": 1},
        {"name": "forecasting", "reach": 800, "impact": 3, "effort": 3},
        {"name": "exports", "reach": 200, "effort": 1, "complexity": "low"},
    ],
}


def report_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Acme forecasting",
        "market": MARKET,
        "competition": COMPETITION,
        "blueprint": BLUEPRINT,
        "funding_usd": 2_000_000,
    }
    return {**body, **changes}
