"""Local HTTP stand-ins speaking the published shapes of SendGrid's v3 Mail Send API and
of Google's OAuth 2.0 token endpoint (JWT bearer grant) plus the Gmail API's
`users.messages.send`. They check what a real service would reject and record what
they accept."""

from __future__ import annotations

import base64
import json
import threading
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import jwt


class StandIn:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return None

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                status, headers, payload = stand_in.handle(self.path, dict(self.headers), body)
                data = json.dumps(payload).encode() if payload is not None else b""
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> StandIn:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def handle(
        self, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], Any]:
        raise NotImplementedError


def _problem(message: str, field: str | None = None) -> dict[str, Any]:
    return {"errors": [{"message": message, "field": field, "help": None}]}


class SendGridStandIn(StandIn):
    """POST /v3/mail/send: 202 and X-Message-Id, or SendGrid's error shapes."""

    def __init__(self, api_key: str) -> None:
        super().__init__()
        self.api_key = api_key
        self.invalid: set[str] = set()
        self.throttle = 0
        self.accepted: list[dict[str, Any]] = []

    def handle(
        self, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], Any]:
        if path != "/v3/mail/send":
            return 404, {}, _problem("not found")
        if headers.get("Authorization") != f"Bearer {self.api_key}":
            return (
                401,
                {},
                _problem("The provided authorization grant is invalid, expired, or revoked"),
            )
        with self.lock:
            if self.throttle > 0:
                self.throttle -= 1
                return (
                    429,
                    {"X-RateLimit-Reset": "0", "Retry-After": "3"},
                    _problem("too many requests"),
                )
        mail = json.loads(body)
        personalizations = mail.get("personalizations") or []
        if not personalizations or not personalizations[0].get("to"):
            return 400, {}, _problem("The personalizations field is required.", "personalizations")
        for index, recipient in enumerate(personalizations[0]["to"]):
            if recipient["email"] in self.invalid:
                return (
                    400,
                    {},
                    _problem(
                        "Does not contain a valid address.", f"personalizations.0.to.{index}.email"
                    ),
                )
        if not (mail.get("from") or {}).get("email"):
            return 400, {}, _problem("The from object must be provided.", "from")
        if not mail.get("subject"):
            return 400, {}, _problem("The subject is required.", "subject")
        content = mail.get("content") or []
        if not content or content[0].get("type") != "text/plain":
            return 400, {}, _problem("text/plain must come first.", "content")
        for name in ("headers", "custom_args"):
            if not all(isinstance(v, str) for v in (mail.get(name) or {}).values()):
                return 400, {}, _problem(f"{name} values must be strings.", name)
        with self.lock:
            self.accepted.append(mail)
            message_id = f"sg-{len(self.accepted)}"
        return 202, {"X-Message-Id": message_id}, None


class GoogleStandIn(StandIn):
    """POST /token (JWT bearer grant, RS256 assertion verified with the service
    account's public key) and POST /gmail/v1/users/me/messages/send."""

    def __init__(self, public_key_pem: bytes, client_email: str, delegated: set[str]) -> None:
        super().__init__()
        self.public_key = public_key_pem
        self.client_email = client_email
        self.delegated = delegated
        self.tokens: dict[str, str] = {}
        self.token_requests: list[str] = []
        self.sent: list[tuple[str, EmailMessage]] = []
        self.throttle = 0

    @property
    def token_uri(self) -> str:
        return f"{self.url}/token"

    def handle(
        self, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], Any]:
        if path == "/token":
            return self._token(body)
        if path == "/gmail/v1/users/me/messages/send":
            return self._send(headers, body)
        return 404, {}, {"error": {"code": 404, "message": "not found"}}

    def _token(self, body: bytes) -> tuple[int, dict[str, str], Any]:
        form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        if form.get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer":
            return 400, {}, {"error": "unsupported_grant_type"}
        try:
            claims = jwt.decode(
                form.get("assertion", ""),
                self.public_key,
                algorithms=["RS256"],
                audience=self.token_uri,
                issuer=self.client_email,
            )
        except jwt.PyJWTError as exc:
            return 400, {}, {"error": "invalid_grant", "error_description": str(exc)}
        if claims.get("scope") != "https://www.googleapis.com/auth/gmail.send":
            return 400, {}, {"error": "invalid_scope"}
        if claims.get("sub") not in self.delegated:
            return (
                401,
                {},
                {
                    "error": "unauthorized_client",
                    "error_description": "Client is unauthorized to retrieve access tokens",
                },
            )
        with self.lock:
            self.token_requests.append(claims["sub"])
            token = f"ya29.token-{len(self.token_requests)}"
            self.tokens[token] = claims["sub"]
        return 200, {}, {"access_token": token, "expires_in": 3599, "token_type": "Bearer"}

    def _send(self, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], Any]:
        token = headers.get("Authorization", "").removeprefix("Bearer ")
        user = self.tokens.get(token)
        if user is None:
            return 401, {}, {"error": {"code": 401, "message": "Invalid Credentials"}}
        with self.lock:
            if self.throttle > 0:
                self.throttle -= 1
                return (
                    429,
                    {},
                    {
                        "error": {
                            "code": 429,
                            "message": "User-rate limit exceeded",
                            "errors": [{"reason": "rateLimitExceeded"}],
                        }
                    },
                )
        raw = base64.urlsafe_b64decode(json.loads(body)["raw"])
        message = BytesParser(policy=policy.default).parsebytes(raw)
        assert isinstance(message, EmailMessage)
        if "@" not in str(message["To"] or ""):
            return 400, {}, {"error": {"code": 400, "message": "Invalid To header"}}
        sender = message["From"].addresses[0].addr_spec
        if sender != user:  # sending as another mailbox needs its own delegation
            return 403, {}, {"error": {"code": 403, "message": "Delegation denied"}}
        with self.lock:
            self.sent.append((user, message))
            count = len(self.sent)
        return 200, {}, {"id": f"gm-{count}", "threadId": f"t-{count}", "labelIds": ["SENT"]}
