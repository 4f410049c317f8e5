"""The Terraform in infra/ parses, is laid out like a module library, and follows the
house rules (additive IAM only, described variables and outputs, pinned providers)."""

from __future__ import annotations

import re

import pytest

from tests.infra.hcl import INFRA, ROOT, blocks, clean, expr, parse, resources, tf_files, unquote

MODULES = [INFRA / "modules" / "platform", INFRA / "modules" / "edge"]
ROOTS = [INFRA / "environments" / "production"]


def test_every_tf_file_parses() -> None:
    files = tf_files()
    assert len(files) >= 20, files
    for path in files:
        parsed = parse(path)
        assert parsed, f"{path} parsed to nothing"


@pytest.mark.parametrize("folder", MODULES + ROOTS, ids=lambda p: p.name)
def test_each_module_has_versions_variables_outputs(folder) -> None:
    for name in ("versions.tf", "variables.tf", "outputs.tf"):
        assert (folder / name).is_file(), f"{folder}/{name}"
    [terraform] = [b for p in folder.glob("versions.tf") for b in parse(p)["terraform"]]
    assert ">= 1.6" in terraform["required_version"]
    providers = clean(terraform["required_providers"][0])
    for name, spec in providers.items():
        assert spec["source"], name
        assert re.search(r"<\s*\d", spec["version"]), f"{name}: pin an upper bound"


def test_providers_are_google_and_cloudflare() -> None:
    [terraform] = parse(ROOTS[0] / "versions.tf")["terraform"]
    providers = clean(terraform["required_providers"][0])
    assert {unquote(p["source"]) for p in providers.values()} == {
        "hashicorp/google",
        "hashicorp/google-beta",
        "cloudflare/cloudflare",
    }
    [backend] = [b for b in parse(ROOTS[0] / "backend.tf")["terraform"] if "backend" in b]
    assert '"gcs"' in backend["backend"][0]


@pytest.mark.parametrize("folder", MODULES + ROOTS, ids=lambda p: p.name)
def test_variables_and_outputs_are_described_and_typed(folder) -> None:
    for name, body in blocks(folder, "variable").items():
        assert body.get("description"), f"variable {name} in {folder.name}"
        assert body.get("type"), f"variable {name} in {folder.name}"
    for name, body in blocks(folder, "output").items():
        assert body.get("description"), f"output {name} in {folder.name}"


def test_iam_is_additive_only() -> None:
    """`_iam_binding` and `_iam_policy` are authoritative: they would remove grants made
    elsewhere (by Google, by another module). Only `_iam_member` is allowed."""
    kinds = {r.type for r in resources()}
    authoritative = {k for k in kinds if k.endswith(("_iam_binding", "_iam_policy"))}
    assert not authoritative
    assert any(k.endswith("_iam_member") for k in kinds)


def test_no_basic_roles_and_no_project_level_invoker() -> None:
    for r in resources():
        if not r.type.endswith("_iam_member"):
            continue
        role = unquote(r.body.get("role", ""))
        assert role not in {"roles/owner", "roles/editor", "roles/viewer"}, r.address
        if r.type == "google_project_iam_member":
            assert "run.invoker" not in str(r.body), f"{r.address}: invoker on one service"


def test_no_secret_value_in_terraform() -> None:
    kinds = {r.type for r in resources()}
    assert "google_secret_manager_secret_version" not in kinds
    assert "random_password" not in kinds
    for r in resources():
        if r.type == "google_sql_user":
            assert "password" not in r.body, "the SQL password is set by an operator"


def test_modules_are_wired_from_the_production_root() -> None:
    modules = blocks(ROOTS[0], "module")
    assert {unquote(m["source"]) for m in modules.values()} == {
        "../../modules/platform",
        "../../modules/edge",
    }
    platform = modules["platform"]
    assert "shared/wiring/manifest.yaml" in expr(platform["manifest_path"])
    assert "infra/monitoring/prometheus/alerts.yml" in expr(platform["prometheus_rules_path"])
    # Every required variable of each module is passed.
    for name, module in modules.items():
        required = {
            v
            for v, body in blocks(INFRA / "modules" / name, "variable").items()
            if "default" not in body
        }
        assert required <= set(module), f"module {name} misses {required - set(module)}"


def secret_names_in_code() -> set[str]:
    """Secret names the code reads through the Secrets port."""
    names: set[str] = set()
    patterns = [
        r'secrets\.get\("([a-z0-9-]+)"\)',
        r'^\w*_SECRET\s*=\s*"([a-z0-9-]+)"',
        r'\(\s*"([a-z0-9-]+-api-(?:key|token))",',  # LLM providers' table
    ]
    for path in (ROOT / "shared").rglob("*.py"):
        if "adapters/local" in str(path) or "adapters/gcp" in str(path):
            continue
        text = path.read_text()
        for pattern in patterns:
            names |= set(re.findall(pattern, text, re.M))
    return names


def test_every_secret_the_code_reads_is_created() -> None:
    module = blocks(INFRA / "modules" / "platform", "variable")["secret_ids"]["default"]
    root = blocks(ROOTS[0], "variable")["secret_ids"]["default"]
    declared = [unquote(s) for s in module]
    assert declared == [unquote(s) for s in root], "the two default lists must agree"
    used = secret_names_in_code()
    assert used, "found no secret names in the code"
    assert used <= set(declared), f"add to secret_ids: {sorted(used - set(declared))}"
