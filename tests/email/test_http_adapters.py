"""The SendGrid and Gmail adapters against local stand-ins of their published APIs, and
the router that sends each category through the adapter settings give it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from shared.adapters.local.secrets import EnvironmentSecrets
from shared.adapters.mail.build import build_router
from shared.adapters.mail.gmail import GmailMailer
from shared.adapters.mail.outbox import OutboxMailer
from shared.adapters.mail.sendgrid import SendGridMailer
from shared.adapters.mail.smtp import SmtpMailer
from shared.email.delivery import TransientDeliveryError
from shared.email.sending import send_one
from shared.email.types import EmailType
from shared.runtime.local import LocalRuntime
from shared.settings import Settings
from tests.email.helpers import feature, sample_request
from tests.email.standins import GoogleStandIn, SendGridStandIn

SENDGRID_KEY = "SG.test-key"
CLIENT = "mailer@aia-prod.iam.gserviceaccount.com"


@pytest.fixture
def sendgrid() -> Iterator[SendGridStandIn]:
    with SendGridStandIn(SENDGRID_KEY) as stand_in:
        yield stand_in


@pytest.fixture
def google() -> Iterator[tuple[GoogleStandIn, str]]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    delegated = {"security@013a.tech", "alerts@013a.tech"}
    with GoogleStandIn(public, CLIENT, delegated) as stand_in:
        account = {
            "type": "service_account",
            "client_email": CLIENT,
            "private_key": private,
            "token_uri": stand_in.token_uri,
        }
        yield stand_in, json.dumps(account)


def routed(
    runtime: LocalRuntime,
    sendgrid: SendGridStandIn,
    google: GoogleStandIn,
    account: str,
) -> None:
    settings = runtime.settings.model_copy(
        update={
            "mail_backend": "sendgrid",
            "mail_routes": {"security": "gmail", "alerts": "gmail"},
            "sendgrid_api_base": sendgrid.url,
            "gmail_api_base": google.url,
        }
    )
    secrets = EnvironmentSecrets(
        {"AIA_SECRET_SENDGRID_API_KEY": SENDGRID_KEY, "AIA_SECRET_GMAIL_SERVICE_ACCOUNT": account}
    )
    feature(runtime).use_router(build_router(settings, secrets))


def test_categories_go_through_their_adapters(
    app_runtime: LocalRuntime, sendgrid: SendGridStandIn, google: tuple[GoogleStandIn, str]
) -> None:
    gmail, account = google
    routed(app_runtime, sendgrid, gmail, account)
    mail = feature(app_runtime)

    welcome = send_one(mail, sample_request(EmailType.WELCOME, "ada@example.com"))
    reset = send_one(mail, sample_request(EmailType.PASSWORD_RESET, "ada@example.com"))
    alert = send_one(mail, sample_request(EmailType.SECURITY_ALERT, "ada@example.com"))
    system = send_one(mail, sample_request(EmailType.SYSTEM_ALERT, "ops@example.com"))
    assert (welcome.backend, reset.backend, alert.backend, system.backend) == (
        "sendgrid",
        "gmail",
        "gmail",
        "gmail",
    )

    [accepted] = sendgrid.accepted
    assert accepted["from"] == {"email": "hello@013a.tech", "name": "AIA"}
    assert accepted["reply_to"]["email"] == "hello@013a.tech"
    assert accepted["personalizations"] == [
        {"to": [{"email": "ada@example.com", "name": "Ada Lovelace"}]}
    ]
    assert [c["type"] for c in accepted["content"]] == ["text/plain", "text/html"]
    assert accepted["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert accepted["headers"]["List-Unsubscribe"].startswith("<https://api.013a.tech/")
    assert accepted["custom_args"] == {
        "aia_key": welcome.key,
        "aia_type": "welcome",
        "aia_category": "onboarding",
    }
    assert accepted["tracking_settings"]["click_tracking"]["enable"] is False

    # per-sender delegation: one token per mailbox, reused for its next message
    assert gmail.token_requests == ["security@013a.tech", "alerts@013a.tech"]
    senders = [(user, m["X-AIA-Email-Type"]) for user, m in gmail.sent]
    assert senders == [
        ("security@013a.tech", "password_reset"),
        ("security@013a.tech", "security_alert"),
        ("alerts@013a.tech", "system_alert"),
    ]
    reset_message = gmail.sent[0][1]
    assert reset_message["List-Unsubscribe"] is None
    assert reset_message["Message-ID"] == reset.message_id


def test_provider_failures_map_to_retry_or_suppression(
    app_runtime: LocalRuntime, sendgrid: SendGridStandIn, google: tuple[GoogleStandIn, str]
) -> None:
    gmail, account = google
    routed(app_runtime, sendgrid, gmail, account)
    mail = feature(app_runtime)

    sendgrid.throttle = 1
    throttled = sample_request(EmailType.GOVERNANCE, "bo@example.com")
    with pytest.raises(TransientDeliveryError) as caught:
        send_one(mail, throttled)
    assert caught.value.retry_after == 3
    assert send_one(mail, throttled).status == "sent"  # the retry goes through

    sendgrid.invalid.add("bad@example.com")
    bounced = send_one(mail, sample_request(EmailType.GOVERNANCE, "bad@example.com"))
    assert bounced.status == "bounced"
    assert mail.suppressions.get("bad@example.com")["hard_bounce"]

    gmail.throttle = 1
    reset = sample_request(EmailType.PASSWORD_RESET, "cy@example.com")
    with pytest.raises(TransientDeliveryError, match="429"):
        send_one(mail, reset)
    assert send_one(mail, reset).status == "sent"
    assert len(gmail.sent) == 1


def test_a_sender_without_delegation_is_retried_not_lost(
    app_runtime: LocalRuntime, sendgrid: SendGridStandIn, google: tuple[GoogleStandIn, str]
) -> None:
    gmail, account = google
    gmail.delegated.discard("security@013a.tech")
    routed(app_runtime, sendgrid, gmail, account)
    mail = feature(app_runtime)
    request = sample_request(EmailType.PASSWORD_RESET, "dee@example.com")
    with pytest.raises(TransientDeliveryError, match="no Gmail token"):
        send_one(mail, request)
    gmail.delegated.add("security@013a.tech")
    assert send_one(mail, request).status == "sent"


def test_the_router_is_built_from_settings(tmp_path: Path) -> None:
    secrets = EnvironmentSecrets({"AIA_SECRET_SENDGRID_API_KEY": "k"})
    default = build_router(Settings(data_dir=tmp_path), secrets)
    assert isinstance(default.default, OutboxMailer) and default.routes == {}
    assert default.default.directory == tmp_path / "outbox"

    mixed = build_router(
        Settings(
            data_dir=tmp_path,
            mail_backend="smtp",
            smtp_port=2525,
            mail_routes={"economics": "sendgrid", "governance": "sendgrid"},
        ),
        secrets,
    )
    assert isinstance(mixed.default, SmtpMailer) and mixed.default.port == 2525
    assert isinstance(mixed.mailer_for("economics"), SendGridMailer)
    assert mixed.mailer_for("economics") is mixed.mailer_for("governance")
    assert isinstance(mixed.mailer_for("security"), SmtpMailer)

    with pytest.raises(ValueError, match="unknown categories"):
        build_router(Settings(data_dir=tmp_path, mail_routes={"spam": "smtp"}), secrets)
    with pytest.raises(RuntimeError, match="credentials"):
        build_router(Settings(data_dir=tmp_path, mail_backend="gmail"), secrets)
    assert GmailMailer.__name__  # imported lazily by the router; the module loads
