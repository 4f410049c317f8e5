"""The venture endpoints through the app, as users: answers, problem+json for
nonsense, authentication, and tenant isolation of datasets."""

from __future__ import annotations

import json

from tests.support.api import ApiClient
from tests.venture.conftest import BLUEPRINT, COMPETITION, MARKET


def test_sectors_are_public_reference_data(api: ApiClient) -> None:
    response = api.anonymous().get("/v1/venture/sectors")
    assert response.status_code == 200
    body = response.json
    assert body["count"] >= 40 and body["total_market_size_usd"] > 500e9
    for sector in body["sectors"]:
        assert sector["market_size_usd"] > 0
        assert sector["source"]["name"] and sector["source"]["year"]
        assert sector["naics"][0]["title"]
    pets = api.anonymous().get("/v1/venture/sectors?q=pet").json
    assert [s["id"] for s in pets["sectors"]] == ["us-pet"]
    europe = api.anonymous().get("/v1/venture/sectors?region=europe").json
    assert "us-pet" not in {s["id"] for s in europe["sectors"]}
    assert api.anonymous().get("/v1/venture/sectors?region=mars").status_code == 400


def test_the_analysis_endpoints_answer_a_user(api: ApiClient) -> None:
    alice = api.user("alice")
    market = alice.post("/v1/venture/market-analysis", json=MARKET)
    assert market.status_code == 200, market.json
    assert {"tam", "sam", "som", "projection", "sensitivity", "assumptions"} <= set(market.json)
    assert market.json["tam"] >= market.json["sam"] >= market.json["som"] > 0
    landscape = alice.post("/v1/venture/competitive-landscape", json=COMPETITION)
    assert landscape.status_code == 200
    assert landscape.json["hhi"] == 40**2 + 20**2 + 5**2 == 2025
    assert landscape.json["concentration"] == "highly concentrated"  # 2023: over 1,800
    assert landscape.json["concentration_2010"] == "moderately concentrated"
    blueprint = alice.post("/v1/venture/mvp-blueprint", json={"product": "Acme", "size_ksloc": 10})
    assert blueprint.status_code == 200
    assert (blueprint.json["effort_person_months"], blueprint.json["schedule_months"]) == (
        36.99,
        11.57,
    )
    assert blueprint.json["cost_usd"] > 0 and blueprint.json["milestones"]
    plan = alice.post("/v1/venture/resource-plan", json={**BLUEPRINT, "funding_usd": 500_000})
    assert plan.status_code == 200
    assert plan.json["months"] and plan.json["runway_months"] > 0


def test_nonsense_gets_problem_json_naming_the_field(api: ApiClient) -> None:
    alice = api.user("alice")
    cases = [
        ("/v1/venture/market-analysis", {**MARKET, "segment_share": 140}, "segment_share"),
        ("/v1/venture/market-analysis", {**MARKET, "sector": "us-pet"}, "region"),
        ("/v1/venture/market-analysis", {**MARKET, "sector": "quantum-bakeries"}, "sector"),
        (
            "/v1/venture/competitive-landscape",
            {
                "competitors": [
                    {"name": "a", "market_share": 80, "price": 1},
                    {"name": "b", "market_share": 30, "price": 1},
                ]
            },
            "competitors",
        ),
        ("/v1/venture/mvp-blueprint", {"product": "x", "size_ksloc": -1}, "size_ksloc"),
        (
            "/v1/venture/mvp-blueprint",
            {"product": "x", "size_ksloc": 3, "cost_drivers": {"time": "low"}},
            "cost_drivers.time",
        ),
        (
            "/v1/venture/resource-plan",
            {"product": "x", "size_ksloc": 3, "funding_usd": -5},
            "funding_usd",
        ),
    ]
    for path, body, field in cases:
        response = alice.post(path, json=body)
        assert response.status_code == 400, (path, body)
        assert response.content_type == "application/problem+json"
        assert field in [e["field"] for e in response.json["errors"]], response.json


def test_analysis_needs_a_user(api: ApiClient) -> None:
    response = api.anonymous().post("/v1/venture/market-analysis", json=MARKET)
    assert response.status_code == 401


CSV = (
    "id,name,naics,market_size_usd,year,cagr,source_name,source_year,"
    "region_europe,region_north_america\n"
    "vertical-farming,Vertical farming,111419,6000000000,2023,0.2,"
    "Our supplier survey,2024,0.6,0.4\n"
)


def test_users_own_data_is_validated_used_and_private(api: ApiClient) -> None:
    alice, bob = api.user("alice"), api.user("bob")
    uploaded = alice.post(
        "/v1/venture/datasets", json={"name": "farms", "format": "csv", "content": CSV}
    )
    assert uploaded.status_code == 201, uploaded.json
    dataset = uploaded.json["id"]
    body = {
        **MARKET,
        "sector": "vertical-farming",
        "dataset": dataset,
        "base_year": 2023,
        "region": "europe",
    }
    market = alice.post("/v1/venture/market-analysis", json=body)
    assert market.status_code == 200, market.json
    assert market.json["top_down"]["tam"] == 6e9 * 0.6
    assert market.json["sector"]["source"]["name"] == "Our supplier survey"
    assert bob.post("/v1/venture/market-analysis", json=body).status_code == 404
    assert [d["id"] for d in alice.get("/v1/venture/datasets").json["datasets"]] == [dataset]
    assert bob.get("/v1/venture/datasets").json["datasets"] == []
    bad = CSV.replace("6000000000", "-6").replace("0.6,0.4", "0.9,0.4")
    rejected = alice.post(
        "/v1/venture/datasets", json={"name": "x", "format": "csv", "content": bad}
    )
    assert rejected.status_code == 400
    fields = {e["field"] for e in rejected.json["errors"]}
    assert {"content.sectors.0.market_size_usd", "content.sectors.0.regions"} <= fields
    records = json.dumps([{"id": "x"}])
    as_json = alice.post(
        "/v1/venture/datasets", json={"name": "x", "format": "json", "content": records}
    )
    assert as_json.status_code == 400 and "content.sectors.0.name" in {
        e["field"] for e in as_json.json["errors"]
    }
