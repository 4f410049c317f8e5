"""Least privilege, derived from the manifest (docs/decisions/0034): each function's
identity may read only the secrets its manifest entry names and publish only to the
topics it names; nothing holds secretAccessor or pubsub.publisher project-wide; the
names in the manifest are what the code reads and publishes (tests/infra/reach.py);
Terraform and the deploys run as two different identities."""

from __future__ import annotations

import re
from typing import Any

import pytest

from shared.events.catalog import load_event_types
from shared.events.registry import REGISTRY
from shared.wiring.manifest import Manifest, load_manifest
from tests.infra.hcl import INFRA, ROOT, blocks, expr, locals_of, resource, resources, unquote
from tests.infra.reach import call_graph, reached

PLATFORM = INFRA / "modules" / "platform"
SENSITIVE = {"roles/secretmanager.secretAccessor", "roles/pubsub.publisher"}
# Wider roles that include reading secrets or publishing: never granted to a function.
WIDER = {
    "roles/owner",
    "roles/editor",
    "roles/pubsub.editor",
    "roles/pubsub.admin",
    "roles/secretmanager.admin",
    "roles/secretmanager.secretVersionManager",
}
# Every grant of a sensitive role in infra/, and what it is for.
SENSITIVE_GRANTS = {
    "google_pubsub_topic_iam_member.publisher": "a function's manifest `emits`",
    "google_pubsub_topic_iam_member.dead_letter_forwarder": "consume() forwards poison",
    "google_pubsub_topic_iam_member.dead_letter_publisher": "the Pub/Sub service agent",
    "google_secret_manager_secret_iam_member.runtime_env": "a function's manifest `secrets`",
    "google_secret_manager_secret_iam_member.deployer_reads_cloudflare_token": "Cloud Build",
    "google_secret_manager_secret_iam_member.migrate_database_url": "the migration job: "
    "database-url only",
}
# An event class built on a path that does not publish it: (function, topic) -> why.
BUILT_NOT_PUBLISHED = {
    ("apply-simulation-policy", "simulation-live"): (
        "LiveEconomyAdvanceRequested() is only the default input of _create_live_economy"
    ),
}
# The SQL stores that stage events in the outbox, and the topic of what each stages:
# relay-outbox publishes whatever is left there.
STAGED_BY_STORE = {
    "shared/adapters/sql/accounts.py": {"users"},
    # a proposal and the first ticks of its impact preview, in one transaction
    "shared/adapters/sql/governance.py": {"governance", "impact-preview-ticks"},
    "shared/adapters/sql/simulation_store.py": {"simulation-ticks"},
    "shared/adapters/sql/impact_store.py": {"impact-previews"},
}
SETTINGS_SECRETS = {"database-url", "redis-url"}


@pytest.fixture(scope="module")
def manifest() -> Manifest:
    load_event_types()
    return load_manifest()


