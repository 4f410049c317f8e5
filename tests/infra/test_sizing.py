"""Sizes that follow from the manifest (docs/capacity.md, docs/decisions/0034): the Direct
VPC egress subnet, PostgreSQL connections, the Cloud SQL CA the connectors verify, the
startup probe and functions-framework's threads. Each sum is computed here from the
manifest and compared with what Terraform sets."""

from __future__ import annotations

import ipaddress
import os
import re

import pytest

from shared.settings import Settings
from shared.wiring.manifest import Manifest, load_manifest
from tests.infra.hcl import INFRA, ROOT, blocks, clean, expr, locals_of, parse, resource, unquote

PLATFORM = INFRA / "modules" / "platform"
ADDRESSES_PER_INSTANCE = 2  # Cloud Run's Direct VPC egress
ROLLOUT_FACTOR = 2  # old and new revisions run side by side while traffic moves


@pytest.fixture(scope="module")
def manifest() -> Manifest:
    return load_manifest()


@pytest.fixture(scope="module")
def hcl() -> dict[str, object]:
    return locals_of(PLATFORM)


def vpc_functions(manifest: Manifest) -> list[str]:
    """Python twin of `vpc_egress` in manifest.tf: SQL users and the public functions
    (their rate limiter is Memorystore)."""
    return [f.name for f in manifest.functions if "sql" in f.uses or (f.http and f.http.public)]


def test_only_functions_that_reach_a_data_store_attach_to_the_vpc(manifest, hcl) -> None:
    assert 'vpc_egress = contains(try(f.uses, []), "sql") || try(f.http.public, false)' in expr(
        hcl["functions"]
    )
    service = resource(PLATFORM, "google_cloud_run_v2_service", "function").body
    [template] = service["template"]
    assert "vpc_access" not in template, "every function would attach"
    [vpc] = [d['"vpc_access"'] for d in template["dynamic"] if '"vpc_access"' in d]
    assert expr(vpc["for_each"]) == "each.value.vpc_egress ? [1] : []"
    attached = set(vpc_functions(manifest))
    assert "api" in attached and "advance-simulation" in attached
    assert {"record-security-event", "refresh-graph", "venture-step"}.isdisjoint(attached)


def test_the_egress_subnet_holds_two_addresses_per_instance(manifest) -> None:
    default = unquote(blocks(PLATFORM, "variable")["run_subnet_cidr"]["default"])
    subnet = ipaddress.ip_network(default)
    usable = subnet.num_addresses - 4  # GCP reserves four addresses in every subnet
    instances = sum(manifest.function(n).service.max_instances for n in vpc_functions(manifest))
    needed = ADDRESSES_PER_INSTANCE * ROLLOUT_FACTOR * instances
    assert needed <= usable, f"{subnet}: {needed} addresses needed, {usable} usable"
    # room for every function to attach one day (today: /21)
    everyone = sum(f.service.max_instances for f in manifest.functions)
    assert ADDRESSES_PER_INSTANCE * ROLLOUT_FACTOR * everyone <= usable
    assert subnet.prefixlen <= 21
    # Terraform checks the same at plan time
    sizing = parse(PLATFORM / "sizing.tf")
    checks = {unquote(k): v for c in sizing["check"] for k, v in clean(c).items()}
    condition = expr(checks["run_subnet_fits"]["assert"][0]["condition"])
    assert condition == "2 * 2 * local.vpc_instances_max <= local.run_subnet_capacity"


def test_sql_connections_fit_max_connections(manifest, hcl) -> None:
    pool = int(unquote(hcl["sql_pool_size"]))
    max_connections = int(unquote(hcl["sql_max_connections"]))
    reserved = int(unquote(hcl["sql_reserved_connections"]))
    instances = sum(f.service.max_instances for f in manifest.functions if "sql" in f.uses)
    assert pool * instances <= max_connections - reserved, (
        f"{pool} x {instances} SQL-using instances > {max_connections} - {reserved}"
    )
    # max_connections is set explicitly on the instance, from the same local
    instance = resource(PLATFORM, "google_sql_database_instance", "main").body
    [settings] = instance["settings"]
    flags = {unquote(f["name"]): expr(f["value"]) for f in settings["database_flags"]}
    assert flags["max_connections"] == "tostring(local.sql_max_connections)"
    # every instance gets the pool size, and the code's default is the same number
    service = resource(PLATFORM, "google_cloud_run_v2_service", "function").body
    [container] = service["template"][0]["containers"]
    env = {unquote(e["name"]): expr(e["value"]) for e in container["env"]}
    assert env["AIA_SQL_POOL_SIZE"] == "tostring(local.sql_pool_size)"
    assert Settings.model_fields["sql_pool_size"].default == pool
    sizing = parse(PLATFORM / "sizing.tf")
    checks = {unquote(k): v for c in sizing["check"] for k, v in clean(c).items()}
    condition = expr(checks["sql_connections_fit"]["assert"][0]["condition"])
    assert condition == (
        "local.sql_pool_size * local.sql_instances_max <= "
        "local.sql_max_connections - local.sql_reserved_connections"
    )


