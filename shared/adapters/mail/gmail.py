"""The Gmail API with per-sender delegation: a service account with domain-wide
delegation impersonates each role mailbox (hello@, security@, ...) in turn. For a sender
it obtains an access token with the OAuth 2.0 JWT bearer grant (RFC 7523: an RS256
assertion with `sub` = the mailbox, scope gmail.send) and posts the raw RFC 5322 message
to `users/me/messages/send`. Tokens are cached per sender until shortly before expiry.

A Workspace mailbox sends at most about 2,000 messages a day: route transactional
categories here (AIA_MAIL_ROUTES), bulk through SendGrid."""

from __future__ import annotations

import base64
import json
import threading
import time
from dataclasses import dataclass
from typing import Any

import jwt
import requests

from shared.adapters.mail.http_errors import failure
from shared.email.delivery import OutgoingMail, TransientDeliveryError

SCOPE = "https://www.googleapis.com/auth/gmail.send"
GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
_THROTTLED = ("rateLimitExceeded", "userRateLimitExceeded", "dailyLimitExceeded", "quotaExceeded")


@dataclass(frozen=True)
class ServiceAccount:
    client_email: str
    private_key: str
    token_uri: str

    @classmethod
    def from_json(cls, text: str) -> ServiceAccount:
        data = json.loads(text)
        return cls(
            data["client_email"],
            data["private_key"],
            data.get("token_uri", "https://oauth2.googleapis.com/token"),
        )


class GmailMailer:
    name = "gmail"

    def __init__(self, account: ServiceAccount, *, api_base: str, timeout: float = 10.0) -> None:
        self.account = account
        self.api_base = api_base.rstrip("/")
        self.timeout = timeout
        self._tokens: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()
        self._http = requests.Session()

    def assertion(self, sender: str, now: float) -> str:
        claims = {
            "iss": self.account.client_email,
            "sub": sender,
            "scope": SCOPE,
            "aud": self.account.token_uri,
            "iat": int(now),
            "exp": int(now) + 3600,
        }
        return jwt.encode(claims, self.account.private_key, algorithm="RS256")

    def _token(self, sender: str) -> str:
        now = time.time()
        with self._lock:
            cached = self._tokens.get(sender)
        if cached and cached[1] - 60 > now:
            return cached[0]
        try:
            response = self._http.post(
                self.account.token_uri,
                data={"grant_type": GRANT, "assertion": self.assertion(sender, now)},
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise TransientDeliveryError(f"Google OAuth unreachable: {exc}") from exc
        if response.status_code != 200:
            # a mailbox not delegated to us is configuration: retried, and alerted on
            raise TransientDeliveryError(
                f"no Gmail token for {sender}: HTTP {response.status_code} {response.text[:200]}"
            )
        body: dict[str, Any] = response.json()
        token = str(body["access_token"])
        with self._lock:
            self._tokens[sender] = (token, now + float(body.get("expires_in", 3600)))
        return token

    def deliver(self, mail: OutgoingMail) -> str:
        raw = base64.urlsafe_b64encode(mail.as_bytes()).decode()
        token = self._token(mail.sender)
        try:
            response = self._http.post(
                f"{self.api_base}/gmail/v1/users/me/messages/send",
                json={"raw": raw},
                headers={"Authorization": f"Bearer {token}"},
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise TransientDeliveryError(f"Gmail API unreachable: {exc}") from exc
        if response.status_code == 200:
            return str(response.json().get("id", ""))
        if response.status_code == 401:
            with self._lock:
                self._tokens.pop(mail.sender, None)
        if response.status_code == 403 and any(r in response.text for r in _THROTTLED):
            raise TransientDeliveryError(f"Gmail quota for {mail.sender}: {response.text[:200]}")
        bad_address = response.status_code == 400 and "invalid to header" in response.text.lower()
        raise failure("Gmail", response, recipient_fault=bad_address)

    def close(self) -> None:
        self._http.close()
