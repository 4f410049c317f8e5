"""Every email type is rendered and delivered over SMTP to a real server on loopback,
and what arrives is parsed: role sender, monitored Reply-To, Message-ID, Date,
multipart/alternative, RFC 8058 headers on all but security mail. The send step is
idempotent, retries transient failures and suppresses permanently failing addresses."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path

import pytest

from shared.adapters.local.clock import ManualClock
from shared.adapters.mail.smtp import SmtpMailer
from shared.email.delivery import MailRouter, TransientDeliveryError
from shared.email.message import ONE_CLICK
from shared.email.send_log import LEASE
from shared.email.sending import SendInProgress, send_one
from shared.email.types import SPECS, EmailType
from shared.email.unsubscribe import InvalidToken, UnsubscribeSigner
from shared.runtime.local import LocalRuntime
from tests.email.helpers import call_send_function, feature, metric, parts, sample_request
from tests.email.smtp_server import SmtpServer


@pytest.mark.parametrize("email_type", list(EmailType))
def test_each_type_arrives_over_smtp_well_formed(
    app_runtime: LocalRuntime, smtp_server: SmtpServer, email_type: EmailType
) -> None:
    spec = SPECS[email_type]
    outcome = send_one(feature(app_runtime), sample_request(email_type, "ada@example.com"))
    assert outcome.status == "sent" and outcome.backend == "smtp"

    [received] = smtp_server.received
    assert received.mail_from == spec.sender("013a.tech")
    assert received.rcpt_tos == ["ada@example.com"]
    msg = received.message
    assert parseaddr(msg["From"]) == (spec.display_name, f"{spec.role}@013a.tech")
    assert parseaddr(msg["Reply-To"])[1] == f"{spec.role}@013a.tech"
    assert parseaddr(msg["To"]) == ("Ada Lovelace", "ada@example.com")
    assert "noreply" not in str(msg).lower() and "no-reply" not in str(msg).lower()
    assert msg["Message-ID"] == outcome.message_id
    assert msg["Message-ID"].endswith("@013a.tech>")
    sent_at = parsedate_to_datetime(msg["Date"])
    assert abs(sent_at - app_runtime.platform.clock.now()) < timedelta(seconds=2)
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    bodies = parts(msg)
    assert 'style="' in bodies["text/html"] and "<table" in bodies["text/html"]
    assert "Ada Lovelace" in bodies["text/plain"] or "ada@example.com" in bodies["text/plain"]
    if spec.transactional:
        assert msg["List-Unsubscribe"] is None and msg["List-Unsubscribe-Post"] is None
    else:
        link = msg["List-Unsubscribe"]
        assert link.startswith("<https://api.013a.tech/v1/emails/unsubscribe?token=")
        assert msg["List-Unsubscribe-Post"] == ONE_CLICK
        assert link.strip("<>") in bodies["text/plain"]


def test_a_repeated_step_sends_once(app_runtime: LocalRuntime, smtp_server: SmtpServer) -> None:
    mail = feature(app_runtime)
    request = sample_request(EmailType.WELCOME, "bob@example.com", step="welcome")
    first = send_one(mail, request)
    again = send_one(mail, request)
    other_step = send_one(mail, sample_request(EmailType.WELCOME, "bob@example.com", step="tips"))

    assert (first.status, first.duplicate) == ("sent", False)
    assert (again.status, again.duplicate, again.message_id) == ("sent", True, first.message_id)
    assert other_step.status == "sent" and other_step.key != first.key
    assert len(smtp_server.to("bob@example.com")) == 2


def test_concurrent_runs_of_one_step_send_once(
    app_runtime: LocalRuntime, smtp_server: SmtpServer
) -> None:
    mail = feature(app_runtime)
    request = sample_request(EmailType.GOVERNANCE, "carol@example.com")
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def run() -> None:
        barrier.wait()
        try:
            outcomes.append(send_one(mail, request).status)
        except RuntimeError as exc:  # SendInProgress: the caller retries later
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=run) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(smtp_server.to("carol@example.com")) == 1
    assert outcomes.count("sent") >= 1
    assert set(outcomes) <= {"sent", "SendInProgress"}


def test_a_transient_failure_is_retried_and_then_sends_once(
    app_runtime: LocalRuntime, smtp_server: SmtpServer
) -> None:
    mail = feature(app_runtime)
    smtp_server.handler.reject["dave@example.com"] = "451 4.7.1 greylisted, try later"
    request = sample_request(EmailType.SYSTEM_NOTIFICATION, "dave@example.com")
    before = metric(
        app_runtime, "aia_emails_failed_total", type="system_notification", reason="transient"
    )
    with pytest.raises(TransientDeliveryError, match="451"):
        send_one(mail, request)
    assert mail.ledger.get(request.key())["status"] == "retry"
    assert (
        metric(
            app_runtime, "aia_emails_failed_total", type="system_notification", reason="transient"
        )
        == before + 1
    )

    del smtp_server.handler.reject["dave@example.com"]
    assert send_one(mail, request).status == "sent"
    assert send_one(mail, request).duplicate
    assert len(smtp_server.to("dave@example.com")) == 1
    assert mail.ledger.get(request.key())["attempts"] == 2


def test_a_permanent_failure_suppresses_the_address(
    app_runtime: LocalRuntime, smtp_server: SmtpServer
) -> None:
    mail = feature(app_runtime)
    smtp_server.handler.reject["gone@example.com"] = "550 5.1.1 no such mailbox"
    before = metric(app_runtime, "aia_emails_failed_total", type="report", reason="permanent")

    outcome = send_one(mail, sample_request(EmailType.REPORT, "gone@example.com"))
    assert outcome.status == "bounced" and "550" in (outcome.reason or "")
    assert (
        metric(app_runtime, "aia_emails_failed_total", type="report", reason="permanent")
        == before + 1
    )
    # later mail of any kind, security included, is not attempted: the address is dead
    del smtp_server.handler.reject["gone@example.com"]
    for email_type in (EmailType.ECONOMIC_UPDATE, EmailType.PASSWORD_RESET):
        later = send_one(mail, sample_request(email_type, "gone@example.com", step="later"))
        assert (later.status, later.reason) == ("suppressed", "hard_bounce")
    assert smtp_server.to("gone@example.com") == []


def test_the_send_function_answers_over_http(
    app_runtime: LocalRuntime, smtp_server: SmtpServer
) -> None:
    body = sample_request(EmailType.WELCOME, "erin@example.com").model_dump(mode="json")
    status, outcome, _ = call_send_function(app_runtime, "/send", body)
    assert (status, outcome["status"], outcome["duplicate"]) == (200, "sent", False)
    status, outcome, _ = call_send_function(app_runtime, "/send", body)
    assert (status, outcome["duplicate"]) == (200, True)

    bad = {**body, "type": "password_reset", "context": {"reset_url": "ftp://x"}}
    status, problem, headers = call_send_function(app_runtime, "/send", bad)
    assert status == 400
    fields = {e["field"] for e in problem["errors"]}
    assert fields == {"context.reset_url", "context.expires_at"}

    smtp_server.handler.reject["frank@example.com"] = "421 4.3.2 service not available"
    retry = sample_request(EmailType.WELCOME, "frank@example.com").model_dump(mode="json")
    status, problem, headers = call_send_function(app_runtime, "/send", retry)
    assert status == 503 and int(headers["Retry-After"]) >= 1
    assert len(smtp_server.to("erin@example.com")) == 1


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def test_starttls_delivery_verifies_the_server(app_runtime: LocalRuntime, tmp_path: Path) -> None:
    cert, key = _self_signed(tmp_path)
    mail = feature(app_runtime)
    with SmtpServer(tls_cert=(cert, key)) as server:
        secure = SmtpMailer("127.0.0.1", server.port, starttls=True, ca_file=cert)
        mail.use_router(MailRouter(secure))
        outcome = send_one(mail, sample_request(EmailType.SECURITY_ALERT, "tls@example.com"))
        assert outcome.status == "sent"
        assert len(server.to("tls@example.com")) == 1
        secure.close()

        plain = SmtpMailer("127.0.0.1", server.port, starttls=False)
        mail.use_router(MailRouter(plain))
        with pytest.raises(TransientDeliveryError):  # the server requires STARTTLS
            send_one(mail, sample_request(EmailType.SECURITY_ALERT, "tls2@example.com"))
        unverified = SmtpMailer("127.0.0.1", server.port, starttls=True)  # no CA: untrusted
        mail.use_router(MailRouter(unverified))
        with pytest.raises(TransientDeliveryError):
            send_one(mail, sample_request(EmailType.SECURITY_ALERT, "tls3@example.com"))
        assert server.to("tls2@example.com") == [] and server.to("tls3@example.com") == []


def test_a_claim_left_by_a_dead_run_is_taken_over_after_its_lease(
    app_runtime: LocalRuntime, smtp_server: SmtpServer, clock: ManualClock
) -> None:
    mail = feature(app_runtime)
    request = sample_request(EmailType.SYSTEM_NOTIFICATION, "gil@example.com")
    mail.ledger.claim(request.key(), "system_notification", clock.now())  # then it "died"
    with pytest.raises(SendInProgress):
        send_one(mail, request)
    status, _, headers = call_send_function(app_runtime, "/send", request.model_dump(mode="json"))
    assert status == 503 and headers["Retry-After"] == "30"
    clock.advance(LEASE.total_seconds() + 1)
    assert send_one(mail, request).status == "sent"
    assert len(smtp_server.to("gil@example.com")) == 1


def test_unsubscribe_keys_rotate() -> None:
    old = UnsubscribeSigner.from_secret("old-key-0123456789abcdef")
    token = old.token("ada@example.com", "economics", "u1")
    rotated = UnsubscribeSigner.from_secret("new-key-0123456789abcdef, old-key-0123456789abcdef")
    assert rotated.verify(token).category == "economics"
    assert rotated.token("ada@example.com", "economics", "u1") != token  # signs with the new
    with pytest.raises(InvalidToken):
        UnsubscribeSigner.from_secret("new-key-0123456789abcdef").verify(token)