def test_the_pool_is_a_ceiling() -> None:
    """No overflow: an instance never opens more than AIA_SQL_POOL_SIZE connections."""
    from shared.adapters.sql.database import SqlAlchemyDatabase

    database = SqlAlchemyDatabase("postgresql+psycopg://aia@127.0.0.1:5432/aia", pool_size=3)
    pool = database.engine.pool
    assert pool.size() == 3 and pool._max_overflow == 0  # type: ignore[attr-defined]
    settings = Settings(_env_file=None, sql_pool_size=7)  # type: ignore[call-arg]
    assert settings.sql_pool_size == 7


def test_cloud_sql_ca_is_one_the_connectors_verify() -> None:
    """Functions connect through Cloud Run's Cloud SQL connection (the Auth Proxy), which
    verifies the instance's own CA; the shared CAS-based CA needs newer connectors."""
    instance = resource(PLATFORM, "google_sql_database_instance", "main").body
    [ip] = instance["settings"][0]["ip_configuration"]
    assert unquote(ip["server_ca_mode"]) == "GOOGLE_MANAGED_INTERNAL_CA"
    assert unquote(ip["ssl_mode"]) == "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"
    assert ip["ipv4_enabled"] is False


def test_every_service_is_probed_with_an_http_get_of_ready(manifest, hcl) -> None:
    service = resource(PLATFORM, "google_cloud_run_v2_service", "function").body
    [container] = service["template"][0]["containers"]
    # one static block: the same probe for every function, no TCP fallback
    assert not [d for d in container.get("dynamic", []) if '"startup_probe"' in d]
    [probe] = container["startup_probe"]
    assert "tcp_socket" not in probe and "grpc" not in probe
    [http_get] = probe["http_get"]
    assert unquote(http_get["path"]) == "/ready" and http_get["port"] == 8080
    assert "ready =" not in expr(hcl["functions"]), "no per-function probe choice left"
    # and every function's container answers it: the image's launcher adds GET /ready
    # to the functions that do not route it themselves (the API does: it also asks its
    # backends; shared/api/system.py)
    from shared.runtime.function_server import serves_own_ready

    own = [f.name for f in manifest.functions if serves_own_ready(f)]
    assert own == ["api"]
    assert '"/ready",' in (ROOT / "shared" / "api" / "system.py").read_text()
    assert 'CMD ["python", "-m", "shared.runtime.function_server"]' in (
        (ROOT / "Dockerfile").read_text()
    )


def test_functions_framework_threads_match_concurrency(monkeypatch) -> None:
    service = resource(PLATFORM, "google_cloud_run_v2_service", "function").body
    [container] = service["template"][0]["containers"]
    env = {unquote(e["name"]): expr(e["value"]) for e in container["env"]}
    assert env["THREADS"] == "tostring(each.value.service.concurrency)"
    assert unquote(env["WORKERS"]) == "1"
    [template] = service["template"]
    assert expr(template["max_instance_request_concurrency"]) == "each.value.service.concurrency"
    # functions-framework's gunicorn takes its thread count from THREADS
    from functions_framework._http.gunicorn import GunicornApplication

    monkeypatch.setenv("THREADS", "37")
    monkeypatch.setenv("WORKERS", "1")
    app = GunicornApplication(lambda *_: None, "127.0.0.1", 0, False)
    assert app.options["threads"] == 37 and app.options["workers"] == 1
    assert os.environ["THREADS"] == "37"
    # the image's launcher serves with that same server (create_server -> gunicorn)
    launcher = (ROOT / "shared" / "runtime" / "function_server.py").read_text()
    assert "from functions_framework._http import create_server" in launcher
    assert re.search(r"create_server\(app, False\)\.run\(", launcher)
