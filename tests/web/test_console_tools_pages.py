"""The console's pages for the rest of the admin API, without a browser: the wallet freeze
on a user's page, the knowledge graph's registry imports, the email types with their
preview, sending one email, and the venture reports' usage. Admins only; forms need their
CSRF token; destructive actions ask first; a form sent twice sends once."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from flask import Flask

from shared.adapters.http.catalog import all_guards
from shared.adapters.http.pages import add_pages
from shared.ledger.postings import user_owner
from shared.runtime.local import LocalRuntime
from shared.venture.report import USAGE
from shared.web.catalog import all_pages
from shared.web.console_tools_pages import EMAIL_PREVIEW_CSP
from tests.support.api import ApiClient, UserClient
from tests.web.test_console_pages import _as, _get, _post

NEW_PAGES = [
    "/admin/graph",
    "/admin/email/templates",
    "/admin/email/templates/system_alert",
    "/admin/email/templates/system_alert/preview.html",
    "/admin/email/send",
    "/admin/venture",
]
SOURCE = "https://example.org/"
ACME: dict[str, Any] = {
    "technologies": [
        {
            "id": "acme-queue",
            "name": "Acme Queue",
            "category": "messaging",
            "source": SOURCE,
            "requires": ["postgres"],
        }
    ]
}
CYCLE = (
    f"id,name,category,source,prerequisites\na,A,x,{SOURCE},c\nb,B,x,{SOURCE},a\nc,C,x,{SOURCE},b\n"
)


@pytest.fixture
def console(api: ApiClient) -> ApiClient:
    app = api.client.application
    assert isinstance(app, Flask)
    add_pages(app, all_pages(), lambda: api.features, guards=all_guards(), secure_cookies=False)
    return api


def _registries(admin: UserClient) -> list[dict[str, Any]]:
    reply = admin.get("/v1/admin/graph/imports")
    assert reply.status_code == 200 and reply.json is not None
    return list(reply.json["registries"])


def test_the_new_pages_are_for_admins_only(console: ApiClient) -> None:
    _as(console, None)
    assert "Sign in to see the operators" in _get(console, "/admin/graph").get_data(as_text=True)
    _as(console, console.user("someone"))
    for path in NEW_PAGES:
        assert _get(console, path).status_code == 403, path
    assert _post(console, "/admin/graph", registry="acme", content="{}").status_code == 403
    assert _post(console, "/admin/email/send", type="welcome").status_code == 403
    _as(console, console.user("ops", admin=True))
    for path in NEW_PAGES:
        page = _get(console, path)
        assert page.status_code == 200, (path, page.get_data(as_text=True)[:2000])
        if not path.endswith(".html"):
            html = page.get_data(as_text=True)
            assert html.count("<h1>") == 1 and 'aria-current="page"' in html, path
    assert _get(console, "/admin/email/templates/nope").status_code == 404


def test_the_wallet_freeze_asks_a_reason_and_a_confirmation(
    console: ApiClient, app_runtime: LocalRuntime
) -> None:
    ops, alice = console.user("ops", admin=True), console.user("alice")
    store = app_runtime.features.ledger.store
    _as(console, ops)
    path = f"/admin/users/{alice.user_id}"
    assert "Freeze wallet" in _get(console, path).get_data(as_text=True)
    no_reason = _post(console, path, action="freeze-wallet")
    assert no_reason.status_code == 400
    assert 'id="wallet_reason-error"' in no_reason.get_data(as_text=True)
    ask = _post(console, path, action="freeze-wallet", wallet_reason="chargeback 77")
    assert ask.status_code == 200 and "Yes, freeze the wallet" in ask.get_data(as_text=True)
    assert not store.is_frozen(user_owner(alice.user_id))
    no_csrf = console.client.post(
        path, data={"action": "freeze-wallet", "wallet_reason": "x", "confirmed": "yes"}
    )
    assert no_csrf.status_code == 403 and not store.is_frozen(user_owner(alice.user_id))
    done = _post(
        console, path, action="freeze-wallet", wallet_reason="chargeback 77", confirmed="yes"
    )
    assert done.status_code == 303 and done.headers["Location"] == f"{path}?done=wallet-frozen"
    assert store.is_frozen(user_owner(alice.user_id))
    assert alice.get("/v1/me").status_code == 200  # the account itself stays signed in
    [entry] = [e for e in store.audit_trail(10) if e["action"] == "freeze"]
    assert entry["details"]["reason"] == "chargeback 77"
    assert entry["actor"] == f"admin:{ops.user_id}"
    assert "Unfreeze wallet" in _get(console, path).get_data(as_text=True)
    # unfreezing asks no confirmation, but a reason as the API does
    assert _post(console, path, action="unfreeze-wallet").status_code == 400
    undone = _post(console, path, action="unfreeze-wallet", wallet_reason="resolved")
    assert undone.status_code == 303 and not store.is_frozen(user_owner(alice.user_id))


def test_a_registry_is_imported_refused_by_name_and_removed_after_a_confirmation(
    console: ApiClient,
) -> None:
    ops = console.user("ops", admin=True)
    _as(console, ops)
    empty = _post(console, "/admin/graph", registry="", content="")
    assert empty.status_code == 400
    html = empty.get_data(as_text=True)
    assert 'id="registry-error"' in html and 'id="content-error"' in html
    not_json = _post(console, "/admin/graph", registry="acme", content="{nope")
    assert not_json.status_code == 400 and "not JSON" in not_json.get_data(as_text=True)
    cycle = _post(console, "/admin/graph", registry="acme", content="", csv_skills=CYCLE)
    assert cycle.status_code == 400
    html = cycle.get_data(as_text=True)
    assert 'id="csv_skills-error"' in html and "prerequisite cycle: skill:" in html
    unknown = json.dumps({"edges": [{"kind": "requires", "from": "technology:django",
                                     "to": "technology:ghost-db"}]})  # fmt: skip
    refused = _post(console, "/admin/graph", registry="acme", content=unknown)
    assert refused.status_code == 400 and "edges[0].to" in refused.get_data(as_text=True)
    assert _registries(ops) == []  # nothing written

    done = _post(console, "/admin/graph", registry="acme", content=json.dumps(ACME))
    assert done.status_code == 303, done.get_data(as_text=True)
    listing = _get(console, done.headers["Location"]).get_data(as_text=True)
    assert "Imported acme" in listing and 'href="/admin/graph/acme/delete"' in listing
    [registry] = _registries(ops)
    assert registry["name"] == "acme" and registry["imported_by"] == ops.user_id

    ask = _get(console, "/admin/graph/acme/delete")
    assert ask.status_code == 200 and "Yes, remove it" in ask.get_data(as_text=True)
    assert console.client.post("/admin/graph/acme/delete").status_code == 403  # no CSRF token
    assert len(_registries(ops)) == 1
    removed = _post(console, "/admin/graph/acme/delete")
    assert removed.status_code == 303
    assert _registries(ops) == []
    assert _get(console, "/admin/graph/acme/delete").status_code == 404


def test_an_email_type_is_previewed_and_its_html_is_its_own_sandboxed_document(
    console: ApiClient,
) -> None:
    _as(console, console.user("ops", admin=True))
    listing = _get(console, "/admin/email/templates").get_data(as_text=True)
    assert 'href="/admin/email/templates/system_alert"' in listing and "alerts@" in listing
    page = _get(console, "/admin/email/templates/system_alert").get_data(as_text=True)
    assert "Text version" in page and "system_alert/preview.html" in page
    html = _get(console, "/admin/email/templates/system_alert/preview.html")
    assert html.status_code == 200 and html.content_type.startswith("text/html")
    assert html.headers["Content-Security-Policy"] == EMAIL_PREVIEW_CSP
    assert "sandbox" in EMAIL_PREVIEW_CSP and "frame-ancestors 'none'" in EMAIL_PREVIEW_CSP
    assert html.headers["X-Frame-Options"] == "DENY"
    assert "<html" in html.get_data(as_text=True).lower()
    # the console's own pages keep the strict policy
    strict = _get(console, "/admin/email/templates").headers["Content-Security-Policy"]
    assert "unsafe-inline" not in strict


def test_an_email_sent_twice_from_the_form_is_sent_once(console: ApiClient) -> None:
    _as(console, console.user("ops", admin=True))
    page = _get(console, "/admin/email/send?type=system_alert").get_data(as_text=True)
    key = re.search(r'name="key" value="([^"]+)"', page)
    assert key is not None and '<option value="system_alert" selected>' in page
    context = {
        "severity": "warning",
        "title": "Disk above 80 %",
        "description": "The documents volume is 83 % full.",
        "started_at": "2026-11-02T10:00:00Z",
    }
    form = {"type": "system_alert", "to": "oncall@example.com", "key": key.group(1)}
    bad = _post(console, "/admin/email/send", **{**form, "to": "nope", "context": "{"})
    assert bad.status_code == 400
    html = bad.get_data(as_text=True)
    assert 'id="to-error"' in html and 'id="context-error"' in html
    wrong = _post(console, "/admin/email/send", **form, context=json.dumps({"severity": "meh"}))
    assert wrong.status_code == 400 and "severity" in wrong.get_data(as_text=True)

    first = _post(console, "/admin/email/send", **form, context=json.dumps(context))
    assert first.status_code == 303, first.get_data(as_text=True)
    assert "done=sent" in first.headers["Location"] and "again" not in first.headers["Location"]
    second = _post(console, "/admin/email/send", **form, context=json.dumps(context))
    assert second.status_code == 303 and "again=1" in second.headers["Location"]
    shown = _get(console, second.headers["Location"]).get_data(as_text=True)
    assert "nothing was sent again" in shown


def test_venture_usage_shows_the_days_asked_for(
    console: ApiClient, app_runtime: LocalRuntime
) -> None:
    venture = app_runtime.features.venture
    today = venture.clock.now().date().isoformat()
    venture.documents.set(
        USAGE, today, {"day": today, "completed": 3, "failed": 1, "seconds": 12.0}
    )
    _as(console, console.user("someone"))
    assert _get(console, "/admin/venture").status_code == 403
    _as(console, console.user("ops", admin=True))
    page = _get(console, "/admin/venture?days=7").get_data(as_text=True)
    assert "75.0 %" in page and today in page and "4.0" in page
    assert page.count("<tr>") == 8  # a header and 7 days
    bad = _get(console, "/admin/venture?days=999")
    assert bad.status_code == 400 and 'id="days-error"' in bad.get_data(as_text=True)
