"""Paid work: a feature charges the caller's AIA before it starts a job and refunds the
same amount if the job fails. Both postings are keyed by the job, so retries and
replays charge and refund at most once each."""

from __future__ import annotations

from shared.api.spec import ApiError
from shared.ledger.compose import ledger, price
from shared.ledger.money import Token, to_decimal
from shared.ledger.postings import LedgerRejected, user_owner
from shared.platform import Platform


def charge_for(platform: Platform, user_id: str, item: str, job_id: str) -> int:
    """Charge the price of `item` (settings `prices`) for `job_id`; the amount charged in
    minor units (0 when free). Not enough AIA: 402 with the balance and the price."""
    amount = price(platform, item)
    if amount <= 0:
        return 0
    book = ledger(platform)
    try:
        book.charge(user_id, amount, f"{item}:{job_id}", memo=f"{item} {job_id}")
    except LedgerRejected as exc:
        held = book.store.balance(user_owner(user_id), Token.AIA)
        raise ApiError(
            402,
            f"{item.replace('_', ' ')} costs {to_decimal(amount)} AIA; you hold {to_decimal(held)}"
            if exc.reason == "insufficient_funds"
            else exc.detail,
            title="Payment Required",
            problem="insufficient-funds" if exc.reason == "insufficient_funds" else exc.reason,
        ) from None
    return amount


def refund_for(platform: Platform, user_id: str, item: str, job_id: str, amount: int) -> None:
    """Give back what `charge_for` took for a job that failed (once)."""
    if amount > 0:
        ledger(platform).refund(user_id, amount, f"{item}:{job_id}", memo=f"{item} {job_id} failed")
