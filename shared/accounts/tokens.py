"""JWT access tokens signed with a rotating key ring, and opaque secrets (refresh
tokens, reset tokens, API keys) that are stored only as hashes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt

ALGORITHM = "HS256"


class InvalidToken(Exception):
    pass


@dataclass(frozen=True)
class KeyRing:
    """Signing keys by key id: new tokens use `active`; every listed key still verifies,
    so a key can be rotated in without logging anybody out, then retired."""

    active: str
    keys: dict[str, bytes]

    @classmethod
    def from_json(cls, text: str) -> KeyRing:
        doc = json.loads(text)
        keys = {kid: base64.b64decode(value) for kid, value in doc["keys"].items()}
        if doc["active"] not in keys:
            raise ValueError("the active key id is not in the key ring")
        if any(len(k) < 32 for k in keys.values()):
            raise ValueError("signing keys must be at least 256 bits")
        return cls(active=doc["active"], keys=keys)

    @staticmethod
    def generate_json(kid: str | None = None) -> str:
        kid = kid or f"k{uuid.uuid4().hex[:8]}"
        key = base64.b64encode(secrets.token_bytes(32)).decode()
        return json.dumps({"active": kid, "keys": {kid: key}})


def issue_access_token(
    ring: KeyRing,
    *,
    subject: str,
    roles: list[str],
    version: int,
    issuer: str,
    audience: str,
    now: datetime,
    ttl: timedelta,
    session: str | None = None,
) -> str:
    claims = {
        "iss": issuer,
        "aud": audience,
        "sub": subject,
        "iat": int(now.timestamp()),
        "nbf": int(now.timestamp()),
        "exp": int((now + ttl).timestamp()),
        "jti": uuid.uuid4().hex,
        "roles": roles,
        # the account's token version: a later logout everywhere, password reset or
        # disabling raises it and ends this token
        "ver": version,
    }
    if session is not None:
        # the sign-in this token belongs to (its refresh family): logging that session out
        # ends this token too, before it expires
        claims["sid"] = session
    return jwt.encode(claims, ring.keys[ring.active], ALGORITHM, headers={"kid": ring.active})


def verify_access_token(
    ring: KeyRing, token: str, *, issuer: str, audience: str, now: datetime
) -> dict[str, Any]:
    try:
        kid = jwt.get_unverified_header(token).get("kid")
        key = ring.keys.get(kid or "")
        if key is None:
            raise InvalidToken("unknown signing key")
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            audience=audience,
            issuer=issuer,
            options={"require": ["exp", "iat", "sub", "iss", "aud"], "verify_exp": False},
        )
    except jwt.PyJWTError as exc:
        raise InvalidToken(str(exc)) from None
    # expiry against the platform clock (not the wall clock) so tests can move time
    if claims["exp"] <= int(now.timestamp()):
        raise InvalidToken("token expired")
    return claims


def new_secret(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def digest(secret: str) -> str:
    """Hash of a high-entropy secret (SHA-256 suffices: it cannot be guessed)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def same_digest(a: str, b: str) -> bool:
    return hmac.compare_digest(a, b)


def issue_link_token(
    ring: KeyRing,
    *,
    purpose: str,
    subject: str,
    claims: dict[str, Any],
    issuer: str,
    audience: str,
    now: datetime,
    ttl: timedelta,
) -> str:
    """A signed, expiring token for a link in an email (e.g. verifying an address). Its
    audience names the purpose, so it can never pass as an access token or vice versa."""
    body = {
        **claims,
        "iss": issuer,
        "aud": f"{audience}#{purpose}",
        "sub": subject,
        "iat": int(now.timestamp()),
        "exp": int((now + ttl).timestamp()),
    }
    return jwt.encode(body, ring.keys[ring.active], ALGORITHM, headers={"kid": ring.active})


def read_link_token(
    ring: KeyRing, token: str, *, purpose: str, issuer: str, audience: str, now: datetime
) -> dict[str, Any]:
    return verify_access_token(
        ring, token, issuer=issuer, audience=f"{audience}#{purpose}", now=now
    )


def keyed_secret(ring: KeyRing, purpose: str, seed: str) -> str:
    """A secret derived from `seed` with the active signing key: the same request
    (e.g. one event id, redelivered) always yields the same secret."""
    mac = hmac.new(ring.keys[ring.active], f"{purpose}\x1f{seed}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).rstrip(b"=").decode()
