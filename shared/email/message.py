"""The RFC 5322 message: multipart/alternative (text, then HTML), role sender, a
monitored Reply-To, Date, a Message-ID derived from the idempotency key (a retried step
re-sends the same id, which receivers use to collapse duplicates), and on all but
transactional security mail RFC 2369/8058 List-Unsubscribe with one-click POST."""

from __future__ import annotations

from datetime import datetime
from email.charset import QP, Charset
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, quote

from shared.email.addresses import wire_address
from shared.email.delivery import OutgoingMail
from shared.email.render import Rendered
from shared.email.types import EmailSpec

ONE_CLICK = "List-Unsubscribe=One-Click"
_UTF8_QP = Charset("utf-8")
_UTF8_QP.body_encoding = QP  # readable source, safe line lengths


def message_id(key: str, spec: EmailSpec, domain: str) -> str:
    return f"<{key[:32]}.{spec.type.value}@{domain}>"  # short enough not to fold


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _address(name: str, address: str) -> str:
    wire = wire_address(address)
    if wire.isascii():
        return formataddr((_one_line(name), wire), charset="utf-8")
    # a UTF-8 mailbox name (RFC 6532) goes as is (formataddr insists on ASCII); the
    # display name is encoded as formataddr would
    display = _one_line(name)
    if not display:
        return wire
    shown = _UTF8_QP.header_encode(display) if not display.isascii() else f'"{quote(display)}"'
    return f"{shown} <{wire}>"


def _text(value: str) -> str:
    return value if value.isascii() else Header(value, "utf-8").encode()


def compose(
    spec: EmailSpec,
    rendered: Rendered,
    *,
    key: str,
    recipient: str,
    recipient_name: str,
    sender_name: str,
    domain: str,
    reply_to: str,
    date: datetime,
    unsubscribe_url: str | None,
) -> OutgoingMail:
    sender = spec.sender(domain)
    msg_id = message_id(key, spec, domain)
    headers: dict[str, str] = {
        "Auto-Submitted": "auto-generated",  # RFC 3834: no vacation replies to journeys
        "X-AIA-Email-Type": spec.type.value,
        "X-Entity-Ref-ID": key[:40],  # keeps Gmail from threading unrelated mails
    }
    if not spec.transactional:
        if unsubscribe_url is None:
            raise ValueError(f"{spec.type} mail needs an unsubscribe link")
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = ONE_CLICK
        headers["List-Id"] = f"AIA {spec.category.value} <{spec.category.value}.{domain}>"

    # the compat32 MIME classes: several times faster than EmailMessage's header registry
    msg = MIMEMultipart("alternative")
    msg["From"] = _address(sender_name, sender)
    msg["To"] = _address(recipient_name, recipient)
    msg["Reply-To"] = _address(sender_name, reply_to)
    msg["Subject"] = _text(_one_line(rendered.subject))
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = msg_id
    for name, value in headers.items():
        msg[name] = value
    msg.attach(MIMEText(rendered.text, "plain", _UTF8_QP))  # type: ignore[arg-type]
    msg.attach(MIMEText(rendered.html, "html", _UTF8_QP))  # type: ignore[arg-type]
    return OutgoingMail(
        key=key,
        email_type=spec.type.value,
        category=spec.category.value,
        sender=sender,
        sender_name=sender_name,
        recipient=recipient,
        recipient_name=recipient_name,
        reply_to=reply_to,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        message_id=msg_id,
        headers=headers,
        message=msg,
    )
