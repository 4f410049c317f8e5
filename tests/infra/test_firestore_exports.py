"""The Firestore export/import path of the restore runbook (infra/modules/platform/
restore.tf): a private, uniform, versioned bucket in the project's region that forgets
an export after the retention period; only Firestore's service agent writes it, the
restore operators read it and start exports and imports; the runbook's commands name it."""

from __future__ import annotations

import re

from tests.infra.hcl import INFRA, ROOT, blocks, expr, locals_of, resource, resources, unquote

PLATFORM = INFRA / "modules" / "platform"
PRODUCTION = INFRA / "environments" / "production"
BUCKET = "google_storage_bucket.firestore_exports"
RUNBOOK = ROOT / "docs" / "runbooks" / "restore.md"


def test_the_export_bucket_is_private_versioned_regional_and_forgets() -> None:
    bucket = resource(PLATFORM, "google_storage_bucket", "firestore_exports").body
    assert expr(bucket["name"]) == "${var.project_id}-restore"
    assert expr(bucket["location"]) == "var.region"
    assert bucket["uniform_bucket_level_access"] is True
    assert unquote(bucket["public_access_prevention"]) == "enforced"
    assert bucket["force_destroy"] is False
    assert bucket["versioning"][0]["enabled"] is True
    rules = [(r["condition"][0], unquote(r["action"][0]["type"])) for r in bucket["lifecycle_rule"]]
    assert len(rules) == 2 and {action for _, action in rules} == {"Delete"}
    [live] = [c for c, _ in rules if "age" in c]
    assert expr(live["age"]) == "var.firestore_export_retention_days"
    [kept] = [c for c, _ in rules if "days_since_noncurrent_time" in c]
    assert unquote(kept["with_state"]) == "ARCHIVED"  # a deleted export's version goes too
    retention = blocks(PLATFORM, "variable")["firestore_export_retention_days"]
    assert retention["default"] == 30, "the product plan keeps the database's backups 30 days"
    apis = expr(resource(PLATFORM, "google_project_service", "api").body["for_each"])
    assert '"storage.googleapis.com"' in apis


def _bucket_grants() -> list[tuple[str, set[str], str]]:
    """(address, roles, member expression) of every IAM grant on the export bucket."""
    grants = []
    for r in resources(INFRA):
        if r.type != "google_storage_bucket_iam_member":
            continue
        if expr(r.body["bucket"]) != f"{BUCKET}.name":
            continue
        role = expr(r.body["role"])
        if role == "each.key":
            roles = set(re.findall(r'"(roles/[a-zA-Z.]+)"', str(locals_of(PLATFORM)[
                r.for_each.removeprefix("local.")
            ])))  # fmt: skip
        else:
            roles = {unquote(r.body["role"])}
        grants.append((f"{r.type}.{r.name}", roles, expr(r.body["member"])))
    return grants


def test_only_the_firestore_agent_writes_and_the_operators_read() -> None:
    grants = {address: (roles, member) for address, roles, member in _bucket_grants()}
    agent = grants.pop("google_storage_bucket_iam_member.firestore_agent_writes_exports")
    assert agent == (
        {"roles/storage.legacyBucketWriter", "roles/storage.legacyObjectReader"},
        "google_project_service_identity.firestore.member",
    )
    identity = resource(PLATFORM, "google_project_service_identity", "firestore").body
    assert unquote(identity["service"]) == "firestore.googleapis.com"
    operators = grants.pop("google_storage_bucket_iam_member.operators_read_exports")
    assert operators == ({"roles/storage.objectViewer"}, "each.key")
    assert grants == {}, f"nobody else holds a role on the bucket: {grants}"
    # no role that could change the bucket's policy or settings, on it or project-wide
    broad = {"roles/storage.admin", "roles/storage.objectAdmin", "roles/storage.legacyBucketOwner"}
    for r in resources(INFRA):
        if r.type.endswith("_iam_member") and "storage" in str(r.body.get("role")):
            assert unquote(r.body["role"]) not in broad, r.type + "." + r.name
    # the operators start exports and imports, nothing more of Firestore
    project = resource(PLATFORM, "google_project_iam_member", "operators_export_import").body
    assert unquote(project["role"]) == "roles/datastore.importExportAdmin"
    assert expr(project["for_each"]) == "toset(var.restore_operators)"


def test_the_operators_come_from_the_pipeline() -> None:
    module = blocks(PRODUCTION, "module")["platform"]
    assert expr(module["restore_operators"]) == "var.restore_operators"
    example = (PRODUCTION / "production.tfvars.example").read_text()
    assert re.search(r'^restore_operators\s*=\s*\["group:', example, re.M)
    build = (ROOT / "cloudbuild.yaml").read_text()
    assert "-var 'restore_operators=${_RESTORE_OPERATORS}'" in build
    assert '_RESTORE_OPERATORS: "[]"' in build
    deploy = (ROOT / "scripts" / "deploy-production.sh").read_text()
    assert '-var "restore_operators=${RESTORE_OPERATORS:-[]}"' in deploy


def test_the_runbook_exports_and_imports_through_that_bucket() -> None:
    runbook = RUNBOOK.read_text()
    # the name Terraform gives it, with the runbook's P for the project
    assert "gs://$P-restore" in runbook
    commands = re.findall(r"^gcloud firestore (export|import) (\S+) (.*)$", runbook, re.M)
    exports = [(uri, rest) for verb, uri, rest in commands if verb == "export"]
    imports = [(uri, rest) for verb, uri, rest in commands if verb == "import"]
    assert exports and imports
    for uri, rest in exports + imports:
        assert uri == "gs://$P-restore/$T", uri
        assert "--project $P" in rest and "--database=" in rest
    assert all("--database='(default)'" in rest for _, rest in imports)
    assert any("--database=restored" in rest for _, rest in exports)
    assert any('--snapshot-time="$T"' in rest for _, rest in exports)
    assert "restore_operators" in runbook and "firestore_export_bucket" in runbook
    outputs = blocks(PRODUCTION, "output")
    assert expr(outputs["firestore_export_bucket"]["value"]) == (
        "module.platform.firestore_export_bucket"
    )
