"""Who a transfer goes to. A sender names the recipient by email address, public handle
or user id; an unknown name and an account that may not receive (unverified, disabled)
get the same answer the same way, so the answer says nothing about who has an account.
Names that match nobody spend a per-sender budget, checked before the lookup, so a sender
cannot test a list of addresses: a probe that matches is a real transfer (it pays), and
the misses run out (docs/decisions/0024-transfers-by-address-and-readable-amounts.md)."""

from __future__ import annotations

from shared.errors import NotFound, TooMany
from shared.ports.directory import Account, RecipientLookup
from shared.ports.limits import RateLimiter

MISSES = "transfer-recipient-misses"
DEFAULT_MISSES = "10/3600"  # names that match no one, per sender and hour
NO_RECIPIENT = (
    "no account that can receive transfers goes by this name; check the email address, "
    "handle or user id (the recipient must have verified their address)"
)


class Recipients:
    def __init__(self, lookup: RecipientLookup, limiter: RateLimiter, budget: str) -> None:
        self._lookup = lookup
        self._limiter = limiter
        count, _, window = budget.partition("/")
        self._count, self._window = int(count), int(window)

    def resolve(self, sender: str, reference: str) -> Account:
        """The account `reference` names, if it may receive transfers. Raises NotFound
        (the same for unknown and hidden accounts) or TooMany once the sender's misses
        are spent."""
        key = f"{MISSES}:{sender}"
        budget = self._limiter.peek(key, self._count, self._window)
        if not budget.allowed:
            raise TooMany(
                f"too many transfers to names that match no one; retry in {budget.retry_after} s",
                field="to",
                problem="too-many-unknown-recipients",
                retry_after=budget.retry_after,
            )
        account = self._lookup.recipient(reference)
        if account is None or not account.verified or account.disabled:
            self._limiter.hit(key, self._count, self._window)
            raise NotFound("recipient", "", detail=NO_RECIPIENT, field="to")
        return account
