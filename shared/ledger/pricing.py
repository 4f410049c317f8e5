"""Paid work: a feature charges the caller's AIA before it starts a job and refunds the
same amount if the job fails. Both postings are keyed by the job, so retries and
replays charge and refund at most once each. A feature that stores the job in SQL posts
`charge_posting_for` / `refund_posting_for` in its own transaction instead."""

from __future__ import annotations

from shared.errors import PaymentRequired
from shared.ledger.compose import ledger, price
from shared.ledger.postings import LedgerRejected, Posting, user_owner
from shared.ledger.service import charge_posting, refund_posting
from shared.money import Token, to_decimal
from shared.platform import Platform


def charge_for(
    platform: Platform, user_id: str, item: str, job_id: str, amount: int | None = None
) -> int:
    """Charge `amount` minor units (default: the flat price of `item`, settings `prices`)
    for `job_id`; the amount charged (0 when free). Not enough AIA: `PaymentRequired`
    with the balance and the price."""
    if amount is None:
        amount = price(platform, item)
    posting = charge_posting_for(user_id, item, job_id, amount)
    if posting is None:
        return 0
    try:
        ledger(platform).store.post(posting, platform.clock.now())
    except LedgerRejected as exc:
        raise payment_required(platform, user_id, item, amount, exc) from None
    return amount


def refund_for(platform: Platform, user_id: str, item: str, job_id: str, amount: int) -> None:
    """Give back what `charge_for` took for a job that failed (once)."""
    posting = refund_posting_for(user_id, item, job_id, amount)
    if posting is not None:
        ledger(platform).store.post(posting, platform.clock.now())


def charge_posting_for(user_id: str, item: str, job_id: str, amount: int) -> Posting | None:
    """The charge of `amount` for `job_id` (None when free)."""
    if amount <= 0:
        return None
    return charge_posting(user_id, amount, f"{item}:{job_id}", memo=f"{item} {job_id}")


def refund_posting_for(user_id: str, item: str, job_id: str, amount: int) -> Posting | None:
    """The refund of what `job_id` was charged (None when it was free)."""
    if amount <= 0:
        return None
    return refund_posting(user_id, amount, f"{item}:{job_id}", memo=f"{item} {job_id} failed")


def payment_required(
    platform: Platform, user_id: str, item: str, amount: int, exc: LedgerRejected
) -> PaymentRequired:
    """The 402 for a charge the ledger refused: not enough AIA says how much it costs
    and how much the user holds."""
    if exc.reason != "insufficient_funds":
        return PaymentRequired(exc.detail, problem=exc.reason)
    held = ledger(platform).store.balance(user_owner(user_id), Token.AIA)
    return PaymentRequired(
        f"{item.replace('_', ' ')} costs {to_decimal(amount)} AIA; you hold {to_decimal(held)}",
        problem="insufficient-funds",
    )
