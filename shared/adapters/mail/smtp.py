"""SMTP delivery (smtplib): one connection per thread, kept open between messages and
reopened when the server drops it; optional STARTTLS (certificate verified, against a
given CA file if set) and AUTH. Replies map onto the send step's failures: a 5xx to the
recipient is permanent (the address is suppressed), other 4xx/5xx and connection
problems are transient (retried with backoff)."""

from __future__ import annotations

import contextlib
import smtplib
import ssl
import threading
from pathlib import Path

from shared.email.delivery import OutgoingMail, PermanentDeliveryError, TransientDeliveryError


class SmtpMailer:
    name = "smtp"

    def __init__(
        self,
        host: str,
        port: int,
        *,
        starttls: bool = False,
        username: str | None = None,
        password: str | None = None,
        ca_file: Path | None = None,
        timeout: float = 10.0,
        local_hostname: str | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.starttls = starttls
        self.username = username
        self.password = password
        self.ca_file = ca_file
        self.timeout = timeout
        self.local_hostname = local_hostname
        self._local = threading.local()
        self._all: list[smtplib.SMTP] = []
        self._lock = threading.Lock()

    def _connect(self) -> smtplib.SMTP:
        smtp = smtplib.SMTP(
            self.host, self.port, timeout=self.timeout, local_hostname=self.local_hostname
        )
        try:
            smtp.ehlo()
            if self.starttls:
                context = ssl.create_default_context(
                    cafile=str(self.ca_file) if self.ca_file else None
                )
                smtp.starttls(context=context)
                smtp.ehlo()
            if self.username:
                smtp.login(self.username, self.password or "")
        except Exception:
            smtp.close()
            raise
        with self._lock:
            self._all.append(smtp)
        return smtp

    def _connection(self) -> smtplib.SMTP:
        smtp: smtplib.SMTP | None = getattr(self._local, "smtp", None)
        if smtp is None:
            smtp = self._connect()
            self._local.smtp = smtp
        return smtp

    def _drop(self) -> None:
        smtp: smtplib.SMTP | None = getattr(self._local, "smtp", None)
        self._local.smtp = None
        if smtp is not None:
            with contextlib.suppress(OSError):
                smtp.close()

    def deliver(self, mail: OutgoingMail) -> str:
        data = mail.as_bytes()
        for attempt in (1, 2):  # a kept-open connection may have been closed by the server
            try:
                smtp = self._connection()
                options = _options(smtp, mail)
                refused = smtp.sendmail(
                    mail.envelope_sender, [mail.envelope_recipient], data, mail_options=options
                )
            except smtplib.SMTPServerDisconnected as exc:
                self._drop()
                if attempt == 2:
                    raise TransientDeliveryError(f"SMTP server disconnected: {exc}") from exc
                continue
            except smtplib.SMTPRecipientsRefused as exc:
                self._reset()
                code, reply = next(iter(exc.recipients.values()))
                raise _failure(code, reply, recipient=True) from exc
            except (smtplib.SMTPSenderRefused, smtplib.SMTPAuthenticationError) as exc:
                # our configuration, not the message: retry while an operator fixes it
                self._drop()
                raise TransientDeliveryError(f"SMTP refused the sender: {exc}") from exc
            except smtplib.SMTPResponseException as exc:
                self._reset()
                raise _failure(exc.smtp_code, exc.smtp_error, recipient=False) from exc
            except (OSError, smtplib.SMTPException) as exc:
                self._drop()
                raise TransientDeliveryError(f"SMTP delivery failed: {exc}") from exc
            if refused:  # only possible with several recipients; we send one
                code, reply = next(iter(refused.values()))
                raise _failure(code, reply, recipient=True)
            return mail.message_id
        raise TransientDeliveryError("SMTP delivery failed")  # pragma: no cover

    def _reset(self) -> None:
        smtp: smtplib.SMTP | None = getattr(self._local, "smtp", None)
        if smtp is None:
            return
        try:
            smtp.rset()
        except (OSError, smtplib.SMTPException):
            self._drop()

    def close(self) -> None:
        with self._lock:
            connections, self._all = self._all, []
        for smtp in connections:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()
        self._local = threading.local()


def _options(smtp: smtplib.SMTP, mail: OutgoingMail) -> list[str]:
    """MAIL FROM parameters: SMTPUTF8 (and 8BITMIME, as smtplib's send_message adds) for
    a UTF-8 mailbox name; a server without SMTPUTF8 cannot take it, now or on a retry."""
    if not mail.smtputf8:
        return []
    if not smtp.has_extn("smtputf8"):
        raise PermanentDeliveryError(
            f"the SMTP server does not offer SMTPUTF8, which {mail.recipient} needs",
            recipient_fault=False,
        )
    return ["SMTPUTF8", "BODY=8BITMIME"] if smtp.has_extn("8bitmime") else ["SMTPUTF8"]


def _failure(code: int, reply: bytes | str, *, recipient: bool) -> Exception:
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
    reason = f"SMTP {code} {text}"[:300]
    if 500 <= code < 600:
        # a 5xx about the recipient means the address is dead; one about the message
        # (policy, size) gives this message up without blaming the address
        return PermanentDeliveryError(reason, recipient_fault=recipient)
    return TransientDeliveryError(reason)
