"""SendGrid v3 Mail Send (`POST /v3/mail/send`, bearer API key): the bulk path. The
message goes as structured JSON (text part first, then HTML), with our List-Unsubscribe
headers, the idempotency key, type and category as `custom_args` (they come back on
Event Webhook events), and SendGrid's own click and subscription tracking off (it would
rewrite the signed unsubscribe link). 202 is success; `X-Message-Id` is its id."""

from __future__ import annotations

import threading
from typing import Any

import requests

from shared.adapters.mail.http_errors import failure
from shared.email.addresses import wire_address
from shared.email.delivery import OutgoingMail, PermanentDeliveryError, TransientDeliveryError

# headers SendGrid sets itself or refuses in `headers`
_RESERVED = {"message-id", "date", "from", "to", "subject", "reply-to", "content-type"}


class SendGridMailer:
    name = "sendgrid"

    def __init__(self, api_key: str, *, base_url: str, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._api_key = api_key
        self._local = threading.local()

    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers["Authorization"] = f"Bearer {self._api_key}"
            self._local.session = session
        return session

    @staticmethod
    def payload(mail: OutgoingMail) -> dict[str, Any]:
        return {
            "personalizations": [
                {"to": [{"email": mail.envelope_recipient, "name": mail.recipient_name}]}
            ],
            "from": {"email": mail.envelope_sender, "name": mail.sender_name},
            "reply_to": {"email": wire_address(mail.reply_to), "name": mail.sender_name},
            "subject": mail.subject,
            "content": [
                {"type": "text/plain", "value": mail.text},
                {"type": "text/html", "value": mail.html},
            ],
            "headers": {k: v for k, v in mail.headers.items() if k.lower() not in _RESERVED},
            "custom_args": {
                "aia_key": mail.key,
                "aia_type": mail.email_type,
                "aia_category": mail.category,
            },
            "categories": [mail.category],
            "tracking_settings": {
                "click_tracking": {"enable": False, "enable_text": False},
                "subscription_tracking": {"enable": False},
            },
        }

    def deliver(self, mail: OutgoingMail) -> str:
        if mail.smtputf8:  # its Mail Send API takes ASCII mailbox names only
            raise PermanentDeliveryError(
                f"SendGrid cannot deliver to {mail.recipient}: the mailbox name needs SMTPUTF8",
                recipient_fault=False,
            )
        try:
            response = self._session().post(
                f"{self.base_url}/v3/mail/send", json=self.payload(mail), timeout=self.timeout
            )
        except requests.RequestException as exc:
            raise TransientDeliveryError(f"SendGrid unreachable: {exc}") from exc
        if response.status_code in (200, 202):
            return response.headers.get("X-Message-Id", "")
        bad_address = response.status_code == 400 and "personalizations" in response.text
        raise failure("SendGrid", response, recipient_fault=bad_address)

    def close(self) -> None:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is not None:
            session.close()
