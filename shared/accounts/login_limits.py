"""How often someone may try a password. Two budgets of failed logins, checked before the
password is and spent only when it is wrong: one per account and client address (a
guesser at one account from one place), one per account from anywhere (a guesser who
rotates addresses). A correct password spends neither, so an honest script that logs in
now and then is never slowed by them; every attempt also counts against the client's
`login` limit of the HTTP guard, which bounds the hashing work one address can cause.
Scripts should not log in repeatedly at all: an API key needs no login."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from shared.errors import TooMany
from shared.ports.limits import RateLimiter

PER_ACCOUNT = "login-account"  # failures per account, from any address
PER_ACCOUNT_AND_CLIENT = "login-account-client"  # failures per account and address
DEFAULTS = {PER_ACCOUNT: "20/900", PER_ACCOUNT_AND_CLIENT: "5/300"}


class LoginThrottle:
    def __init__(self, limiter: RateLimiter, limits: Mapping[str, str]) -> None:
        self._limiter = limiter
        self._limits = {name: limits.get(name, spec) for name, spec in DEFAULTS.items()}

    def _budgets(self, email: str, client: str) -> list[tuple[str, int, int]]:
        # keys hold a digest, never the address
        account = hashlib.sha256(email.encode()).hexdigest()[:32]
        keys = {
            PER_ACCOUNT: f"{PER_ACCOUNT}:{account}",
            PER_ACCOUNT_AND_CLIENT: f"{PER_ACCOUNT_AND_CLIENT}:{account}:{client}",
        }
        budgets = []
        for name, key in keys.items():
            count, _, window = self._limits[name].partition("/")
            budgets.append((key, int(count), int(window)))
        return budgets

    def check(self, email: str, client: str) -> None:
        """Refuse (429 with Retry-After) while a budget of failures is spent."""
        decisions = [self._limiter.peek(*budget) for budget in self._budgets(email, client)]
        waits = [d.retry_after for d in decisions if not d.allowed]
        if waits:
            wait = max(waits)
            raise TooMany(
                f"too many wrong passwords for this account; retry in {wait} s (API keys "
                "keep working meanwhile)",
                problem="too-many-failed-logins",
                retry_after=wait,
            )

    def failed(self, email: str, client: str) -> None:
        for key, count, window in self._budgets(email, client):
            self._limiter.hit(key, count, window)