def expected_grants(manifest: Manifest) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(function, secret) and (function, topic) pairs the manifest asks for."""
    secrets = {(f.name, s) for f in manifest.functions for s in f.secrets}
    secrets |= {(f.name, "database-url") for f in manifest.functions if "sql" in f.uses}
    secrets |= {(f.name, "redis-url") for f in manifest.functions if f.http and f.http.public}
    topics = {(f.name, t) for f in manifest.functions for t in f.emits}
    topics |= {
        (f.name, manifest.dead_letter_topic)
        for f in manifest.functions
        if f.pubsub and f.pubsub.topic != manifest.dead_letter_topic
    }
    return secrets, topics


def terraform_grants(manifest: Manifest) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """The pairs Terraform's grant maps hold, computed from their HCL (each expression is
    matched exactly, so a change to one fails here until its twin below follows)."""
    hcl = locals_of(PLATFORM)
    secret_text = expr(hcl["secret_grants"])
    publisher_text = expr(hcl["publisher_grants"])
    # (python-hcl2 prints HCL back normalised: `{for ...}`, `=> {function = fn, ...}`)
    assert secret_text.startswith(
        'merge(merge([for fn, f in local.functions : {for s in f.secrets : "${fn}/${s}" => '
        "{function = fn, secret = s}}] ...), "
    ), secret_text
    assert (
        '{for fn, f in local.functions : "${fn}/database-url" => {function = fn, secret = '
        '"database-url"} if contains(f.uses, "sql")}'
    ) in secret_text
    assert (
        '{for fn, f in local.functions : "${fn}/redis-url" => {function = fn, secret = '
        '"redis-url"} if f.public})'
    ) in secret_text
    assert secret_text.count("=> {") == 3, "a new secret grant: add its twin here"
    assert "var.secret_ids" not in secret_text, "a function is granted every secret"
    assert publisher_text == (
        'merge([for fn, f in local.functions : {for topic in f.emits : "${fn}/${topic}" => '
        "{function = fn, topic = topic}}] ...)"
    ), publisher_text
    functions = expr(hcl["functions"])
    assert "secrets = toset(try(f.secrets, []))" in functions
    assert "emits = toset(try(f.emits, []))" in functions
    forwarders = expr(hcl["dead_lettered_functions"])
    assert forwarders == "{for fn, e in local.event_functions : fn => e if e.dead_letters}"
    # the twins
    secrets = {(f.name, s) for f in manifest.functions for s in f.secrets}
    secrets |= {(f.name, "database-url") for f in manifest.functions if "sql" in f.uses}
    secrets |= {(f.name, "redis-url") for f in manifest.functions if f.http and f.http.public}
    topics = {(f.name, t) for f in manifest.functions for t in f.emits}
    topics |= {
        (f.name, manifest.dead_letter_topic)
        for f in manifest.functions
        if f.pubsub and f.pubsub.topic != manifest.dead_letter_topic
    }
    return secrets, topics


def test_terraform_grants_exactly_what_the_manifest_names(manifest) -> None:
    assert terraform_grants(manifest) == expected_grants(manifest)
    # each grant binds the one function's identity to the one secret or topic of its key
    publisher = resource(PLATFORM, "google_pubsub_topic_iam_member", "publisher").body
    assert expr(publisher["topic"]) == "google_pubsub_topic.topic[each.value.topic].id"
    assert expr(publisher["member"]) == (
        "serviceAccount:${google_service_account.function[each.value.function].email}"
    )
    secret = resource(PLATFORM, "google_secret_manager_secret_iam_member", "runtime_env").body
    assert expr(secret["secret_id"]) == "google_secret_manager_secret.secret[each.value.secret].id"
    assert expr(secret["member"]) == (
        "serviceAccount:${google_service_account.function[each.value.function].email}"
    )


def test_some_functions_hold_no_secret_and_no_topic(manifest) -> None:
    """The derived grants are narrow: not everyone holds everything."""
    secrets, topics = expected_grants(manifest)
    holders = {f for f, _ in secrets}
    publishers = {f for f, t in topics if t != manifest.dead_letter_topic}
    names = {f.name for f in manifest.functions}
    assert "record-security-event" in names - holders - publishers
    assert {s for f, s in secrets if f == "venture-step"} == {
        "openai-api-key",
        "anthropic-api-key",
        "xai-api-key",
        "groq-api-key",
        "huggingface-api-token",
    }
    assert not {s for f, s in secrets if f == "api"} & {"openai-api-key", "sendgrid-api-key"}


def _role_values(r: Any) -> set[str]:
    """The roles an `_iam_member` resource grants (each of a for_each over roles)."""
    role = r.body.get("role")
    if role is None:
        return set()
    text = expr(role)
    if text == "each.key":  # for_each over a local set of roles
        local = locals_of(PLATFORM)[r.for_each.removeprefix("local.")]
        return set(re.findall(r'"(roles/[a-zA-Z.]+)"', str(local)))
    if text == "each.value" and "toset(" in str(r.for_each):  # for_each over literal roles
        return set(re.findall(r"roles/[a-zA-Z.]+", str(r.for_each)))
    if text == "each.value.role":  # a map of grants whose values name the role
        local = locals_of(PLATFORM)[r.for_each.removeprefix("local.")]
        return set(re.findall(r'role = "(roles/[a-zA-Z.]+)"', str(local)))
    assert text.startswith("roles/"), f"{r.address}: role {text}"
    return {text}


def test_no_project_wide_secret_or_publisher_role() -> None:
    """Nobody reads every secret or publishes to every topic; wider roles that include
    those are the terraform identity's alone (it creates the secrets and topics)."""
    for r in resources():
        if not r.type.endswith("_iam_member"):
            continue
        roles = _role_values(r)
        assert roles, r.address
        if r.type == "google_project_iam_member":
            assert not roles & SENSITIVE, f"{r.address}: {roles & SENSITIVE}"
            if r.address != "google_project_iam_member.terraform":
                assert not roles & WIDER, f"{r.address}: {roles & WIDER}"
        elif roles & SENSITIVE:
            assert r.address in SENSITIVE_GRANTS, f"{r.address} grants {roles & SENSITIVE}"
    functions = _role_values(resource(PLATFORM, "google_project_iam_member", "function"))
    assert "roles/datastore.user" in functions  # the role map was read


def test_a_function_that_names_nothing_gets_nothing(manifest) -> None:
    """The check bites: widening one function's grants is caught."""
    widened = manifest.model_copy(
        update={
            "functions": [
                f.model_copy(update={"emits": ["users"]}) if f.name == "refresh-graph" else f
                for f in manifest.functions
            ]
        }
    )
    _, topics = expected_grants(widened)
    _, granted = expected_grants(manifest)
    assert ("refresh-graph", "users") in topics - granted


# --- the manifest's names are what the code does ------------------------------------------
def _models() -> dict[str, str]:
    return {m.__name__: m.event_type for m in REGISTRY.models()}


def code_topics(manifest: Manifest, target: str, *, lower: bool) -> set[str]:
    """Topics of the event classes built on some path from the function. Lower: calls
    resolved by name or by a method name at most one class defines, not into the
    composition root (which builds every feature); upper: any method of that name."""
    graph = call_graph(1) if lower else call_graph()
    units = reached(target, 1, ("shared.bootstrap",)) if lower else reached(target)
    models = _models()
    built = {models[n] for u in units for n in graph.built.get(u, ()) if n in models}
    return {manifest.topic_for(t) for t in built}


