"""The operators' console through the HTTP adapter (session cookie, CSRF), without a
browser: who may see it, the confirmation steps, the refusals the API makes too, and that
each action lands where the API's would."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from flask import Flask
from werkzeug.test import TestResponse

from shared.adapters.http.catalog import all_guards
from shared.adapters.http.pages import CSRF_COOKIE, SESSION_COOKIE, add_pages
from shared.events.envelope import new_event
from shared.ledger.postings import user_owner
from shared.money import Token, to_minor
from shared.operations.dead_letters import DEAD_LETTERS
from shared.operations.events import PurgeRequested
from shared.runtime.local import LocalRuntime
from shared.web.catalog import all_pages
from shared.web.console_pages import SECTIONS
from tests.support.api import ApiClient, UserClient

CSRF = "test-csrf-token"


@pytest.fixture
def console(api: ApiClient) -> ApiClient:
    app = api.client.application
    assert isinstance(app, Flask)
    add_pages(
        app,
        all_pages(),
        lambda: api.features,
        guards=all_guards(),
        secure_cookies=False,
    )
    return api


def _as(api: ApiClient, user: UserClient | None) -> None:
    client = api.client
    client.delete_cookie(SESSION_COOKIE)
    if user is not None:
        client.set_cookie(SESSION_COOKIE, user.headers["Authorization"][7:])
    client.set_cookie(CSRF_COOKIE, CSRF)


def _get(api: ApiClient, path: str) -> TestResponse:
    return api.client.get(path)


def _post(api: ApiClient, path: str, **form: str) -> TestResponse:
    return api.client.post(path, data={"csrf_token": CSRF, **form})


def test_only_admins_see_the_console(console: ApiClient) -> None:
    _as(console, None)
    signed_out = _get(console, "/admin/users")
    assert signed_out.status_code == 200
    assert "Sign in to see the operators" in signed_out.get_data(as_text=True)
    assert 'name="next" value="/admin/users"' in signed_out.get_data(as_text=True)

    _as(console, console.user("someone"))
    for _, path, _ in SECTIONS:
        refused = _get(console, path)
        assert refused.status_code == 403, path
        assert "Not allowed" in refused.get_data(as_text=True)
    assert _post(console, "/admin/tokens", action="mint").status_code == 403

    _as(console, console.user("ops", admin=True))
    for _, path, _label in SECTIONS:
        page = _get(console, path)
        assert page.status_code == 200, (path, page.get_data(as_text=True)[:2000])
        html = page.get_data(as_text=True)
        assert html.count("<h1>") == 1 and 'aria-current="page"' in html, path
    someone, ops = console.user("someone"), console.user("ops", admin=True)
    admins = _get(console, "/admin/users?email=EXAMPLE.com&role=admin").get_data(as_text=True)
    assert ops.email in admins and someone.email not in admins
    frozen = _get(console, "/admin/users?status=disabled").get_data(as_text=True)
    assert "No account matches." in frozen


def test_a_demoted_admin_loses_the_console_at_the_next_request(console: ApiClient) -> None:
    ops, other = console.user("ops", admin=True), console.user("other", admin=True)
    _as(console, other)
    assert _get(console, "/admin/").status_code == 200
    _as(console, ops)
    ask = _post(console, f"/admin/users/{other.user_id}", action="revoke-admin")
    assert ask.status_code == 200 and "Yes, revoke admin" in ask.get_data(as_text=True)
    done = _post(console, f"/admin/users/{other.user_id}", action="revoke-admin", confirmed="yes")
    assert done.status_code == 303
    _as(console, other)
    assert _get(console, "/admin/").status_code == 403
    # and back: granting needs no confirmation
    _as(console, ops)
    assert _post(console, f"/admin/users/{other.user_id}", action="grant-admin").status_code == 303
    _as(console, other)
    assert _get(console, "/admin/").status_code == 200


def test_freezing_asks_a_reason_and_a_confirmation_and_stops_the_account(
    console: ApiClient,
) -> None:
    ops, mallory = console.user("ops", admin=True), console.user("mallory")
    _as(console, ops)
    path = f"/admin/users/{mallory.user_id}"
    no_reason = _post(console, path, action="freeze")
    assert no_reason.status_code == 400
    assert 'id="reason-error"' in no_reason.get_data(as_text=True)
    ask = _post(console, path, action="freeze", reason="ticket 4211")
    assert ask.status_code == 200 and "Yes, freeze the account" in ask.get_data(as_text=True)
    assert mallory.get("/v1/me").status_code == 200  # nothing happened yet
    done = _post(console, path, action="freeze", reason="ticket 4211", confirmed="yes")
    assert done.status_code == 303 and done.headers["Location"] == f"{path}?done=frozen"
    assert mallory.get("/v1/me").status_code == 401
    shown = _get(console, done.headers["Location"]).get_data(as_text=True)
    assert "The account is frozen" in shown and "ticket 4211" in shown
    assert _post(console, path, action="unfreeze").status_code == 303
    mallory.log_in_again()
    assert mallory.get("/v1/me").status_code == 200


def test_admins_cannot_freeze_or_demote_themselves(console: ApiClient) -> None:
    ops = console.user("ops", admin=True)
    _as(console, ops)
    path = f"/admin/users/{ops.user_id}"
    page = _get(console, path).get_data(as_text=True)
    assert "you cannot freeze it" in page and "Freeze account" not in page
    frozen = _post(console, path, action="freeze", reason="oops", confirmed="yes")
    assert frozen.status_code == 400
    assert "cannot disable or enable your own account" in frozen.get_data(as_text=True)
    demoted = _post(console, path, action="revoke-admin", confirmed="yes")
    assert demoted.status_code == 400
    assert "cannot remove your own admin role" in demoted.get_data(as_text=True)
    assert ops.get("/v1/admin/users").status_code == 200


def test_a_form_without_its_csrf_token_changes_nothing(console: ApiClient) -> None:
    ops, mallory = console.user("ops", admin=True), console.user("mallory")
    _as(console, ops)
    sent = console.client.post(
        f"/admin/users/{mallory.user_id}",
        data={"action": "freeze", "reason": "x", "confirmed": "yes"},
    )
    assert sent.status_code == 403
    assert mallory.get("/v1/me").status_code == 200


def test_minting_and_burning_go_through_the_ledger_with_the_reason_audited(
    console: ApiClient, app_runtime: LocalRuntime
) -> None:
    ops, alice = console.user("ops", admin=True), console.user("alice")
    _as(console, ops)
    page = _get(console, "/admin/tokens").get_data(as_text=True)
    operation = re.search(r'name="operation" value="([^"]+)"', page)
    assert operation is not None
    form = {
        "account": alice.email.upper(),
        "token": "AIA",
        "amount": "250.5",
        "reason": "contest prize",
        "operation": operation.group(1),
    }
    minted = _post(console, "/admin/tokens", action="mint", **form)
    assert minted.status_code == 303, minted.get_data(as_text=True)
    again = _post(console, "/admin/tokens", action="mint", **form)  # a double submit
    assert again.status_code == 303
    store = app_runtime.features.ledger.store
    assert store.balances(user_owner(alice.user_id))[Token.AIA] == to_minor(Decimal("250.5"))
    [entry] = [e for e in store.audit_trail(10) if e["action"] == "mint"]
    assert entry["details"]["reason"] == "contest prize"
    assert entry["actor"] == f"admin:{ops.user_id}"

    bad = _post(console, "/admin/tokens", action="mint", **{**form, "amount": "-1", "reason": ""})
    assert bad.status_code == 400
    html = bad.get_data(as_text=True)
    assert 'id="amount-error"' in html and 'id="reason-error"' in html

    burn = {**form, "operation": "another-operation-1", "amount": "50"}
    ask = _post(console, "/admin/tokens", action="burn", **burn)
    assert ask.status_code == 200 and "Yes, burn" in ask.get_data(as_text=True)
    assert store.balances(user_owner(alice.user_id))[Token.AIA] == to_minor(Decimal("250.5"))
    burn["account"] = alice.user_id  # by id, as the confirmation sends it
    burned = _post(console, "/admin/tokens", action="burn", confirmed="yes", **burn)
    assert burned.status_code == 303
    assert store.balances(user_owner(alice.user_id))[Token.AIA] == to_minor(Decimal("200.5"))
    too_much = {**burn, "operation": "a-third-operation", "amount": "1000"}
    refused = _post(console, "/admin/tokens", action="burn", confirmed="yes", **too_much)
    assert refused.status_code == 400
    assert store.balances(user_owner(alice.user_id))[Token.AIA] == to_minor(Decimal("200.5"))
    trail = _get(console, "/admin/tokens").get_data(as_text=True)
    assert "contest prize" in trail and "burn" in trail


def test_a_dead_letter_is_inspected_and_replayed_after_a_confirmation(
    console: ApiClient, app_runtime: LocalRuntime
) -> None:
    event = new_event(PurgeRequested())
    app_runtime.bus.publish_raw(
        "maintenance",
        b'{"batch_size": 5, "unexpected": 1}',
        {"ce-type": PurgeRequested.event_type, "ce-id": event.id, "ce-source": "//test"},
    )
    app_runtime.dispatcher.drain()
    _as(console, console.user("ops", admin=True))
    listing = _get(console, "/admin/dead-letters").get_data(as_text=True)
    found = re.search(r'href="/admin/dead-letters/([0-9a-f]+)"', listing)
    assert found is not None
    path = f"/admin/dead-letters/{found.group(1)}"
    shown = _get(console, path).get_data(as_text=True)
    assert "invalid data" in shown and "&#34;unexpected&#34;: 1" in shown
    ask = _post(console, path)
    assert ask.status_code == 200 and "Yes, replay" in ask.get_data(as_text=True)
    doc = app_runtime.platform.documents.get(DEAD_LETTERS, found.group(1))
    assert doc is not None and not doc.get("replays")
    done = _post(console, path, confirmed="yes")
    assert done.status_code == 303
    doc = app_runtime.platform.documents.get(DEAD_LETTERS, found.group(1))
    assert doc is not None and len(doc["replays"]) == 1
    assert _get(console, "/admin/dead-letters/nope").status_code == 404


def test_simulations_in_flight_for_admins_only(console: ApiClient) -> None:
    assert console.user("someone").get("/v1/admin/simulations/in-flight").status_code == 403
    reply = console.user("ops", admin=True).get("/v1/admin/simulations/in-flight")
    body = reply.json
    assert reply.status_code == 200 and body is not None
    assert body["next_cursor"] is None and isinstance(body["simulations"], list)


def test_a_suppression_is_lifted_after_a_confirmation_and_unsubscribes_stay(
    console: ApiClient, app_runtime: LocalRuntime
) -> None:
    feature = app_runtime.features.email
    now = feature.clock.now()
    feature.suppressions.suppress("gone@example.com", "hard_bounce", now, "550 unknown user")
    feature.suppressions.unsubscribe("quiet@example.com", "governance", now)
    _as(console, console.user("ops", admin=True))
    page = _get(console, "/admin/email").get_data(as_text=True)
    assert "550 unknown user" in page and "only its owner's unsubscribes" in page
    found = re.search(r'name="suppression_id" value="([^"]+)"', page)
    assert found is not None  # one Lift button: the unsubscribe has none
    assert page.count('name="suppression_id"') == 1
    ask = _post(console, "/admin/email", suppression_id=found.group(1), address="gone@example.com")
    assert ask.status_code == 200 and "Yes, lift it" in ask.get_data(as_text=True)
    assert feature.suppressions.reason_blocking("gone@example.com", "reports", False)
    done = _post(console, "/admin/email", suppression_id=found.group(1), confirmed="yes")
    assert done.status_code == 303
    assert feature.suppressions.reason_blocking("gone@example.com", "reports", False) is None
    missing = _post(console, "/admin/email", suppression_id="nope", confirmed="yes")
    assert missing.status_code == 404
