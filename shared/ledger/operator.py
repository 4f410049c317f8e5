"""What an operator does to the books, for the admin API and the console alike: mint to or
burn from a user's wallet with a reason kept in the audit trail, freeze or unfreeze a
wallet (the ledger's own freeze, apart from disabling the account), and the supply per token."""

from __future__ import annotations

from dataclasses import dataclass

from shared.ledger.postings import LedgerStore, Receipt, user_owner
from shared.ledger.service import Ledger
from shared.money import CAPS, Token, to_decimal


def operator_move(
    book: Ledger,
    admin_id: str,
    user_id: str,
    token: Token,
    amount: int,
    key: str,
    reason: str,
    *,
    burn: bool,
) -> Receipt:
    """Mint `amount` (minor units) to `user_id`'s wallet, or burn it from there, as
    `admin:<admin_id>`, and audit it with `reason` (once: a replayed key audits nothing).
    The ledger's refusals (`LedgerRejected`, `IdempotencyConflict`) propagate; the caller
    has checked that the user exists."""
    actor = f"admin:{admin_id}"
    if burn:
        receipt = book.burn(token, amount, key, actor, from_user=user_id)
    else:
        receipt = book.mint(token, amount, key, actor, to_user=user_id)
    if not receipt.replayed:
        book.store.audit(
            book.clock.now(),
            actor,
            "burn" if burn else "mint",
            user_owner(user_id),
            {
                "token": token.value,
                "amount": to_decimal(amount),
                "reason": reason,
                "entry_id": receipt.entry_id,
            },
        )
    return receipt


def freeze_wallet(book: Ledger, admin_id: str, user_id: str, frozen: bool, reason: str) -> None:
    """Freeze (no posting moves tokens out of or into it) or unfreeze `user_id`'s wallet
    as `admin:<admin_id>`, and audit it with `reason`. The caller has checked that the
    user exists and that `reason` is 1 to 300 characters."""
    now = book.clock.now()
    book.store.set_frozen(user_owner(user_id), frozen, now)
    book.store.audit(
        now,
        f"admin:{admin_id}",
        "freeze" if frozen else "unfreeze",
        user_owner(user_id),
        {"reason": reason},
    )


@dataclass(frozen=True)
class SupplyFigures:
    """Minor units of one token."""

    token: Token
    supply: int
    minted: int
    burned: int
    held: int
    cap: int


def supply_figures(store: LedgerStore) -> list[SupplyFigures]:
    figures = []
    for token in Token:
        supply, minted, burned = store.supply(token)
        figures.append(
            SupplyFigures(token, supply, minted, burned, store.total_balance(token), CAPS[token])
        )
    return figures
