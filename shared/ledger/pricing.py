"""Paid work: a feature charges the caller's AIA before it starts a job and refunds the
same amount if the job fails. Both postings are keyed by the job, so retries and
replays charge and refund at most once each."""

from __future__ import annotations

from shared.errors import PaymentRequired
from shared.ledger.compose import ledger, price
from shared.ledger.postings import LedgerRejected, user_owner
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
    if amount <= 0:
        return 0
    book = ledger(platform)
    try:
        book.charge(user_id, amount, f"{item}:{job_id}", memo=f"{item} {job_id}")
    except LedgerRejected as exc:
        if exc.reason != "insufficient_funds":
            raise PaymentRequired(exc.detail, problem=exc.reason) from None
        held = book.store.balance(user_owner(user_id), Token.AIA)
        raise PaymentRequired(
            f"{item.replace('_', ' ')} costs {to_decimal(amount)} AIA; you hold {to_decimal(held)}",
            problem="insufficient-funds",
        ) from None
    return amount


def refund_for(platform: Platform, user_id: str, item: str, job_id: str, amount: int) -> None:
    """Give back what `charge_for` took for a job that failed (once)."""
    if amount > 0:
        ledger(platform).refund(user_id, amount, f"{item}:{job_id}", memo=f"{item} {job_id} failed")
