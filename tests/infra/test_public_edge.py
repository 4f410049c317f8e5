"""The public edge (load balancer + Cloud Armor) serves the API and nothing else: readiness,
metrics and private functions' paths answer 404 on every host, while Cloud Run's probes
and the metrics sidecar, which reach the container directly, keep them."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from shared.adapters.http.catalog import all_routes
from shared.wiring.manifest import Manifest, load_manifest
from tests.infra.edge import EDGE, PLATFORM, Edge, production_edge
from tests.infra.hcl import ROOT, blocks, expr, resource, unquote

# Ways to spell a refused path that the API would still route to it (or near it).
VARIANTS = ["{p}", "{p}/", "{p}/x", "{p}?verbose=1", "/{p}", "{P}", "{enc}"]


@pytest.fixture(scope="module")
def manifest() -> Manifest:
    return load_manifest()


@pytest.fixture(scope="module")
def edge(manifest: Manifest) -> tuple[Edge, list[str]]:
    raw: dict[str, Any] = yaml.safe_load((ROOT / "shared" / "wiring" / "manifest.yaml").read_text())
    return production_edge(manifest, raw)


def spellings(path: str) -> list[str]:
    encoded = path[:1] + "".join(f"%{ord(c):02X}" if c.isalpha() else c for c in path[1:])
    return [v.format(p=path, P=path.upper(), enc=encoded) for v in VARIANTS]


def test_refused_paths_are_the_probes_metrics_and_private_functions(
    edge: tuple[Edge, list[str]], manifest: Manifest
) -> None:
    _, paths = edge
    private = {f.http.local_path for f in manifest.functions if f.http and not f.http.public}
    assert {"/ready", "/metrics", "/internal/email-send"} <= set(paths)
    assert private <= set(paths)
    assert "/health" not in paths, "the uptime check reads /health through the edge"


def test_every_host_refuses_every_non_public_path(edge: tuple[Edge, list[str]]) -> None:
    model, paths = edge
    assert len(model.hosts) >= 6  # apex, api, app, admin, api-candidate, any other host
    for host in model.hosts:
        for path in paths:
            for spelling in spellings(path):
                assert model.answer(host, spelling) == "deny(404)", (host, spelling)


def test_every_host_serves_the_public_api(edge: tuple[Edge, list[str]]) -> None:
    model, _ = edge
    container_only = {"/ready", "/metrics"}
    public = [re.sub(r"{\w+}", "x", r.path) for r in all_routes() if r.path not in container_only]
    assert "/v1/admin/readiness" in public and "/health" in public
    for host in model.hosts:
        for path in [*public, "/readiness", "/metrics-help", "/v1/internal/x"]:
            assert model.answer(host, path) == "allow", (host, path)
        for path in container_only:
            assert model.answer(host, path) == "deny(404)", (host, path)


def test_the_refusal_comes_before_any_allow_rule(edge: tuple[Edge, list[str]]) -> None:
    model, _ = edge
    [refusal] = [r for r in model.rules if r.action == "deny(404)"]
    first_allow = min(r.priority for r in model.rules if r.action == "allow")
    assert refusal.priority < first_allow


def test_probes_and_scrapes_reach_the_container_not_the_edge(
    edge: tuple[Edge, list[str]], manifest: Manifest
) -> None:
    _, paths = edge
    service = resource(PLATFORM, "google_cloud_run_v2_service", "function").body
    [container] = service["template"][0]["containers"]
    assert container["ports"][0]["container_port"] == 8080
    # /ready is probed on the container (tests/infra/test_sizing.py checks the probe)
    [http_get] = container["startup_probe"][0]["http_get"]
    assert (unquote(http_get["path"]), http_get["port"]) == ("/ready", 8080)
    [liveness] = [d['"liveness_probe"'] for d in container["dynamic"] if '"liveness_probe"' in d]
    [http_get] = liveness["content"][0]["http_get"]
    assert (unquote(http_get["path"]), http_get["port"]) == ("/health", 8080)
    # the Prometheus sidecar scrapes the function's own /metrics on localhost:8080
    api = manifest.function("api")
    assert api.http and {"/ready", "/metrics"} <= set(api.http.container_only)
    assert "/health" not in paths


def test_private_functions_are_not_behind_the_edge() -> None:
    service = resource(PLATFORM, "google_cloud_run_v2_service", "function").body
    assert expr(service["ingress"]) == (
        'each.value.public ? "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER" : '
        '"INGRESS_TRAFFIC_INTERNAL_ONLY"'
    )
    invoker = resource(PLATFORM, "google_cloud_run_v2_service_iam_member", "public_invoker")
    assert invoker.for_each == "local.public_functions"
    for name in ("service", "candidate"):
        neg = resource(EDGE, "google_compute_region_network_endpoint_group", name)
        assert neg.for_each == "toset(var.public_services)"
    edge = blocks(ROOT / "infra" / "environments" / "production", "module")["edge"]
    assert expr(edge["public_services"]) == "module.platform.public_functions"


def test_each_face_has_its_host_and_admin_opens_on_the_console(
    edge: tuple[Edge, list[str]],
) -> None:
    """app. and admin. reach the API's service (pages and API on one origin, ADR 0023);
    on admin. the url map answers `/` alone with 303 to the console (ADR 0030)."""
    model, _ = edge
    assert model.hosts["app.013a.tech"] == model.hosts["api.013a.tech"]
    assert model.hosts["admin.013a.tech"] == model.hosts["api.013a.tech"]
    assert model.answer("admin.013a.tech", "/") == "redirect /admin/"
    assert model.answer("admin.013a.tech", "/?next=x") == "redirect /admin/"
    for path in ("/admin/", "/admin/users", "/sign-in", "/v1/me", "/assets/app.css"):
        assert model.answer("admin.013a.tech", path) == "allow", path
    for host in ("app.013a.tech", "013a.tech", "api.013a.tech"):
        assert model.answer(host, "/") == "allow", host
    # production passes its own start paths, the module's defaults
    module = blocks(EDGE, "variable")["start_paths"]["default"]
    production = blocks(ROOT / "infra" / "environments" / "production", "variable")
    assert production["start_paths"]["default"] == module
    edge_module = blocks(ROOT / "infra" / "environments" / "production", "module")["edge"]
    assert expr(edge_module["start_paths"]) == "var.start_paths"
    # each face's hostname is a Cloudflare record and a name on the origin certificate
    for kind in ("cloudflare_record", "google_certificate_manager_dns_authorization"):
        assert resource(EDGE, kind, "host").for_each == "local.fqdn", kind
    certificate = resource(EDGE, "google_certificate_manager_certificate", "edge").body
    assert expr(certificate["managed"][0]["domains"]) == "values(local.fqdn)"
