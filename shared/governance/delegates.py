"""Who a delegation goes to. A user names the delegate by user id (any account, as
before), or by email address or public handle (`@grace`), which must name an account
whose address is verified and which is not disabled. An unknown name and a hidden account
get the same answer, and names that match nobody spend a per-user budget checked before
the lookup, so delegation cannot be used to test a list of addresses (as transfers,
docs/decisions/0024-transfers-by-address-and-readable-amounts.md)."""

from __future__ import annotations

from shared.errors import NotFound, TooMany
from shared.ports.directory import AccountDirectory, RecipientLookup
from shared.ports.limits import RateLimiter

MISSES = "delegate-misses"
DEFAULT_MISSES = "10/3600"  # names that match no one, per user and hour
NO_DELEGATE = (
    "no account goes by this name; check the email address, handle or user id (someone "
    "named by address or handle must have verified their address)"
)


def resolve_delegate(
    user_id: str,
    reference: str,
    *,
    directory: AccountDirectory,
    lookup: RecipientLookup,
    limiter: RateLimiter,
    budget: str = DEFAULT_MISSES,
) -> str:
    """The user id `reference` names. Raises NotFound (field `to`), or TooMany once the
    user's misses are spent."""
    reference = reference.strip()
    count_text, _, window_text = budget.partition("/")
    count, window = int(count_text), int(window_text)
    key = f"{MISSES}:{user_id}"
    left = limiter.peek(key, count, window)
    if not left.allowed:
        raise TooMany(
            f"too many delegations to names that match no one; retry in {left.retry_after} s",
            field="to",
            problem="too-many-unknown-delegates",
            retry_after=left.retry_after,
        )
    if "@" in reference:
        account = lookup.recipient(reference)
        found = account if account is not None and account.verified and account.active else None
    else:
        found = directory.account(reference)
    if found is None:
        limiter.hit(key, count, window)
        raise NotFound("user", "", detail=NO_DELEGATE, field="to")
    return found.user_id
