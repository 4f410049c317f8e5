"""What the first deploy needs of its data (ADR 0033): the schema is migrated by a Cloud
Run job with the functions' image, network and Cloud SQL connection, run by the pipeline
before any new revision; Firestore has PITR and daily and weekly backups covering 30 days;
Cloud SQL keeps PITR and 30 daily backups; the restore runbook names each step."""

from __future__ import annotations

import re

from tests.infra.hcl import INFRA, ROOT, expr, resource, unquote

PLATFORM = INFRA / "modules" / "platform"
DAY = 24 * 3600


def _seconds(value: object) -> int:
    """A duration written as "NNNs" or "${a * b * c}s"."""
    text = str(unquote(value))
    match = re.fullmatch(r"\$\{([\d\s*]+)\}s|(\d+)s", text)
    assert match, value
    result = 1
    for factor in (match.group(1) or match.group(2)).split("*"):
        result *= int(factor)
    return result


def test_the_migration_job_runs_the_functions_image_on_their_network_and_database() -> None:
    job = resource(PLATFORM, "google_cloud_run_v2_job", "migrate").body
    task = job["template"][0]["template"][0]
    [container] = task["containers"]
    assert expr(container["image"]) == "var.image"  # the one image (run.tf uses it too)
    assert [unquote(c) for c in container["command"] + container["args"]] == [
        "aia",
        "migrate",
        "--after-previous-release",  # tests/migrations/test_releases.py
    ]
    service = resource(PLATFORM, "google_cloud_run_v2_service", "function").body
    vpc = task["vpc_access"][0]
    # the functions attach by a dynamic block (only those that use SQL or Redis)
    [service_vpc] = [
        d['"vpc_access"']["content"][0]
        for d in service["template"][0]["dynamic"]
        if '"vpc_access"' in d
    ]
    assert expr(vpc["network_interfaces"][0]["subnetwork"]) == expr(
        service_vpc["network_interfaces"][0]["subnetwork"]
    )
    assert unquote(vpc["egress"]) == "PRIVATE_RANGES_ONLY"
    [volume] = task["volumes"]
    assert expr(volume["cloud_sql_instance"][0]["instances"][0]) == (
        "google_sql_database_instance.main.connection_name"
    )
    assert [unquote(m["mount_path"]) for m in container["volume_mounts"]] == ["/cloudsql"]
    env = {unquote(e["name"]): e for e in container["env"]}
    assert "database-url" in expr(
        env["AIA_DATABASE_URL"]["value_source"][0]["secret_key_ref"][0]["secret"]
    )
    assert task["max_retries"] == 0
    # its identity connects to Cloud SQL and reads that one secret, nothing else
    grants = resource(PLATFORM, "google_project_iam_member", "migrate").body
    assert "roles/cloudsql.client" in expr(grants["for_each"])
    assert "secretAccessor" not in expr(grants["for_each"])


def test_the_pipeline_migrates_before_any_new_revision() -> None:
    script = (ROOT / "scripts" / "deploy-production.sh").read_text()
    migrate = script[script.index("phase_migrate() {") :]
    migrate = migrate[: migrate.index("\n}\n")]
    assert "gcloud run jobs update aia-migrate" in migrate and '--image "$IMAGE"' in migrate
    assert "gcloud run jobs execute aia-migrate" in migrate and "--wait" in migrate
    everything = script[script.index("  all)") :]
    assert everything.index("phase_migrate") < everything.index("phase_candidates")


def test_firestore_has_pitr_and_backups_covering_thirty_days() -> None:
    database = resource(PLATFORM, "google_firestore_database", "main").body
    assert unquote(database["point_in_time_recovery_enablement"]) == (
        "POINT_IN_TIME_RECOVERY_ENABLED"
    )
    daily = resource(PLATFORM, "google_firestore_backup_schedule", "daily").body
    weekly = resource(PLATFORM, "google_firestore_backup_schedule", "weekly").body
    assert "daily_recurrence" in daily and "weekly_recurrence" in weekly
    # the API's limits: daily backups at most 7 days, weekly at most 14 weeks
    assert _seconds(daily["retention"]) == 7 * DAY
    # a day 30 days back needs the weekly backup up to a week before it: 37 days old
    assert 37 * DAY <= _seconds(weekly["retention"]) <= 14 * 7 * DAY
    for schedule in (daily, weekly):
        assert expr(schedule["database"]) == "google_firestore_database.main.name"


def test_cloud_sql_keeps_pitr_and_thirty_daily_backups() -> None:
    instance = resource(PLATFORM, "google_sql_database_instance", "main").body
    backups = instance["settings"][0]["backup_configuration"][0]
    assert backups["enabled"] is True and backups["point_in_time_recovery_enabled"] is True
    assert backups["transaction_log_retention_days"] == 7
    retention = backups["backup_retention_settings"][0]
    assert (retention["retained_backups"], unquote(retention["retention_unit"])) == (30, "COUNT")


def test_the_restore_runbook_covers_each_store_and_the_hour() -> None:
    runbook = (ROOT / "docs" / "runbooks" / "restore.md").read_text()
    for needed in (
        "gcloud sql instances clone",
        "--point-in-time",
        "gcloud firestore databases restore",
        "gcloud firestore backups list",
        "aia restore",
        "/v1/admin/ledger/reconciliation",
        "one hour",
        "aia-migrate",
    ):
        assert needed in runbook, needed
