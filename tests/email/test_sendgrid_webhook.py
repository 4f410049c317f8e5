"""SendGrid's Event Webhook, signed with ECDSA as SendGrid signs it, feeds the
suppression list; unsigned, tampered or stale posts are refused."""

from __future__ import annotations

import base64
import json
import os
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from shared.email.sending import send_one
from shared.email.types import EmailType
from shared.runtime.local import LocalRuntime
from tests.email.helpers import feature, sample_request
from tests.support.api import ApiClient

PATH = "/v1/emails/webhooks/sendgrid"


@pytest.fixture
def signing_key(monkeypatch: pytest.MonkeyPatch) -> ec.EllipticCurvePrivateKey:
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    # what SendGrid's settings page shows: the base64 DER public key
    monkeypatch.setenv("AIA_SECRET_SENDGRID_WEBHOOK_PUBLIC_KEY", base64.b64encode(public).decode())
    return key


def signed(key: ec.EllipticCurvePrivateKey, body: bytes, timestamp: str) -> dict[str, str]:
    signature = key.sign(timestamp.encode() + body, ec.ECDSA(hashes.SHA256()))
    return {
        "X-Twilio-Email-Event-Webhook-Signature": base64.b64encode(signature).decode(),
        "X-Twilio-Email-Event-Webhook-Timestamp": timestamp,
        "Content-Type": "application/json",
    }


def test_signed_events_feed_suppression(
    api: ApiClient, app_runtime: LocalRuntime, signing_key: ec.EllipticCurvePrivateKey
) -> None:
    now = str(int(app_runtime.platform.clock.now().timestamp()))
    events = [
        {
            "email": "hard@example.com",
            "event": "bounce",
            "type": "bounce",
            "reason": "550 5.1.1 unknown user",
            "sg_event_id": "e1",
            "aia_type": "welcome",
        },
        {"email": "spam@example.com", "event": "spamreport", "sg_event_id": "e2"},
        {
            "email": "unsub@example.com",
            "event": "unsubscribe",
            "aia_category": "economics",
            "sg_event_id": "e3",
        },
        {"email": "soft@example.com", "event": "bounce", "type": "blocked", "sg_event_id": "e4"},
        {"email": "ok@example.com", "event": "delivered", "sg_event_id": "e5"},
    ]
    body = json.dumps(events).encode()
    response = api.anonymous().post(PATH, data=body, headers=signed(signing_key, body, now))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.json["applied"] == {
        "hard_bounce": 1,
        "complaint": 1,
        "soft_bounce": 1,
        "unsubscribed": 1,
        "ignored": 1,
    }

    mail = feature(app_runtime)
    outcome = {
        address: send_one(mail, sample_request(email_type, address)).reason
        for address, email_type in [
            ("hard@example.com", EmailType.PASSWORD_RESET),
            ("spam@example.com", EmailType.GOVERNANCE),
            ("unsub@example.com", EmailType.ECONOMIC_UPDATE),
        ]
    }
    assert outcome == {
        "hard@example.com": "hard_bounce",
        "spam@example.com": "complaint",
        "unsub@example.com": "unsubscribed",
    }
    # a complaint still lets the user's own security mail through
    reset = send_one(mail, sample_request(EmailType.PASSWORD_RESET, "spam@example.com"))
    assert reset.status == "sent"
    # one soft bounce is not enough to suppress; the third is
    soft = sample_request(EmailType.GOVERNANCE, "soft@example.com", step="one")
    assert send_one(mail, soft).status == "sent"
    # a redelivered post counts nothing twice; new soft bounces do count
    again = api.anonymous().post(PATH, data=body, headers=signed(signing_key, body, now))
    assert again.status_code == 200
    assert mail.suppressions.get("soft@example.com")["soft_bounces"] == 1
    for event_id in ("e6", "e7"):
        more = json.dumps([{**events[3], "sg_event_id": event_id}]).encode()
        response = api.anonymous().post(PATH, data=more, headers=signed(signing_key, more, now))
        assert response.status_code == 200
    later = sample_request(EmailType.GOVERNANCE, "soft@example.com", step="two")
    assert send_one(mail, later).reason == "soft_bounce"


def test_unsigned_tampered_or_stale_posts_are_refused(
    api: ApiClient, app_runtime: LocalRuntime, signing_key: ec.EllipticCurvePrivateKey
) -> None:
    clock = app_runtime.platform.clock
    body = json.dumps([{"email": "x@example.com", "event": "spamreport"}]).encode()
    now = str(int(clock.now().timestamp()))
    anonymous = api.anonymous()
    assert (
        anonymous.post(PATH, data=body, headers={"Content-Type": "application/json"}).status_code
        == 401
    )
    headers = signed(signing_key, body, now)
    tampered = body.replace(b"x@", b"y@")
    assert anonymous.post(PATH, data=tampered, headers=headers).status_code == 401
    stale = str(int((clock.now() - timedelta(hours=1)).timestamp()))
    assert (
        anonymous.post(PATH, data=body, headers=signed(signing_key, body, stale)).status_code == 401
    )
    other_key = ec.generate_private_key(ec.SECP256R1())
    assert anonymous.post(PATH, data=body, headers=signed(other_key, body, now)).status_code == 401
    assert feature(app_runtime).suppressions.get("x@example.com") is None
    assert anonymous.post(PATH, data=body, headers=headers).status_code == 200
    assert feature(app_runtime).suppressions.get("x@example.com")["complaint"]


def test_without_a_configured_key_the_webhook_does_not_exist(api: ApiClient) -> None:
    assert "AIA_SECRET_SENDGRID_WEBHOOK_PUBLIC_KEY" not in os.environ
    response = api.anonymous().post(PATH, data=b"[]", headers={"Content-Type": "application/json"})
    assert response.status_code == 404
