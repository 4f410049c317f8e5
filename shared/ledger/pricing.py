"""Paid work (shared/ports/paid_work.py) answered by the ledger: a feature charges the
caller's AIA before it starts a job and refunds the same amount if the job fails. Both
postings are keyed by the job, so retries and replays charge and refund at most once each.
A feature that stores the job in SQL posts `charge_posting_for` / `refund_posting_for` in
its own transaction instead."""

from __future__ import annotations

from collections.abc import Mapping

from shared.errors import PaymentRequired
from shared.ledger.postings import LedgerRejected, Posting, user_owner
from shared.ledger.service import Ledger, charge_posting, refund_posting
from shared.money import Token, in_tokens, to_minor


class LedgerPaidWork:
    """`PaidWork` on a ledger, with flat prices by item (settings `prices`, in AIA)."""

    def __init__(self, ledger: Ledger, prices: Mapping[str, str]) -> None:
        self._ledger = ledger
        self._prices = prices

    def price(self, item: str) -> int:
        """What `item` costs in AIA minor units (0: free)."""
        return to_minor(self._prices.get(item, "0"))

    def charge(self, user_id: str, item: str, job_id: str, amount: int | None = None) -> int:
        """Charge `amount` minor units (default: the flat price of `item`) for `job_id`;
        the amount charged (0 when free). Not enough AIA: `PaymentRequired` with the
        balance and the price."""
        if amount is None:
            amount = self.price(item)
        posting = charge_posting_for(user_id, item, job_id, amount)
        if posting is None:
            return 0
        try:
            self._ledger.store.post(posting, self._ledger.clock.now())
        except LedgerRejected as exc:
            raise self.payment_required(user_id, item, amount, exc) from None
        return amount

    def refund(self, user_id: str, item: str, job_id: str, amount: int) -> None:
        """Give back what `charge` took for a job that failed (once)."""
        posting = refund_posting_for(user_id, item, job_id, amount)
        if posting is not None:
            self._ledger.store.post(posting, self._ledger.clock.now())

    def payment_required(
        self, user_id: str, item: str, amount: int, exc: LedgerRejected
    ) -> PaymentRequired:
        """The 402 for a charge the ledger refused: not enough AIA says how much it
        costs and how much the user holds."""
        held = self._ledger.store.balance(user_owner(user_id), Token.AIA)
        return refused_charge(item, amount, held, exc)


def refused_charge(item: str, amount: int, held: int, exc: LedgerRejected) -> PaymentRequired:
    """The 402 for a charge the ledger refused: not enough AIA says what it costs and
    what the user holds (`held`, minor units)."""
    if exc.reason != "insufficient_funds":
        return PaymentRequired(exc.detail, problem=exc.reason.replace("_", "-"))
    shortfall = LedgerRejected(
        exc.reason, exc.detail, owner=exc.owner, token=Token.AIA, held=held, needed=amount
    ).shortfall()
    return PaymentRequired(
        f"you have {in_tokens(held, Token.AIA)}; "
        f"this {item.replace('_', ' ')} costs {in_tokens(amount, Token.AIA)}",
        problem="insufficient-funds",
        extra=shortfall,
    )


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
