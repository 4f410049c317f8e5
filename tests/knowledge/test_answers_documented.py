"""The graph's answers are what /openapi.json says: a node's releases and provenance,
an inferred edge's recursive provenance, an import's matches and the registry list
validate against their documented schemas, with no key the reference leaves out."""

from __future__ import annotations

from shared.runtime.local import LocalRuntime
from tests.knowledge.test_api import ACME
from tests.support.api import ApiClient
from tests.support.documented import documented_problems


def test_node_neighbors_import_and_registries_answer_their_documented_shapes(
    api: ApiClient, app_runtime: LocalRuntime
) -> None:
    client = api.anonymous()
    node = client.get("/v1/graph/nodes/technology:python").json
    assert node["releases"] and node["provenance"]
    assert documented_problems("GET", "/v1/graph/nodes/{id}", 200, node) == []

    root = api.user("root", admin=True)
    imported = root.post(
        "/v1/admin/graph/imports", json={"registry": "acme", "format": "json", "content": ACME}
    )
    assert imported.status_code == 202, imported.json
    assert documented_problems("POST", "/v1/admin/graph/imports", 202, imported.json) == []
    app_runtime.dispatcher.drain()

    path = "/v1/graph/nodes/{id}/neighbors"
    near = client.get("/v1/graph/nodes/resource:acme-queue-course/neighbors").json
    inferred = [n for n in near["neighbors"] if n["inferred"]]
    assert inferred and documented_problems("GET", path, 200, near) == []
    origin = inferred[0]["provenance"]
    # the rule and the edges it came from, each stating its own registry
    assert origin["rule"] and origin["from"] and "registry" not in origin
    assert all(step["registry"] for step in origin["from"])

    listing = root.get("/v1/admin/graph/imports").json
    assert [r["name"] for r in listing["registries"]] == ["acme"]
    assert documented_problems("GET", "/v1/admin/graph/imports", 200, listing) == []
