"""Signed one-click unsubscribe tokens (RFC 8058 links): who (address, user if known)
and which category, MACed with HMAC-SHA256 under a key from the secrets port. No expiry:
a link in an old email must keep working. The secret may hold several keys separated by
commas; the first signs, any verifies (rotation)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass

_PREFIX = b"aia-unsubscribe-v1."


class InvalidToken(ValueError):
    pass


@dataclass(frozen=True)
class UnsubscribeClaim:
    address: str
    category: str
    user_id: str | None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class UnsubscribeSigner:
    def __init__(self, keys: list[bytes]) -> None:
        if not keys or any(len(k) < 16 for k in keys):
            raise ValueError("unsubscribe keys must be at least 16 bytes")
        self._keys = keys

    @classmethod
    def from_secret(cls, value: str) -> UnsubscribeSigner:
        return cls([part.strip().encode() for part in value.split(",") if part.strip()])

    def _mac(self, key: bytes, payload: str) -> bytes:
        return hmac.new(key, _PREFIX + payload.encode(), hashlib.sha256).digest()

    def token(self, address: str, category: str, user_id: str | None) -> str:
        claim = {"a": address.lower(), "c": category, "u": user_id}
        payload = _b64(json.dumps(claim, separators=(",", ":"), sort_keys=True).encode())
        return f"{payload}.{_b64(self._mac(self._keys[0], payload))}"

    def verify(self, token: str) -> UnsubscribeClaim:
        payload, _, mac = token.partition(".")
        try:
            given = _unb64(mac)
        except (binascii.Error, ValueError):
            raise InvalidToken("malformed unsubscribe token") from None
        # the signature first: only our own claims are ever parsed (deep JSON recursed)
        if not any(hmac.compare_digest(given, self._mac(k, payload)) for k in self._keys):
            raise InvalidToken("unsubscribe token signature does not match")
        try:
            claim = json.loads(_unb64(payload))
        except (binascii.Error, ValueError):
            raise InvalidToken("malformed unsubscribe token") from None
        if not isinstance(claim, dict) or not isinstance(claim.get("a"), str):
            raise InvalidToken("malformed unsubscribe token")
        user = claim.get("u")
        return UnsubscribeClaim(str(claim["a"]), str(claim.get("c")), str(user) if user else None)
