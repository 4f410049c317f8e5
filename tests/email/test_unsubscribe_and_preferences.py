"""One click stops a category (RFC 8058): the List-Unsubscribe link of a received email,
POSTed with no auth, answers 200 (never a redirect), is idempotent, and the next email of
that category is not sent; GET only shows a page. Users see and change their own
categories; security mail cannot be turned off."""

from __future__ import annotations

from urllib.parse import urlsplit

from shared.email.sending import SendRequest, send_one
from shared.email.types import EmailType
from shared.runtime.local import LocalRuntime
from tests.email.helpers import feature, metric, sample_request
from tests.email.smtp_server import SmtpServer
from tests.support.api import ApiClient


def unsubscribe_path(header: str) -> str:
    url = urlsplit(header.strip("<>"))
    assert (url.scheme, url.netloc, url.path) == (
        "https",
        "api.013a.tech",
        "/v1/emails/unsubscribe",
    )
    return f"{url.path}?{url.query}"


def test_one_click_unsubscribe_stops_that_category_only(
    api: ApiClient, app_runtime: LocalRuntime, smtp_server: SmtpServer
) -> None:
    alice = api.user("alice")
    mail = feature(app_runtime)
    econ = SendRequest(
        type=EmailType.ECONOMIC_UPDATE,
        journey="economic-report-2026-10",
        step="report",
        user_id=alice.user_id,
        context={"period": "October 2026"},
    )
    assert send_one(mail, econ).status == "sent"
    [received] = smtp_server.of_type(alice.email, "economic_update")
    path = unsubscribe_path(received["List-Unsubscribe"])
    anonymous = api.anonymous()

    page = anonymous.get(path)
    assert page.status_code == 200 and "<form" in page.get_data(as_text=True)
    assert mail.suppressions.get(alice.email) is None  # GET changed nothing

    for _ in range(2):  # a one-click POST, as a mailbox provider sends it, then again
        response = anonymous.post(
            path,
            data="List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 200 and "Location" not in response.headers
    assert "economics" in mail.suppressions.get(alice.email)["unsubscribed"]

    before = metric(
        app_runtime, "aia_emails_suppressed_total", type="economic_update", reason="unsubscribed"
    )
    again = send_one(mail, econ.model_copy(update={"journey": "economic-report-2026-11"}))
    assert (again.status, again.reason) == ("suppressed", "unsubscribed")
    assert (
        metric(
            app_runtime,
            "aia_emails_suppressed_total",
            type="economic_update",
            reason="unsubscribed",
        )
        == before + 1
    )
    governance = sample_request(EmailType.GOVERNANCE, alice.email)
    assert send_one(mail, governance).status == "sent"
    # and the user's preferences show it
    prefs = alice.get("/v1/emails/preferences").json
    assert prefs["categories"]["economics"] is False and prefs["categories"]["governance"]
    assert len(smtp_server.of_type(alice.email, "economic_update")) == 1


def test_a_tampered_or_foreign_token_is_refused(api: ApiClient, app_runtime: LocalRuntime) -> None:
    mail = feature(app_runtime)
    token = mail.signer.token("bob@example.com", "economics", None)
    payload, _, mac = token.partition(".")
    other = mail.signer.token("eve@example.com", "economics", None).partition(".")[0]
    anonymous = api.anonymous()
    for bad in (f"{other}.{mac}", f"{payload}.{mac[:-2]}AA", "not-a-token-at-all"):
        response = anonymous.post(f"/v1/emails/unsubscribe?token={bad}")
        assert response.status_code == 400, bad
        assert response.content_type == "application/problem+json"
    security = mail.signer.token("bob@example.com", "security", None)
    assert anonymous.post(f"/v1/emails/unsubscribe?token={security}").status_code == 400
    assert anonymous.post("/v1/emails/unsubscribe").status_code == 400  # no token
    ok = anonymous.post(
        f"/v1/emails/unsubscribe?token={token}", headers={"Accept": "application/json"}
    )
    assert ok.status_code == 200 and ok.json == {"unsubscribed": True, "category": "economics"}


def test_users_change_their_own_preferences(
    api: ApiClient, app_runtime: LocalRuntime, smtp_server: SmtpServer
) -> None:
    alice, bob = api.user("alice"), api.user("bob")
    assert api.anonymous().get("/v1/emails/preferences").status_code == 401
    initial = alice.get("/v1/emails/preferences")
    assert initial.status_code == 200
    assert all(initial.json["categories"].values()) and initial.json["locked"] == ["security"]

    changed = alice.put("/v1/emails/preferences", json={"categories": {"governance": False}})
    assert changed.status_code == 200 and changed.json["categories"]["governance"] is False
    assert bob.get("/v1/emails/preferences").json["categories"]["governance"] is True

    refused = alice.put("/v1/emails/preferences", json={"categories": {"security": False}})
    assert refused.status_code == 400
    assert refused.json["errors"][0]["field"] == "categories.security"
    unknown = alice.put("/v1/emails/preferences", json={"categories": {"spam": False}})
    assert unknown.status_code == 400 and unknown.json["errors"][0]["field"] == "categories.spam"

    mail = feature(app_runtime)
    off = SendRequest(
        type=EmailType.GOVERNANCE,
        journey="g1",
        step="opened",
        user_id=alice.user_id,
        context={"stage": "opened", "proposal_id": "p", "title": "T"},
    )
    assert (send_one(mail, off).status, send_one(mail, off).reason) == ("suppressed", "preference")
    reset = SendRequest(
        type=EmailType.PASSWORD_RESET,
        journey="r1",
        step="link",
        user_id=alice.user_id,
        context={"reset_url": "https://app.013a.tech/r?t=1", "expires_at": "2030-01-01T00:00:00Z"},
    )
    assert send_one(mail, reset).status == "sent"  # security mail whatever the preferences

    # turning a category back on also lifts a one-click unsubscribe of the address
    mail.suppressions.unsubscribe(alice.email, "governance", app_runtime.platform.clock.now())
    alice.put("/v1/emails/preferences", json={"categories": {"governance": True}})
    back = off.model_copy(update={"journey": "g2"})
    assert send_one(mail, back).status == "sent"
    assert len(smtp_server.of_type(alice.email, "governance")) == 1
