"""The operational endpoints through the real API function (functions-framework app)."""

from __future__ import annotations

import pytest
from werkzeug.test import Client

from shared.runtime.local import LocalRuntime
from tests.support.api import ApiClient


@pytest.fixture
def client(app_runtime: LocalRuntime) -> Client:
    return Client(app_runtime.host.wsgi())


def test_health(client: Client) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json["status"] == "ok"


BACKENDS = {"documents", "sql", "events", "secrets", "tasks", "workflows"}


def test_ready_answers_the_verdict_only(client: Client) -> None:
    response = client.get("/ready")
    assert response.status_code == 200
    assert response.json == {"status": "ready"}


def test_ready_fails_when_a_backend_is_down(app_runtime: LocalRuntime, client: Client) -> None:
    from shared.adapters.sql.database import SqlAlchemyDatabase

    # nothing listens on port 1: the SQL check fails fast with a refused connection
    app_runtime.platform.sql = SqlAlchemyDatabase("postgresql+psycopg://aia@127.0.0.1:1/aia")
    response = client.get("/ready")
    assert response.status_code == 503
    assert response.content_type == "application/problem+json"
    assert response.headers["Retry-After"] == "5"
    assert not any(name in response.get_data(as_text=True) for name in BACKENDS)


def test_admins_read_each_backends_check(api: ApiClient) -> None:
    response = api.user("root", admin=True).get("/v1/admin/readiness")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.json["status"] == "ready"
    assert response.json["checks"] == dict.fromkeys(BACKENDS, "ok")


def test_admin_readiness_names_the_failing_backend(
    app_runtime: LocalRuntime, api: ApiClient
) -> None:
    from shared.adapters.sql.database import SqlAlchemyDatabase

    root = api.user("root", admin=True)
    app_runtime.platform.sql = SqlAlchemyDatabase("postgresql+psycopg://aia@127.0.0.1:1/aia")
    response = root.get("/v1/admin/readiness")
    assert response.status_code == 200
    assert response.json["status"] == "unavailable"
    assert response.json["checks"]["sql"].startswith("unavailable: ")
    assert response.json["checks"]["documents"] == "ok"


def test_metrics_count_requests_by_route_and_status(client: Client) -> None:
    client.get("/health")
    client.get("/no-such-page")
    text = client.get("/metrics").get_data(as_text=True)
    assert 'aia_http_requests_total{method="GET",route="/health",status="200"}' in text
    assert 'route="unmatched",status="404"' in text
    assert "aia_http_request_duration_seconds_bucket" in text
    assert "aia_events_dead_lettered_total" in text or "aia_events_handled_total" in text


def test_openapi_is_valid_3_1(client: Client) -> None:
    from openapi_spec_validator import validate

    doc = client.get("/openapi.json").json
    validate(doc)
    assert doc["openapi"] == "3.1.0"
    assert "/health" in doc["paths"]
    assert "Problem" in doc["components"]["schemas"]
    schemes = doc["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    assert schemes["apiKey"]["name"] == "X-API-Key"
    assert doc["paths"]["/v1/me"]["get"]["security"] == [{"bearerAuth": []}, {"apiKey": []}]
    assert "security" not in doc["paths"]["/v1/auth/login"]["post"]


def test_docs_page_lists_the_routes(client: Client) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    assert "text/html" in response.content_type
    assert "/openapi.json" in response.get_data(as_text=True)


def test_a_post_goes_through_the_api_function(client: Client) -> None:
    # the request takes the production path: functions-framework's app, then the API
    body = {"email": "via-ff@example.com", "password": "correct horse battery", "name": "F"}
    response = client.post("/v1/auth/register", json=body)
    assert response.status_code == 201, response.get_data(as_text=True)
    bad = client.post("/v1/auth/register", data="{oops", content_type="application/json")
    assert bad.status_code == 400
    assert bad.content_type == "application/problem+json"
