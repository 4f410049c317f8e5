"""Every 4xx/5xx is application/problem+json (RFC 9457); validation errors name each
field at fault; an unhandled error leaks neither its stack nor its message."""

from __future__ import annotations

import json
import logging

import pytest
from flask.testing import FlaskClient
from pydantic import BaseModel, Field

from shared.adapters.http.app import create_api_app
from shared.api.spec import ApiRequest, Route
from shared.runtime.local import LocalRuntime


class Order(BaseModel):
    email: str = Field(min_length=3)
    quantity: int = Field(ge=1)


class Page(BaseModel):
    limit: int = Field(default=10, ge=1, le=100)


def create_order(req: ApiRequest) -> dict[str, int]:
    return {"quantity": req.body.quantity}


def explode(_: ApiRequest) -> None:
    raise RuntimeError("database password is hunter2")


def listing(req: ApiRequest) -> dict[str, int]:
    return {"limit": req.query.limit}


@pytest.fixture
def client(app_runtime: LocalRuntime) -> FlaskClient:
    features = app_runtime.features
    routes = [
        Route("POST", "/v1/orders", create_order, "create", "t", body=Order, status=201),
        Route("GET", "/v1/orders", listing, "list", "t", query=Page),
        Route("GET", "/v1/explode", explode, "boom", "t"),
        Route("GET", "/v1/private", listing, "private", "t", auth="user"),
    ]
    app = create_api_app(routes, lambda: features, max_request_bytes=2048)
    return app.test_client()


def problem(response) -> dict:  # type: ignore[no-untyped-def]
    assert response.content_type == "application/problem+json"
    body = json.loads(response.data)
    assert {"type", "title", "status", "detail", "instance"} <= set(body)
    assert body["status"] == response.status_code
    return body


def test_valid_request_passes(client: FlaskClient) -> None:
    response = client.post("/v1/orders", json={"email": "a@b.c", "quantity": 2})
    assert response.status_code == 201
    assert response.json == {"quantity": 2}


def test_400_names_each_field_at_fault(client: FlaskClient) -> None:
    body = problem(client.post("/v1/orders", json={"email": "", "quantity": 0, "extra": 1}))
    assert body["type"].endswith("/validation-error")
    fields = {e["field"] for e in body["errors"]}
    assert fields == {"email", "quantity"}
    assert all(e["in"] == "body" for e in body["errors"])


def test_400_on_malformed_and_missing_json(client: FlaskClient) -> None:
    malformed = problem(client.post("/v1/orders", data="{nope", content_type="application/json"))
    assert malformed["errors"][0]["code"] == "json_invalid"
    missing = problem(client.post("/v1/orders"))
    assert missing["status"] == 400


def test_400_on_bad_query(client: FlaskClient) -> None:
    body = problem(client.get("/v1/orders?limit=abc"))
    assert body["errors"][0]["field"] == "limit"
    assert body["errors"][0]["in"] == "query"


def test_404_and_405(client: FlaskClient) -> None:
    assert problem(client.get("/v1/nothing-here"))["status"] == 404
    response = client.delete("/v1/orders")
    assert problem(response)["status"] == 405
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}


def test_401_without_credentials(client: FlaskClient) -> None:
    response = client.get("/v1/private")
    assert problem(response)["status"] == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_413_on_oversized_body(client: FlaskClient) -> None:
    response = client.post("/v1/orders", data="x" * 5000, content_type="application/json")
    assert problem(response)["status"] == 413


def test_500_leaks_nothing(client: FlaskClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR)
    response = client.get(
        "/v1/explode", headers={"traceparent": "00-" + "a" * 32 + "-" + "b" * 16 + "-01"}
    )
    body = problem(response)
    assert body["status"] == 500
    assert "hunter2" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    assert any(r.exc_info for r in caplog.records)  # the operator still gets the stack


def test_security_headers(client: FlaskClient) -> None:
    headers = client.get("/v1/orders").headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert "max-age" in headers["Strict-Transport-Security"]
