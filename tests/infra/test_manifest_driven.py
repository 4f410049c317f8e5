"""Terraform is driven by the wiring manifest: each per-function resource iterates over a
local computed from `yamldecode(file(manifest))`, keyed by manifest names. Terraform is
not available here, so this test re-computes those locals from the manifest in Python
(the `MIRROR` below follows each local's HCL text, and fails when that text changes) and
checks that every manifest entry gets its resources and no resource is hand-wired."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from typing import Any, get_args

import pytest
import yaml

from shared.events.catalog import load_event_types
from shared.events.codec import RawMessage, decode
from shared.events.envelope import SCHEMA_BASE, SOURCE_PREFIX
from shared.wiring.manifest import (
    Function,
    Manifest,
    Queue,
    RetryPolicy,
    Schedule,
    Service,
    TopicTrigger,
    load_manifest,
)
from tests.infra.hcl import INFRA, ROOT, blocks, expr, locals_of, resource, resources, unquote

PLATFORM = INFRA / "modules" / "platform"
Entry = dict[str, Any]


@pytest.fixture(scope="module")
def manifest() -> Manifest:
    load_event_types()
    return load_manifest()


@pytest.fixture(scope="module")
def raw_manifest() -> dict[str, Any]:
    return dict(yaml.safe_load((ROOT / "shared" / "wiring" / "manifest.yaml").read_text()))


@pytest.fixture(scope="module")
def hcl_locals() -> dict[str, Any]:
    return locals_of(PLATFORM)


def account_id(prefix: str, name: str) -> str:
    """Python twin of the account_id expressions in manifest.tf."""
    if len(name) <= 27:
        return f"{prefix}-{name}"
    return f"{prefix}-{name[:20]}-{hashlib.md5(name.encode()).hexdigest()[:6]}"


ACCOUNT_ID_HCL = (
    'length({v}.name) <= 27 ? "{p}-${{{v}.name}}" : '
    '"{p}-${{substr({v}.name, 0, 20)}}-${{substr(md5({v}.name), 0, 6)}}"'
)

# Each manifest-driven local: the manifest list it iterates, its filter as written in
# HCL (None: no filter), and the same filter in Python over the manifest entry.
MIRROR: dict[str, tuple[str, str | None, Callable[[Entry], bool]]] = {
    "topics": ("topics", None, lambda e: True),
    "functions": ("functions", None, lambda e: True),
    "event_functions": ("functions", "try(f.pubsub, null) != null", lambda e: "pubsub" in e),
    "schedules": ("schedules", None, lambda e: True),
    "queues": ("queues", None, lambda e: True),
    "workflows": ("workflows", None, lambda e: True),
}
# Locals filtered from another local: (source local, HCL filter, Python filter).
DERIVED: dict[str, tuple[str, str, Callable[[Entry], bool]]] = {
    "event_topics": ("topics", "!t.dead_letter", lambda e: not e.get("dead_letter", False)),
    "http_functions": ("functions", 'f.kind == "http"', lambda e: "http" in e),
    "public_functions": (
        "functions",
        "f.public",
        lambda e: bool(e.get("http", {}).get("public", False)),
    ),
    "dead_lettered_functions": ("event_functions", "e.dead_letters", lambda e: True),
}

# resource address -> the local its for_each must be.
FOR_EACH = {
    "google_pubsub_topic.topic": "local.topics",
    "google_pubsub_subscription.push": "local.event_functions",
    "google_pubsub_subscription_iam_member.dead_letter_source_subscriber": (
        "local.dead_lettered_functions"
    ),
    "google_service_account_iam_member.pubsub_token_creator": "local.event_functions",
    "google_service_account.function": "local.functions",
    "google_cloud_run_v2_service.function": "local.functions",
    "google_service_account.push": "local.event_functions",
    "google_cloud_run_v2_service_iam_member.push_invoker": "local.event_functions",
    "google_cloud_run_v2_service_iam_member.public_invoker": "local.public_functions",
    "google_pubsub_topic_iam_member.dead_letter_forwarder": "local.dead_lettered_functions",
    "google_pubsub_topic_iam_member.publisher": "local.publisher_grants",
    "google_project_iam_member.function": "local.project_role_grants",
    "google_secret_manager_secret_iam_member.runtime_env": "local.secret_grants",
    "google_cloud_tasks_queue.queue": "local.queues",
    "google_cloud_tasks_queue_iam_member.enqueuer": "local.enqueuer_grants",
    "google_cloud_scheduler_job.schedule": "local.schedules",
    "google_workflows_workflow.workflow": "local.workflows",
    "google_service_account.workflow": "local.workflows",
    "google_project_iam_member.workflow_log_writer": "local.workflows",
    "google_cloud_run_v2_service_iam_member.workflow_invoker": "local.workflow_invoker_grants",
}


def _entries(raw: dict[str, Any], local: str) -> dict[str, Entry]:
    if local in MIRROR:
        collection, _, keep = MIRROR[local]
        return {e["name"]: e for e in raw.get(collection) or [] if keep(e)}
    source, _, keep = DERIVED[local]
    return {k: e for k, e in _entries(raw, source).items() if keep(e)}


def expected_keys(raw: dict[str, Any], local: str) -> set[str]:
    """What `for_each = local.<local>` iterates, computed from the manifest."""
    if local == "dead_lettered_functions":
        dead = next(t["name"] for t in raw["topics"] if t.get("dead_letter"))
        return {
            k for k, e in _entries(raw, "event_functions").items() if e["pubsub"]["topic"] != dead
        }
    return set(_entries(raw, local))


def test_the_manifest_is_read_with_yamldecode(hcl_locals) -> None:
    assert expr(hcl_locals["manifest"]) == "yamldecode(file(var.manifest_path))"


@pytest.mark.parametrize("local", sorted(MIRROR))
def test_each_manifest_local_is_keyed_by_name(hcl_locals, local) -> None:
    collection, hcl_filter, _ = MIRROR[local]
    text = expr(hcl_locals[local])
    source = (
        rf"local\.manifest\.{collection}"
        if collection in ("topics", "functions")
        else (rf"try\(local\.manifest\.{collection}, \[\]\)")
    )
    match = re.fullmatch(rf"\{{for (\w+) in {source} : \1\.name => (.*)\}}", text, re.S)
    assert match, f"local.{local} = {text[:120]}"
    body = match.group(2)
    if hcl_filter is None:
        assert not re.search(r"\} if ", body), f"local.{local} gained a filter: update MIRROR"
    else:
        assert body.endswith(f"}} if {hcl_filter}"), f"local.{local}: filter changed"


@pytest.mark.parametrize("local", sorted(DERIVED))
def test_each_derived_local_filters_its_source(hcl_locals, local) -> None:
    source, hcl_filter, _ = DERIVED[local]
    text = expr(hcl_locals[local])
    assert re.fullmatch(
        rf"\{{for (\w+), (\w+) in local\.{source} : \1 => \2 if {re.escape(hcl_filter)}\}}", text
    ), f"local.{local} = {text}"


@pytest.mark.parametrize("address", sorted(FOR_EACH))
def test_resources_iterate_the_manifest_locals(address) -> None:
    rtype, name = address.split(".")
    assert resource(PLATFORM, rtype, name).for_each == FOR_EACH[address]


def test_every_manifest_entry_gets_its_resources(raw_manifest, manifest) -> None:
    keys = {local: expected_keys(raw_manifest, local) for local in [*MIRROR, *DERIVED]}
    assert keys["topics"] == {t.name for t in manifest.topics}
    assert keys["functions"] == {f.name for f in manifest.functions}
    assert keys["event_functions"] == {f.name for f in manifest.functions if f.pubsub}
    assert keys["http_functions"] == {f.name for f in manifest.functions if f.http}
    assert keys["schedules"] == {s.name for s in manifest.schedules}
    assert keys["queues"] == {q.name for q in manifest.queues}
    assert keys["workflows"] == {w.name for w in manifest.workflows}
    # Each manifest list is iterated by at least one resource: nothing is left unbuilt.
    iterated = {r.for_each for r in resources(PLATFORM) if r.for_each}
    for local in ("topics", "functions", "event_functions", "schedules", "queues", "workflows"):
        assert f"local.{local}" in iterated, f"no resource iterates local.{local}"
    # A subscription's topic, a schedule's topic and a workflow's calls resolve to
    # resources that exist (manifest names are the keys of those resources).
    for fn in manifest.functions:
        if fn.pubsub:
            assert fn.pubsub.topic in keys["topics"]
    for schedule in manifest.schedules:
        assert manifest.topic_for(schedule.event) in keys["topics"]
    for workflow in manifest.workflows:
        assert set(workflow.calls) <= keys["http_functions"]
        assert (ROOT / workflow.source).is_file(), workflow.source


def test_no_resource_is_hand_wired_to_a_manifest_name(manifest) -> None:
    """Names from the manifest appear in .tf only as data, never as literals: a new
    entry needs no Terraform edit, and a removed one leaves nothing behind."""
    names = {t.name for t in manifest.topics} | {f.name for f in manifest.functions}
    names |= {f.target for f in manifest.functions} | {s.name for s in manifest.schedules}
    names |= {q.name for q in manifest.queues} | {w.name for w in manifest.workflows}
    names -= {"api"}  # also a DNS label (api.013a.tech) and the edge's default host
    for path in sorted((INFRA / "modules" / "platform").glob("*.tf")):
        code = "\n".join(line.split("#", 1)[0] for line in path.read_text().splitlines())
        for name in names:
            assert f'"{name}"' not in code, f"{path.name} hard-codes {name!r}"


def test_defaults_match_the_manifest_models(hcl_locals) -> None:
    defaults = {
        group: {k: unquote(v) for k, v in values.items()}
        for group, values in hcl_locals["manifest_defaults"].items()
    }
    service = Service().model_dump()
    assert defaults["service"] == service
    trigger = TopicTrigger(topic="x").model_dump()
    assert defaults["pubsub"] == {k: trigger[k] for k in defaults["pubsub"]}
    assert set(TopicTrigger.model_fields) == {*defaults["pubsub"], "topic", "retry"}
    assert defaults["retry"] == RetryPolicy().model_dump()
    queue = Queue(name="q-x", description="d", function="f").model_dump()
    assert defaults["queue"] == {k: queue[k] for k in defaults["queue"]}
    assert defaults["queue_retry"] == queue["retry"]
    assert defaults["schedule"]["time_zone"] == Schedule.model_fields["time_zone"].default


def test_service_account_ids_are_valid_and_unique(hcl_locals, manifest) -> None:
    functions = expr(hcl_locals["functions"])
    workflows = expr(hcl_locals["workflows"])
    for prefix, text in (("fn", functions), ("ps", functions), ("wf", workflows)):
        var = "f" if prefix != "wf" else "w"
        assert ACCOUNT_ID_HCL.format(v=var, p=prefix) in text, f"{prefix}- account id changed"
    long = "a-very-long-function-name-that-goes-on-and-on"
    names = [f.name for f in manifest.functions] + [long, long + "-x", long[:28], long[:27]]
    ids = [account_id(p, n) for n in names for p in ("fn", "ps")]
    ids += [account_id("wf", w.name) for w in manifest.workflows] + ["tasks-invoker"]
    assert len(ids) == len(set(ids)), "service account ids collide"
    for sa in ids:
        assert re.fullmatch(r"[a-z][a-z0-9-]{4,28}[a-z0-9]", sa), sa


def test_subscription_names_and_ack_deadlines(hcl_locals, manifest) -> None:
    text = expr(hcl_locals["event_functions"])
    assert 'subscription = "${f.name}-sub"' in text
    assert Function.model_fields  # the manifest's own property is the reference
    for fn in manifest.functions:
        if fn.pubsub:
            assert fn.subscription == f"{fn.name}-sub"
    # Pub/Sub must not give up on a push while the function may still be running.
    assert "min(600, max(" in text and "timeout_seconds" in text


def test_every_use_maps_to_a_grant() -> None:
    """A new value of Function.uses must come with its IAM in iam.tf."""
    uses = set(get_args(Function.model_fields["uses"].annotation.__args__[0]))
    assert uses == {"documents", "sql", "secrets", "tasks", "events", "workflows"}
    iam = (PLATFORM / "iam.tf").read_text()
    expected = {
        "documents": "roles/datastore.user",
        "sql": "roles/cloudsql.client",
        "workflows": "roles/workflows.invoker",
    }
    for use, role in expected.items():
        assert re.search(rf'"{re.escape(role)}" }} if contains\(f\.uses, "{use}"\)', iam), use
    # secrets and events: exactly what the manifest names (tests/infra/test_least_privilege.py)
    assert 'for s in f.secrets : "${fn}/${s}"' in iam
    manifest_tf = (PLATFORM / "manifest.tf").read_text()
    assert 'for topic in f.emits : "${fn}/${topic}"' in manifest_tf
    assert 'if contains(f.uses, "tasks")' in manifest_tf
    assert resource(PLATFORM, "google_pubsub_topic_iam_member", "publisher").body["role"] == (
        '"roles/pubsub.publisher"'
    )
    enqueuer = resource(PLATFORM, "google_cloud_tasks_queue_iam_member", "enqueuer")
    assert unquote(enqueuer.body["role"]) == "roles/cloudtasks.enqueuer"


def test_cloud_run_runs_each_target_from_one_image() -> None:
    service = resource(PLATFORM, "google_cloud_run_v2_service", "function")
    [template] = service.body["template"]
    container = template["containers"][0]
    assert expr(container["image"]) == "var.image"
    env = {unquote(e["name"]): expr(e["value"]) for e in container["env"]}
    assert env["FUNCTION_TARGET"] == "each.value.target"
    assert env["FUNCTION_SIGNATURE_TYPE"] == 'each.value.kind == "http" ? "http" : "cloudevent"'
    [scaling] = template["scaling"]
    assert expr(scaling["min_instance_count"]) == "each.value.service.min_instances"
    assert expr(scaling["max_instance_count"]) == "each.value.service.max_instances"
    assert expr(template["max_instance_request_concurrency"]) == "each.value.service.concurrency"
    assert "each.value.service.timeout_seconds" in expr(template["timeout"])
    # the image's launcher reads FUNCTION_TARGET (and refuses a FUNCTION_SIGNATURE_TYPE
    # the manifest contradicts): tests/runtime/test_function_server.py
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'CMD ["python", "-m", "shared.runtime.function_server"]' in dockerfile


def test_api_scales_as_the_strategy_says(manifest) -> None:
    api = manifest.function("api")
    assert (api.service.min_instances, api.service.max_instances) == (3, 20)


def test_push_subscriptions_carry_oidc_and_the_dead_letter_policy() -> None:
    sub = resource(PLATFORM, "google_pubsub_subscription", "push")
    [push] = sub.body["push_config"]
    [oidc] = push["oidc_token"]
    assert expr(oidc["service_account_email"]) == "google_service_account.push[each.key].email"
    assert expr(oidc["audience"]) == expr(push["push_endpoint"])
    [dynamic] = sub.body["dynamic"]
    policy = dynamic['"dead_letter_policy"']
    assert expr(policy["for_each"]) == "each.value.dead_letters ? [1] : []"
    [content] = policy["content"]
    assert "local.dead_letter_topic" in expr(content["dead_letter_topic"])
    [retry] = sub.body["retry_policy"]
    assert "each.value.retry.minimum_backoff_seconds" in retry["minimum_backoff"]
    # The dead-letter topic keeps a pull subscription, and the Pub/Sub service agent can
    # publish there and pull from each source subscription.
    pull = resource(PLATFORM, "google_pubsub_subscription", "dead_letter_pull")
    assert "local.dead_letter_topic" in expr(pull.body["topic"])
    agent = resource(PLATFORM, "google_pubsub_topic_iam_member", "dead_letter_publisher")
    assert expr(agent.body["member"]) == "local.pubsub_service_agent"
    sub_iam = resource(
        PLATFORM, "google_pubsub_subscription_iam_member", "dead_letter_source_subscriber"
    )
    assert unquote(sub_iam.body["role"]) == "roles/pubsub.subscriber"
    assert expr(sub_iam.body["member"]) == "local.pubsub_service_agent"


def test_scheduler_messages_decode_as_the_events_they_name(manifest) -> None:
    """Build the Pub/Sub message each Cloud Scheduler job publishes (attributes as in
    scheduler.tf, with var.primary_domain's default) and decode it with the consumer's
    own codec: the event type, source and schema must come out right, with the Pub/Sub
    message id as the event id (there is no ce-id)."""
    job = resource(PLATFORM, "google_cloud_scheduler_job", "schedule")
    [target] = job.body["pubsub_target"]
    attributes_hcl = {unquote(k): unquote(v) for k, v in target["attributes"].items()}
    assert "ce-id" not in attributes_hcl
    assert expr(target["data"]) == "base64encode(jsonencode(each.value.data))"
    assert expr(target["topic_name"]) == "google_pubsub_topic.topic[each.value.topic].id"
    assert SOURCE_PREFIX == "//api.013a.tech/" and SCHEMA_BASE.startswith("https://api.013a.tech/")
    assert manifest.schedules, "the manifest has schedules to check"
    for schedule in manifest.schedules:
        values = {
            "${var.primary_domain}": "013a.tech",
            "${each.key}": schedule.name,
            "${each.value.event}": schedule.event,
        }
        attributes = {}
        for key, template in attributes_hcl.items():
            for placeholder, value in values.items():
                template = template.replace(placeholder, value)
            assert "${" not in template, template
            attributes[key] = template
        message = RawMessage(
            data=json.dumps(schedule.data).encode(),
            attributes=attributes,
            message_id=f"1234567890-{schedule.name}",
        )
        event = decode(message)
        assert event.type == schedule.event
        assert event.id == message.message_id
        assert event.source == f"{SOURCE_PREFIX}scheduler/{schedule.name}"
        assert attributes["ce-dataschema"] == f"{SCHEMA_BASE}{schedule.event}/v1"
        assert event.data == type(event.data).model_validate(schedule.data)


def test_workflows_read_their_source_and_may_call_only_their_functions() -> None:
    workflow = resource(PLATFORM, "google_workflows_workflow", "workflow")
    assert expr(workflow.body["source_contents"]) == "file(each.value.source)"
    text = expr(locals_of(PLATFORM)["workflows"])
    assert 'source      = "${var.repo_root}/workflows/${w.name}.workflows.yaml"' in (
        (PLATFORM / "manifest.tf").read_text()
    )
    assert "calls       = toset(try(w.calls, []))" in (PLATFORM / "manifest.tf").read_text()
    assert "w.calls" in text
    grants = expr(locals_of(PLATFORM)["workflow_invoker_grants"])
    assert "for fn in w.calls" in grants


def test_every_setting_terraform_passes_is_a_setting() -> None:
    """An env var the functions would silently ignore is a misconfiguration."""
    from shared.settings import Settings

    known = set()
    for name, field in Settings.model_fields.items():
        known.add(f"AIA_{name.upper()}")
        alias = field.validation_alias
        known |= {c.upper() for c in getattr(alias, "choices", []) if isinstance(c, str)}
    hcl_locals = locals_of(PLATFORM)
    passed = set(hcl_locals["common_env"])
    passed |= {k for group in hcl_locals["secret_env"].values() for k in group}
    service = resource(PLATFORM, "google_cloud_run_v2_service", "function")
    assert "merge(local.common_env, var.settings_env)" in str(service.body)
    settings_env = blocks(PLATFORM, "variable")["settings_env"]["default"]
    passed |= set(settings_env)
    runtime = {"GOOGLE_CLOUD_PROJECT", "LOG_EXECUTION_ID", "PRIMARY_DOMAIN"}
    assert passed - runtime <= known, sorted(passed - runtime - known)
