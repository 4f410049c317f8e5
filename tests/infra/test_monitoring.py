"""Alert rules and dashboards: promtool checks and unit-tests the rules; every alert of the
deployment strategy exists; rules and dashboards use only metrics that the code exports
(or Cloud Run's and the log-based ones, named here); each rule becomes a Cloud
Monitoring policy through Terraform."""

from __future__ import annotations

import importlib
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from shared.observability import metrics
from shared.observability.metrics import REGISTRY
from tests.infra.hcl import INFRA, ROOT, expr, locals_of, resource, unquote
from tests.infra.tools import tool

PROMETHEUS = INFRA / "monitoring" / "prometheus"
GRAFANA = INFRA / "monitoring" / "grafana"
PLATFORM = INFRA / "modules" / "platform"
STRATEGY_ALERTS = {
    "HighErrorRate",  # > 1 % for 5 minutes
    "HighLatencyP95",  # > 500 ms p95 for 5 minutes
    "HighCpuUsage",  # > 80 % for 10 minutes
    "HighMemoryUsage",
    "EconomicSystemDown",
    "EmailDeliveryFailures",
}
# Series that are not the code's: Google Cloud's own metrics (through Managed
# Prometheus) and log-based metrics Terraform defines (logging_googleapis_com:user_*).
PLATFORM_METRICS = re.compile(
    r"^(run|pubsub|cloudsql|redis|cloudtasks|workflows)_googleapis_com:[a-z_]+$"
    r"|^logging_googleapis_com:user_[a-z_]+$"
)
# The managed services the platform stands on, each watched (docs/decisions/0034).
PLATFORM_ALERTS = {
    "PubSubDeadLetters": "pubsub_googleapis_com:subscription_dead_letter_message_count",
    "PubSubOldestUnackedMessage": "pubsub_googleapis_com:subscription_oldest_unacked_message_age",
    "CloudSqlConnectionsNearMax": "cloudsql_googleapis_com:database_postgresql_num_backends",
    "CloudSqlCpuHigh": "cloudsql_googleapis_com:database_cpu_utilization",
    "CloudSqlDiskNearlyFull": "cloudsql_googleapis_com:database_disk_utilization",
    "RedisMemoryHigh": "redis_googleapis_com:stats_memory_usage_ratio",
    "CloudTasksFailing": "cloudtasks_googleapis_com:queue_task_attempt_count",
    "WorkflowExecutionsFailing": "workflows_googleapis_com:finished_execution_count",
    "SchedulerJobsFailing": "logging_googleapis_com:user_aia_scheduler_job_failures_total",
}
PROMQL_WORDS = {
    "sum",
    "rate",
    "increase",
    "by",
    "on",
    "without",
    "unless",
    "or",
    "and",
    "histogram_quantile",
    "le",
    "avg",
    "max",
    "min",
    "count",
    "topk",
    "bottomk",
    "irate",
    "delta",
    "abs",
    "clamp_min",
    "vector",
    "scalar",
    "time",
    "bool",
    "offset",
    "absent",
    "absent_over_time",
    "ignoring",
    "group_left",
    "group_right",
    "label_replace",
    "sort",
    "sort_desc",
    "avg_over_time",
    "max_over_time",
    "sum_over_time",
    "quantile_over_time",
    "count_over_time",
    "round",
}


def metric_modules() -> list[str]:
    """Modules that register metrics on the platform's registry (feature metrics too)."""
    found = []
    for path in sorted((ROOT / "shared").rglob("*.py")):
        if "registry=REGISTRY" in path.read_text():
            found.append(".".join(path.relative_to(ROOT).with_suffix("").parts))
    return found


def exported_series() -> set[str]:
    """Every series name the platform's registry can expose at /metrics."""
    for module in metric_modules():
        importlib.import_module(module)
    names: set[str] = set()
    for family in REGISTRY.collect():
        for sample in family.samples:
            names.add(sample.name)
        if family.type == "histogram":
            names |= {f"{family.name}_bucket", f"{family.name}_sum", f"{family.name}_count"}
        if family.type == "counter":
            names |= {f"{family.name}_total", f"{family.name}_created"}
    return names


