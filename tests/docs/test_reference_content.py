"""What /openapi.json tells a reader: every request body's example is accepted as-is by
the app `make run` starts (no 400 or 422: what can still say no is a rule or a missing
resource, never the shape), and every field (nested ones too) and query parameter is
described."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pydantic import BaseModel, Field

from shared.adapters.http.catalog import openapi_document
from shared.api.openapi import build_openapi
from shared.api.spec import ApiRequest, route
from shared.runtime.local import LocalRuntime
from tests.accounts.test_password_reset import reset_events, token_of
from tests.support.api import ApiClient

DOC = openapi_document("/")
BODIES = [
    (path, method, op["requestBody"]["content"]["application/json"])
    for path, ops in DOC["paths"].items()
    for method, op in ops.items()
    if "requestBody" in op
]


@pytest.mark.parametrize(
    ("path", "method", "media"), BODIES, ids=[f"{m} {p}" for p, m, _ in BODIES]
)
def test_every_body_example_is_accepted_as_is(
    api: ApiClient, app_runtime: LocalRuntime, path: str, method: str, media: dict[str, Any]
) -> None:
    assert "example" in media, f"{method.upper()} {path} has no example body"
    admin = api.user("root", admin=True)
    # path parameters name the caller's own things where the route needs one that exists
    url = re.sub(r"{user_id}", admin.user_id, path)
    url = re.sub(r"{[a-z_]+}", "1", url)
    headers = {"Idempotency-Key": f"example-{method}-{path}"}
    body = (
        {**media["example"], **_secrets(api, app_runtime, path)}
        if path in SECRETS
        else media["example"]
    )
    response = admin.request(method.upper(), url, json=body, headers=headers)
    text = response.get_data(as_text=True)
    assert response.status_code not in (400, 422), text
    # 503 is a declared answer (payments without Stripe keys, as under `make run`)
    assert response.status_code != 500, text


# One-time secrets a user reads in an email: an example can only say where they come from,
# so these are taken from the mail the app sent, as the user would.
SECRETS = {"/v1/auth/verify-email", "/v1/auth/password-reset/confirm"}


def _secrets(api: ApiClient, runtime: LocalRuntime, path: str) -> dict[str, str]:
    ada = api.user("ada", verified=False)
    if path == "/v1/auth/verify-email":
        return {"token": api.verification_token(ada.user_id)}
    asked = api.anonymous().post("/v1/auth/password-reset", json={"email": ada.email})
    assert asked.status_code == 202, asked.get_data(as_text=True)
    [event] = reset_events(runtime)
    return {"token": token_of(event)}


def undescribed(doc: dict[str, Any]) -> list[str]:
    """Every property without a description, wherever it sits: in a component schema,
    in an object nested inline (lists, maps, unions), or in a schema a path declares
    inline. A `$ref` is covered by the component it names, which is walked itself."""
    found: list[str] = []

    def walk(schema: Any, where: str) -> None:
        if not isinstance(schema, dict):
            return
        for name, prop in schema.get("properties", {}).items():
            if not (isinstance(prop, dict) and str(prop.get("description", "")).strip()):
                found.append(f"{where}.{name}")
            walk(prop, f"{where}.{name}")
        for key in ("items", "additionalProperties", "not"):
            walk(schema.get(key), f"{where}[]")
        for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
            for sub in schema.get(key, []):
                walk(sub, where)

    for name, schema in doc["components"]["schemas"].items():
        walk(schema, name)
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            bodies = [op.get("requestBody", {}), *op.get("responses", {}).values()]
            for body in bodies:
                for media in body.get("content", {}).values():
                    walk(media.get("schema"), f"{method.upper()} {path}")
    return found


def refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        own = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        return own.union(*(refs(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(refs(v) for v in node))
    return set()


def test_every_field_of_every_model_is_described() -> None:
    assert undescribed(DOC) == [], "describe these fields (what, unit, bounds, null)"


def test_every_ref_names_a_component_that_is_checked() -> None:
    # a nested model reached only through a $ref is a component, so the walk above sees it
    components = set(DOC["components"]["schemas"])
    named = {ref.removeprefix("#/components/schemas/") for ref in refs(DOC["paths"])}
    named |= {ref.removeprefix("#/components/schemas/") for ref in refs(DOC["components"])}
    assert named - components == set()
    assert {"SectorSummary", "DeadLetter", "ReportSummary", "DatasetSummary"} <= components


class _Leaf(BaseModel):
    described: int = Field(description="A leaf that says what it is")
    bare: int


class _Branch(BaseModel):
    leaves: list[_Leaf] = Field(description="Leaves, nested in a list")
    by_name: dict[str, _Leaf | None] = Field(description="Leaves, in a map of unions")
    inline: dict[str, Any] = Field(
        description="An inline object", json_schema_extra={"properties": {"loose": {}}}
    )


class _Root(BaseModel):
    branch: _Branch = Field(description="A described $ref to a model with gaps")
    undocumented: str


def _noop(_: ApiRequest[_Root]) -> None:
    return None


def test_the_check_finds_fields_nested_at_any_depth() -> None:
    doc = build_openapi(
        [route("POST", "/probe", _noop, "Probe", "probe", body=_Root, response=_Root)],
        version="0",
        server="/",
    )
    assert sorted(undescribed(doc)) == ["_Branch.inline.loose", "_Leaf.bare", "_Root.undocumented"]


def test_every_query_parameter_is_described() -> None:
    missing = [
        f"{method.upper()} {path} ?{param['name']}"
        for path, ops in DOC["paths"].items()
        for method, op in ops.items()
        for param in op.get("parameters", [])
        if param["in"] == "query" and not param.get("description")
    ]
    assert missing == []


def test_deprecated_parameters_are_marked_and_described_once() -> None:
    deprecated = {
        (path, param["name"])
        for path, ops in DOC["paths"].items()
        for op in ops.values()
        for param in op.get("parameters", [])
        if param.get("deprecated")
    }
    assert deprecated == {
        ("/v1/governance/proposals", "before"),
        ("/v1/wallet/history", "before"),
        ("/v1/governance/proposals/{proposal_id}/votes", "offset"),
        ("/v1/admin/users", "offset"),
    }
    assert "**Pagination.**" in DOC["info"]["description"]
