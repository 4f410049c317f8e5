"""The ledger's rules, on the embedded SQLite database and on real PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from shared.adapters.local.clock import ManualClock
from shared.ledger.postings import (
    ISSUANCE,
    TREASURY,
    IdempotencyConflict,
    LedgerRejected,
    user_owner,
)
from shared.ledger.service import Ledger
from shared.money import CAPS, UNIT, Token, to_minor
from shared.runtime.local import LocalRuntime


@pytest.fixture
def book(accounts_runtime: LocalRuntime) -> Ledger:
    # the ledger's own rules, between made-up owners: the accounts' rule that only
    # verified addresses transfer is tested in tests/security/test_welcome_grant.py
    composed = accounts_runtime.features.ledger
    return Ledger(composed.store, composed.clock, composed.policy)


def uid(name: str) -> str:
    import uuid

    return f"{name}-{uuid.uuid4().hex[:8]}"


def books_balance(book: Ledger) -> None:
    for token in Token:
        supply, minted, burned = book.store.supply(token)
        assert supply == minted - burned
        assert book.store.total_balance(token) == supply
        assert -book.store.balance(ISSUANCE, token) == supply


def test_genesis_supply_is_in_the_treasury(book: Ledger) -> None:
    # (other tests spend from the treasury on the shared PostgreSQL database)
    assert book.store.supply(Token.AIA)[1] >= 100_000_000 * UNIT
    assert book.store.supply(Token.AIA_GOV)[1] >= 10_000_000 * UNIT
    assert book.store.balance(TREASURY, Token.AIA) > 0
    books_balance(book)


def test_transfer_moves_and_burns(book: Ledger) -> None:
    a, b = uid("a"), uid("b")
    book.mint(Token.AIA, to_minor("1000"), uid("k"), "test", to_user=a)
    supply_before = book.store.supply(Token.AIA)[0]
    receipt, burned = book.transfer(a, b, Token.AIA, to_minor("100"), "t1")
    assert burned == to_minor("0.1")
    assert book.store.balance(user_owner(a), Token.AIA) == to_minor("899.9")
    assert book.store.balance(user_owner(b), Token.AIA) == to_minor("100")
    assert book.store.supply(Token.AIA)[0] == supply_before - burned
    assert receipt.balances[f"{user_owner(a)}:AIA"] == to_minor("899.9")
    # AIA_GOV transfers burn nothing
    book.mint(Token.AIA_GOV, to_minor("10"), uid("k"), "test", to_user=a)
    _, gov_burn = book.transfer(a, b, Token.AIA_GOV, to_minor("10"), "t2")
    assert gov_burn == 0
    books_balance(book)


def test_overdraft_is_rejected_and_nothing_is_written(book: Ledger) -> None:
    a, b = uid("a"), uid("b")
    book.mint(Token.AIA, to_minor("5"), uid("k"), "test", to_user=a)
    with pytest.raises(LedgerRejected) as rejected:
        book.transfer(a, b, Token.AIA, to_minor("5"), "too-much")  # 5 + 0.005 burn > 5
    assert rejected.value.reason == "insufficient_funds"
    assert book.store.balance(user_owner(a), Token.AIA) == to_minor("5")
    assert book.store.history(user_owner(b), 10, None) == []
    # the key was not consumed: the same request succeeds once funded
    book.mint(Token.AIA, to_minor("1"), uid("k"), "test", to_user=a)
    book.transfer(a, b, Token.AIA, to_minor("5"), "too-much")
    books_balance(book)


def test_replay_returns_the_first_result_and_reuse_conflicts(book: Ledger) -> None:
    a, b = uid("a"), uid("b")
    book.mint(Token.AIA, to_minor("100"), uid("k"), "test", to_user=a)
    first, _ = book.transfer(a, b, Token.AIA, to_minor("10"), "same-key")
    again, _ = book.transfer(a, b, Token.AIA, to_minor("10"), "same-key")
    assert again.replayed and again.entry_id == first.entry_id
    assert book.store.balance(user_owner(b), Token.AIA) == to_minor("10")
    with pytest.raises(IdempotencyConflict):
        book.transfer(a, b, Token.AIA, to_minor("11"), "same-key")


def test_frozen_accounts_cannot_move_funds(book: Ledger, clock: ManualClock) -> None:
    a, b = uid("a"), uid("b")
    book.mint(Token.AIA, to_minor("100"), uid("k"), "test", to_user=a)
    book.store.set_frozen(user_owner(a), True, clock.now())
    with pytest.raises(LedgerRejected) as rejected:
        book.transfer(a, b, Token.AIA, to_minor("1"), "f1")
    assert rejected.value.reason == "frozen"
    book.store.set_frozen(user_owner(a), False, clock.now())
    book.transfer(a, b, Token.AIA, to_minor("1"), "f1")


def test_supply_caps_hold(book: Ledger) -> None:
    supply = book.store.supply(Token.AIA_GOV)[0]
    headroom = CAPS[Token.AIA_GOV] - supply
    with pytest.raises(LedgerRejected) as rejected:
        book.mint(Token.AIA_GOV, headroom + 1, uid("cap"), "test")
    assert rejected.value.reason == "supply_cap"
    book.mint(Token.AIA_GOV, headroom, uid("cap"), "test")
    assert book.store.supply(Token.AIA_GOV)[0] == CAPS[Token.AIA_GOV]
    books_balance(book)
    book.burn(Token.AIA_GOV, headroom, uid("uncap"), "test")  # leave room for other tests
    assert book.store.supply(Token.AIA_GOV)[0] == supply


def test_balance_at_reads_the_past(book: Ledger, clock: ManualClock) -> None:
    a = uid("a")
    book.mint(Token.AIA_GOV, to_minor("10"), uid("k"), "test", to_user=a)
    snapshot = clock.now()
    clock.advance(60)
    book.mint(Token.AIA_GOV, to_minor("5"), uid("k"), "test", to_user=a)
    assert book.store.balance_at(user_owner(a), Token.AIA_GOV, snapshot) == to_minor("10")
    assert book.store.balance_at(user_owner(a), Token.AIA_GOV, snapshot - timedelta(seconds=1)) == 0
    assert book.store.balance(user_owner(a), Token.AIA_GOV) == to_minor("15")


def test_the_journal_is_append_only(book: Ledger) -> None:
    engine = book.store.engine  # type: ignore[attr-defined]
    for statement in ("UPDATE ledger_lines SET amount = 0", "DELETE FROM ledger_entries"):
        with pytest.raises(DatabaseError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))


def test_staking_and_daily_issuance_are_once_per_day(book: Ledger, clock: ManualClock) -> None:
    a = uid("a")
    book.mint(Token.AIA, to_minor("3650"), uid("k"), "test", to_user=a)
    book.stake(a, to_minor("3650"), "s1")
    clock.advance(86_400)  # rewards accrue on what was staked when the day began
    today = clock.now().date()
    reward = book.staking_reward(a, today)
    assert reward is not None
    assert book.store.balance(user_owner(a), Token.AIA) == to_minor("0.8")  # 8 %/365 of 3650
    assert book.staking_reward(a, today).replayed  # type: ignore[union-attr]
    supply = book.store.supply(Token.AIA)[0]
    minted = book.daily_issuance(today)
    assert minted is not None
    again = book.daily_issuance(today)
    assert again is not None and again.replayed
    day_start_supply = supply  # nothing else was minted today
    assert book.store.supply(Token.AIA)[0] - supply == day_start_supply * 200 // 10_000 // 365
    books_balance(book)


def test_daily_settlement_job_runs_once_per_day(
    accounts_runtime: LocalRuntime, book: Ledger, clock: ManualClock
) -> None:
    import random
    from datetime import UTC, datetime

    from shared.events.envelope import new_event
    from shared.ledger.events import LedgerDayClosed

    # a day no other test uses: the PostgreSQL database is shared by the session
    clock.set(datetime(2030, 1, 1, tzinfo=UTC) + timedelta(days=random.randrange(3000)))
    a = uid("a")
    book.mint(Token.AIA, to_minor("365"), uid("k"), "test", to_user=a)
    book.stake(a, to_minor("365"), "s")
    clock.advance(86_400)
    for _ in range(2):  # the scheduler fired twice for the same day
        accounts_runtime.bus.publish(new_event(LedgerDayClosed(), time=clock.now()))
    accounts_runtime.dispatcher.drain()
    assert book.store.balance(user_owner(a), Token.AIA) == to_minor("0.08")  # 8 %/365 of 365