def metric_names(promql: str) -> set[str]:
    """Metric names in a PromQL expression (identifiers not followed by `(` or `=`...)."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', promql)  # drop string literals
    text = re.sub(r"\{[^}]*\}", "{}", text)  # drop label matchers
    text = re.sub(r"\[[^\]]*\]", "[]", text)  # drop ranges
    text = re.sub(r"\b(by|without|on|ignoring)\s*\([^)]*\)", "", text)  # drop groupings
    found = set()
    for match in re.finditer(r"[a-zA-Z_:][a-zA-Z0-9_:]*", text):
        word = match.group(0)
        following = text[match.end() :].lstrip()[:1]
        if word in PROMQL_WORDS or following == "(" or re.fullmatch(r"\d.*", word):
            continue
        found.add(word)
    return found


@pytest.fixture(scope="module")
def rules() -> list[dict[str, Any]]:
    document = yaml.safe_load((PROMETHEUS / "alerts.yml").read_text())
    return [{**r, "group": g["name"]} for g in document["groups"] for r in g["rules"]]


def test_promtool_checks_the_rules() -> None:
    result = subprocess.run(
        [str(tool("promtool")), "check", "rules", str(PROMETHEUS / "alerts.yml")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_promtool_unit_tests_pass() -> None:
    tests = sorted((PROMETHEUS / "tests").glob("*_test.yml"))
    assert tests
    result = subprocess.run(
        [str(tool("promtool")), "test", "rules", *map(str, tests)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=PROMETHEUS / "tests",
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_the_strategy_alerts_exist_and_each_is_unit_tested(rules) -> None:
    names = {r["alert"] for r in rules}
    assert names >= STRATEGY_ALERTS
    tested = "\n".join(p.read_text() for p in (PROMETHEUS / "tests").glob("*_test.yml"))
    for name in names:
        assert f"alertname: {name}" in tested, f"{name} has no promtool test"


def test_thresholds_and_durations_are_the_strategys(rules) -> None:
    by_name = {r["alert"]: r for r in rules}
    assert by_name["HighErrorRate"]["for"] == "5m" and "> 0.01" in by_name["HighErrorRate"]["expr"]
    assert by_name["HighLatencyP95"]["for"] == "5m"
    assert "histogram_quantile(0.95" in by_name["HighLatencyP95"]["expr"]
    assert "> 0.5" in by_name["HighLatencyP95"]["expr"]
    for name in ("HighCpuUsage", "HighMemoryUsage"):
        assert by_name[name]["for"] == "10m" and "> 0.8" in by_name[name]["expr"]


def test_rules_follow_the_conventions_terraform_relies_on(rules) -> None:
    for rule in rules:
        assert re.fullmatch(r"\d+m", rule["for"]), f"{rule['alert']}: `for` in whole minutes"
        assert rule["labels"]["severity"] in {"critical", "warning"}
        assert rule["annotations"]["summary"] and rule["annotations"]["description"]
        assert re.fullmatch(r"[A-Z][A-Za-z0-9]+", rule["alert"])


def test_rules_use_only_metrics_that_exist(rules) -> None:
    exported = exported_series()
    for rule in rules:
        for name in metric_names(rule["expr"]):
            assert name in exported or PLATFORM_METRICS.match(name), (
                f"{rule['alert']} uses {name}: not exported by shared/observability/metrics.py"
            )


def test_each_rule_becomes_a_cloud_monitoring_policy(rules) -> None:
    policy = resource(PLATFORM, "google_monitoring_alert_policy", "prometheus_rule")
    assert policy.for_each == "local.alert_rules"
    hcl_locals = locals_of(PLATFORM)
    assert expr(hcl_locals["prometheus_rules"]) == "yamldecode(file(var.prometheus_rules_path))"
    assert "for r in g.rules : r.alert =>" in expr(hcl_locals["alert_rules"])
    [condition] = policy.body["conditions"]
    [promql] = condition["condition_prometheus_query_language"]
    assert expr(promql["query"]) == "local.promql_for_gcp[each.key]"
    assert 'each.value["for"]' in expr(promql["duration"])


def test_event_counters_have_log_based_twins_with_the_same_labels() -> None:
    """Event functions serve no /metrics: Cloud Monitoring reads the event counters from
    log-based metrics of the same name and labels, and the policies' PromQL is rewritten
    to them. Their labels must be the code's, and the log lines they count must exist."""
    hcl_locals = locals_of(PLATFORM)
    rewrites = expr(hcl_locals["promql_for_gcp"])
    from shared.email import counters as email_counters

    code = {
        "aia_events_handled_total": metrics.events_handled,
        "aia_events_failed_total": metrics.events_failed,
        "aia_events_dead_lettered_total": metrics.events_dead_lettered,
        "aia_emails_failed_total": email_counters.emails_failed,
    }
    log_metrics = hcl_locals["event_log_metrics"]
    assert set(log_metrics) == set(code)
    for name, spec in log_metrics.items():
        assert f'"{name}", "logging_googleapis_com:user_{name}"' in rewrites
        assert set(spec["labels"]) <= set(code[name]._labelnames), name
    consumer = (ROOT / "shared" / "adapters" / "cloud_events.py").read_text()
    sending = (ROOT / "shared" / "email" / "sending.py").read_text()
    for source, message in (
        (consumer, '"event %s"'),
        (consumer, '"handler failed; the delivery will be retried"'),
        (consumer, '"event dead-lettered: %s"'),
        (sending, '"email delivery failed; will retry"'),
        (sending, '"email delivery failed for good"'),
    ):
        assert message in source, f"the log line {message} counted by a log metric is gone"


