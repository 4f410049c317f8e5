"""What the send step hands a delivery adapter, the adapter interface, the two ways a
delivery fails, and the router that picks an adapter per category."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from email.message import Message
from email.policy import SMTPUTF8, compat32
from typing import Protocol

from shared.email.addresses import needs_smtputf8, wire_address

# CRLF, and headers folded only past 998 characters: a folded List-Unsubscribe URL trips
# some receivers, and RFC 5322 allows long header lines
_WIRE = compat32.clone(linesep="\r\n", max_line_length=998)
# the same, with headers as raw UTF-8 (RFC 6532), for a recipient needing SMTPUTF8
_WIRE_UTF8 = SMTPUTF8.clone(linesep="\r\n", max_line_length=998)


@dataclass(frozen=True)
class OutgoingMail:
    """One rendered message for one recipient, in both shapes adapters need: the
    structured fields (HTTP APIs) and the RFC 5322 message (SMTP, Gmail, outbox)."""

    key: str  # the send step's idempotency key
    email_type: str
    category: str
    sender: str
    sender_name: str
    recipient: str
    recipient_name: str
    reply_to: str
    subject: str
    text: str
    html: str
    message_id: str
    headers: Mapping[str, str]  # extra headers: List-Unsubscribe, Auto-Submitted, ...
    message: Message

    @property
    def smtputf8(self) -> bool:
        """The recipient's mailbox name is beyond ASCII: only SMTPUTF8 carries it."""
        return needs_smtputf8(self.recipient)

    @property
    def envelope_sender(self) -> str:
        return wire_address(self.sender)

    @property
    def envelope_recipient(self) -> str:
        """The recipient as sent: its domain in ASCII (IDNA A-labels)."""
        return wire_address(self.recipient)

    def as_bytes(self) -> bytes:
        """The message as sent (CRLF line ends)."""
        return self.message.as_bytes(policy=_WIRE_UTF8 if self.smtputf8 else _WIRE)


class DeliveryError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TransientDeliveryError(DeliveryError):
    """Worth retrying later (4xx SMTP, 429/5xx HTTP, a connection that failed)."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class PermanentDeliveryError(DeliveryError):
    """Retrying cannot help. `recipient_fault`: the address itself is bad (5xx on RCPT,
    invalid address), so it is suppressed as a hard bounce; otherwise only this message
    is given up (e.g. the provider rejected its content)."""

    def __init__(self, reason: str, *, recipient_fault: bool) -> None:
        super().__init__(reason)
        self.recipient_fault = recipient_fault


class Mailer(Protocol):
    name: str

    def deliver(self, mail: OutgoingMail) -> str:
        """Hand the message over; returns the provider's id for it. Raises
        `TransientDeliveryError` or `PermanentDeliveryError`."""
        ...

    def close(self) -> None: ...


class MailRouter:
    """Sends each category through its configured adapter, the rest through the default
    (e.g. security mail over Gmail, bulk over SendGrid)."""

    def __init__(self, default: Mailer, routes: Mapping[str, Mailer] | None = None) -> None:
        self.default = default
        self.routes = dict(routes or {})

    def mailer_for(self, category: str) -> Mailer:
        return self.routes.get(category, self.default)

    def deliver(self, mail: OutgoingMail) -> tuple[str, str]:
        """(adapter name, provider message id)."""
        mailer = self.mailer_for(mail.category)
        return mailer.name, mailer.deliver(mail)

    def close(self) -> None:
        for mailer in {id(m): m for m in [self.default, *self.routes.values()]}.values():
            mailer.close()
