"""SendGrid's Event Webhook: each POST is signed with ECDSA (P-256, SHA-256) over the
timestamp header followed by the raw body; the verification key is the public key
SendGrid shows for the webhook (base64 DER, or PEM), kept in the secrets port.
Verified events feed the suppression list: a hard bounce or spam report suppresses the
address, repeated soft bounces (`blocked`) too, an unsubscribe turns the category off."""

from __future__ import annotations

import base64
import binascii
import logging
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_der_public_key, load_pem_public_key

from shared.email import counters
from shared.email.audience import SOFT_BOUNCE_LIMIT, SuppressionList

log = logging.getLogger("aia.email")
SIGNATURE_HEADER = "x-twilio-email-event-webhook-signature"
TIMESTAMP_HEADER = "x-twilio-email-event-webhook-timestamp"
PUBLIC_KEY_SECRET = "sendgrid-webhook-public-key"  # noqa: S105 - a secret's name


class BadSignature(ValueError):
    pass


def load_public_key(text: str) -> ec.EllipticCurvePublicKey:
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = load_pem_public_key(text.encode())
        else:
            key = load_der_public_key(base64.b64decode(text))
    except (ValueError, binascii.Error) as exc:
        raise ValueError(f"not an EC public key: {exc}") from None
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise ValueError("the SendGrid webhook key must be an EC public key")
    return key


def verify(
    key: ec.EllipticCurvePublicKey,
    signature: str,
    timestamp: str,
    body: bytes,
    *,
    now: datetime,
    max_age_seconds: int,
) -> None:
    if not signature or not timestamp:
        raise BadSignature("missing signature or timestamp header")
    try:
        sent_at = int(timestamp)
        raw = base64.b64decode(signature, validate=True)
    except (ValueError, binascii.Error):
        raise BadSignature("malformed signature or timestamp") from None
    if abs(now.timestamp() - sent_at) > max_age_seconds:
        raise BadSignature("timestamp outside the accepted window")
    try:
        key.verify(raw, timestamp.encode() + body, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise BadSignature("signature does not match") from None


def apply_events(
    suppressions: SuppressionList, events: list[dict[str, Any]], now: datetime
) -> dict[str, int]:
    """Feed each event into suppression; counts by what was done. Repeats of an event
    change nothing (suppression is a set, soft bounces past the limit stay suppressed)."""
    done = {"hard_bounce": 0, "complaint": 0, "soft_bounce": 0, "unsubscribed": 0, "ignored": 0}
    for event in events:
        address = str(event.get("email") or "").strip()
        kind = str(event.get("event") or "")
        reason = str(event.get("reason") or event.get("response") or "")[:300]
        email_type = str(event.get("aia_type") or "unknown")
        if not address:
            done["ignored"] += 1
            continue
        if kind == "bounce" and event.get("type") == "blocked":
            event_id = str(event.get("sg_event_id") or "")
            if suppressions.soft_bounce(address, now, event_id) >= SOFT_BOUNCE_LIMIT:
                counters.emails_suppressed.labels(email_type, "soft_bounce").inc()
            done["soft_bounce"] += 1
        elif kind == "bounce" or (kind == "dropped" and "bounced" in reason.lower()):
            suppressions.suppress(address, "hard_bounce", now, reason)
            counters.emails_failed.labels(email_type, "bounce").inc()
            done["hard_bounce"] += 1
        elif kind == "spamreport" or (kind == "dropped" and "spam" in reason.lower()):
            suppressions.suppress(address, "complaint", now, reason or "spam report")
            done["complaint"] += 1
        elif kind in ("unsubscribe", "group_unsubscribe"):
            category = str(event.get("aia_category") or "")
            if category:
                suppressions.unsubscribe(address, category, now)
                done["unsubscribed"] += 1
            else:
                suppressions.suppress(address, "complaint", now, "unsubscribed at SendGrid")
                done["complaint"] += 1
        else:
            done["ignored"] += 1
    log.info("sendgrid events applied", extra=done)
    return done