def dashboards() -> list[Path]:
    return sorted(GRAFANA.glob("*.json"))


def test_the_four_dashboards_exist() -> None:
    titles = {json.loads(p.read_text())["title"] for p in dashboards()}
    assert titles == {
        "AIA System Overview",
        "AIA Economic",
        "AIA Business Intelligence",
        "AIA Security",
    }


@pytest.mark.parametrize("path", dashboards(), ids=lambda p: p.name)
def test_dashboard_panels_query_exported_metrics(path) -> None:
    board = json.loads(path.read_text())
    assert board["uid"] and board["schemaVersion"] >= 36
    exported = exported_series()
    panels = [p for p in board["panels"] if p.get("type") != "row"]
    assert panels
    ids = [p["id"] for p in board["panels"]]
    assert len(ids) == len(set(ids))
    for panel in panels:
        assert panel["title"] and panel["gridPos"]
        assert panel["datasource"]["uid"] == "${datasource}"
        for target in panel["targets"]:
            for name in metric_names(target["expr"]):
                assert name in exported or PLATFORM_METRICS.match(name), (
                    f"{path.name} / {panel['title']}: {name} is not exported"
                )


def test_dashboard_queries_are_valid_promql(tmp_path) -> None:
    """promtool has no query linter, but it parses recording rules: one per panel query."""
    rules = [
        {"record": f"aia:dashboard_check:{i}", "expr": target["expr"]}
        for i, target in enumerate(
            t
            for path in dashboards()
            for p in json.loads(path.read_text())["panels"]
            for t in p.get("targets", [])
        )
    ]
    assert len(rules) > 40
    rule_file = tmp_path / "dashboard-queries.yml"
    rule_file.write_text(yaml.safe_dump({"groups": [{"name": "dashboards", "rules": rules}]}))
    result = subprocess.run(
        [str(tool("promtool")), "check", "rules", str(rule_file)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_platforms_managed_services_are_watched(rules) -> None:
    by_name = {r["alert"]: r for r in rules}
    for alert, metric in PLATFORM_ALERTS.items():
        assert metric in metric_names(by_name[alert]["expr"]), alert
        assert by_name[alert]["group"] == "aia-platform"
    # the connections alert reads the max_connections Terraform sets
    max_connections = unquote(locals_of(PLATFORM)["sql_max_connections"])
    assert f"> 0.8 * {max_connections}" in by_name["CloudSqlConnectionsNearMax"]["expr"]
    # the dead-letter store (a pull subscription nobody acks) does not count as a backlog
    assert 'subscription_id!~".*-pull"' in by_name["PubSubOldestUnackedMessage"]["expr"]
    # the scheduler's failures are the log-based metric Terraform defines
    scheduler = resource(PLATFORM, "google_logging_metric", "scheduler_job_failures").body
    assert (
        "logging_googleapis_com:user_" + unquote(scheduler["name"])
        == (PLATFORM_ALERTS["SchedulerJobsFailing"])
    )
    assert 'resource.type=\\"cloud_scheduler_job\\"' in scheduler["filter"]
    assert "severity>=ERROR" in scheduler["filter"]


def test_a_billing_budget_alerts_before_the_month_is_spent() -> None:
    budget = resource(PLATFORM, "google_billing_budget", "monthly").body
    [rules] = [d['"threshold_rules"'] for d in budget["dynamic"] if '"threshold_rules"' in d]
    assert rules["for_each"] == [0.5, 0.9, 1.0]
    [forecast] = budget["threshold_rules"]
    assert unquote(forecast["spend_basis"]) == "FORECASTED_SPEND"
    [updates] = budget["all_updates_rule"]
    assert "google_monitoring_notification_channel.email" in expr(
        updates["monitoring_notification_channels"]
    )
    [period] = budget["budget_filter"]
    assert unquote(period["calendar_period"]) == "MONTH"
    from tests.infra.hcl import blocks

    production = blocks(INFRA / "environments" / "production", "module")["platform"]
    assert expr(production["billing_account"]) == "var.billing_account"
