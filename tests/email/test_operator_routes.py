"""Operators list the email types, preview each with sample data, and send one email;
other users are refused."""

from __future__ import annotations

from shared.email.types import EmailType
from shared.runtime.local import LocalRuntime
from tests.email.smtp_server import SmtpServer
from tests.support.api import ApiClient


def test_templates_are_listed_and_previewed_for_admins_only(api: ApiClient) -> None:
    admin, user = api.user("root", admin=True), api.user("mallory")
    assert user.get("/v1/emails/templates").status_code == 403
    assert user.get("/v1/emails/templates/welcome/preview").status_code == 403
    assert api.anonymous().get("/v1/emails/templates").status_code == 401

    listed = admin.get("/v1/emails/templates").json["templates"]
    assert [t["name"] for t in listed] == [t.value for t in EmailType]
    welcome = next(t for t in listed if t["name"] == "welcome")
    assert (welcome["sender"], welcome["reply_to"]) == ("hello@013a.tech", "hello@013a.tech")
    assert welcome["queue"] == "email-transactional"
    assert "stage" in welcome["context_schema"]["properties"]

    for email_type in EmailType:
        preview = admin.get(f"/v1/emails/templates/{email_type.value}/preview")
        assert preview.status_code == 200, email_type
        body = preview.json
        assert body["subject"] and 'style="' in body["html"] and body["text"]
        transactional = email_type in (EmailType.PASSWORD_RESET, EmailType.SECURITY_ALERT)
        assert ("List-Unsubscribe" in body["headers"]) is not transactional
    html = admin.get("/v1/emails/templates/governance/preview?format=html")
    assert html.content_type.startswith("text/html") and b"Cast your vote" in html.data
    text = admin.get("/v1/emails/templates/governance/preview?format=text")
    assert text.content_type.startswith("text/plain") and b"<" not in text.data.split(b"--")[0]
    assert admin.get("/v1/emails/templates/nope/preview").status_code == 404
    assert admin.get("/v1/emails/templates/welcome/preview?format=pdf").status_code == 400


def test_admins_send_one_email_idempotently(
    api: ApiClient, app_runtime: LocalRuntime, smtp_server: SmtpServer
) -> None:
    admin, user = api.user("root", admin=True), api.user("mallory")
    body = {
        "type": "system_alert",
        "to": "oncall@example.com",
        "context": {
            "severity": "warning",
            "title": "Disk above 80 %",
            "description": "The documents volume is 83 % full.",
            "started_at": "2026-11-02T10:00:00Z",
        },
    }
    assert user.post("/v1/emails/send", json=body).status_code == 403
    headers = {"Idempotency-Key": "alert-42"}
    first = admin.post("/v1/emails/send", json=body, headers=headers)
    second = admin.post("/v1/emails/send", json=body, headers=headers)
    assert first.status_code == 200 and first.json["status"] == "sent"
    assert second.json["duplicate"] is True
    [received] = smtp_server.to("oncall@example.com")
    assert received["Subject"] == "[WARNING] Disk above 80 %"
    assert received["From"].endswith("<alerts@013a.tech>")

    invalid = admin.post("/v1/emails/send", json={**body, "context": {"severity": "meh"}})
    assert invalid.status_code == 400
    assert "context.severity" in {e["field"] for e in invalid.json["errors"]}