def code_secrets(target: str, known: set[str]) -> set[str]:
    graph = call_graph()
    return {s for u in reached(target) for s in graph.strings.get(u, ()) if s in known}


def missing_emits(manifest: Manifest) -> dict[str, set[str]]:
    missing = {}
    for fn in manifest.functions:
        found = code_topics(manifest, fn.target, lower=True)
        found -= {t for (f, t) in BUILT_NOT_PUBLISHED if f == fn.name}
        if found - set(fn.emits):
            missing[fn.name] = found - set(fn.emits)
    return missing


def test_every_topic_the_code_publishes_to_is_granted(manifest) -> None:
    assert missing_emits(manifest) == {}
    # the analysis sees real emissions: take one away and it is missed
    narrowed = manifest.model_copy(
        update={
            "functions": [
                f.model_copy(update={"emits": ["agent-tasks"]})
                if f.name == "advance-simulation"
                else f
                for f in manifest.functions
            ]
        }
    )
    assert missing_emits(narrowed) == {"advance-simulation": {"simulation-ticks"}}


def test_no_function_is_granted_a_topic_its_code_cannot_reach(manifest) -> None:
    relay = "relay-outbox"
    for fn in manifest.functions:
        if fn.name == relay:
            continue
        extra = set(fn.emits) - code_topics(manifest, fn.target, lower=False)
        assert not extra, f"{fn.name} may publish to {extra}, which no code path does"


def test_the_outbox_relay_publishes_what_the_stores_stage(manifest) -> None:
    staging = {
        str(p.relative_to(ROOT))
        for p in (ROOT / "shared" / "adapters" / "sql").glob("*.py")
        if re.search(r"^\s+stage\(conn, ", p.read_text(), re.M)
    }
    assert staging == set(STAGED_BY_STORE), "a store stages events: name its topic here"
    relay = manifest.function("relay-outbox")
    assert set(relay.emits) == set().union(*STAGED_BY_STORE.values())


def test_every_secret_named_is_created_read_by_the_code_and_used(manifest) -> None:
    declared = {unquote(s) for s in blocks(PLATFORM, "variable")["secret_ids"]["default"]}
    named = {s for f in manifest.functions for s in f.secrets}
    assert named <= declared, f"not created by Terraform: {named - declared}"
    assert declared <= named, f"created but no function may read them: {declared - named}"
    assert not named & SETTINGS_SECRETS, "the settings secrets are mounted from `uses`"
    for fn in manifest.functions:
        extra = set(fn.secrets) - code_secrets(fn.target, declared)
        assert not extra, f"{fn.name} may read {extra}, which its code never names"


# --- two identities for a release --------------------------------------------------------------
def test_terraform_and_deploys_run_as_different_identities() -> None:
    terraform = resource(PLATFORM, "google_service_account", "terraform").body
    deployer = resource(PLATFORM, "google_service_account", "deployer").body
    assert unquote(terraform["account_id"]) != unquote(deployer["account_id"])
    hcl = locals_of(PLATFORM)
    deployer_roles = set(re.findall(r'"(roles/[a-zA-Z.]+)"', hcl["deployer_roles"]))
    terraform_roles = set(re.findall(r'"(roles/[a-zA-Z.]+)"', hcl["terraform_roles"]))
    # the deployer changes no IAM, network or data store; it deploys revisions
    assert deployer_roles == {
        "roles/run.developer",
        "roles/monitoring.viewer",
        "roles/logging.logWriter",
    }
    assert not {r for r in deployer_roles if r.endswith(("admin", "Admin", ".owner"))}
    assert "roles/resourcemanager.projectIamAdmin" in terraform_roles
    impersonate = resource(
        PLATFORM, "google_service_account_iam_member", "deployer_impersonates_terraform"
    ).body
    assert unquote(impersonate["role"]) == "roles/iam.serviceAccountTokenCreator"
    assert "google_service_account.terraform.name" in expr(impersonate["service_account_id"])
    acts = resource(PLATFORM, "google_service_account_iam_member", "deployer_acts_as_function")
    assert acts.for_each == "local.functions"  # one actAs per function identity, not project-wide
    # Cloud Build runs the terraform steps as the terraform identity
    import yaml

    build = yaml.safe_load((ROOT / "cloudbuild.yaml").read_text())
    steps = {s["id"]: s for s in build["steps"]}
    for step in ("terraform-plan", "terraform-apply"):
        assert steps[step]["env"] == ["GOOGLE_IMPERSONATE_SERVICE_ACCOUNT=${_TERRAFORM_SA}"]
    assert build["substitutions"]["_TERRAFORM_SA"].startswith(
        unquote(terraform["account_id"]) + "@"
    )
    for step_id, step in steps.items():
        if step_id not in ("terraform-plan", "terraform-apply"):
            assert "GOOGLE_IMPERSONATE" not in str(step), step_id
