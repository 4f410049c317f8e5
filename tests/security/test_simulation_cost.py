"""Issue #13, "simulations cost the same at any size": a million households for 2,400
months cost 10 AIA and wrote ~50 GB of state. One test per point of the finding; each
failed on the code before the fix."""

from __future__ import annotations

import pytest

from tests.support.api import ApiClient


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ('{"households": 1e6}', "households"),
        ('{"households": 1000.0}', "households"),
        ('{"households": "1000"}', "households"),
        ('{"ticks": 24.0}', "ticks"),
        ('{"seed": 7.0}', "seed"),
    ],
)
def test_sizes_must_be_json_integers(api: ApiClient, raw: str, field: str) -> None:
    reply = api.user("ada").post(
        "/v1/simulations", data=raw, headers={"Content-Type": "application/json"}
    )
    assert reply.status_code == 400, reply.json
    assert reply.mimetype == "application/problem+json"
    assert [e["field"] for e in reply.json["errors"]] == [field]


@pytest.mark.parametrize("query", ["from_tick=2.0", "limit=10.0", "limit=1_0", "from_tick=%202"])
def test_metric_queries_take_only_integers(api: ApiClient, query: str) -> None:
    ada = api.user("ada")
    simulation = ada.post("/v1/simulations", json={"households": 200, "ticks": 3}).json["id"]
    reply = ada.get(f"/v1/simulations/{simulation}/metrics?{query}")
    assert reply.status_code == 400, reply.json
    [error] = reply.json["errors"]
    assert (error["field"], error["in"]) == (query.split("=")[0], "query")
