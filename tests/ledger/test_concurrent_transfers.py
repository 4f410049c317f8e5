"""At least 1,000 concurrent transfers among a few accounts on real PostgreSQL: no lost
update, the sum unchanged (but for the burn), every balance explained by the receipts."""

from __future__ import annotations

import random
import threading
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

from shared.adapters.local.clock import SystemClock
from shared.adapters.sql.database import SqlAlchemyDatabase
from shared.adapters.sql.ledger import SqlLedgerStore
from shared.ledger.postings import LedgerRejected, user_owner
from shared.ledger.service import Ledger, TokenPolicy
from shared.money import Token, to_minor

TRANSFERS = 1200
THREADS = 16


def test_concurrent_transfers_lose_nothing(postgres_url: str) -> None:
    database = SqlAlchemyDatabase(postgres_url, pool_size=THREADS)
    book = Ledger(SqlLedgerStore(database.engine), SystemClock(), TokenPolicy())
    users = [f"c{i}-{uuid.uuid4().hex[:6]}" for i in range(5)]
    for user in users:
        book.mint(Token.AIA, to_minor("1000"), f"fund:{user}", "test", to_user=user)
    start_total = sum(book.store.balance(user_owner(u), Token.AIA) for u in users)
    rng = random.Random(7)
    plan = []
    for n in range(TRANSFERS):
        a, b = rng.sample(users, 2)
        plan.append((a, b, to_minor(f"{rng.randint(1, 40000) / 100:.2f}"), f"tx{n}"))
    plan += plan[:100]  # a hundred retries of the same requests: applied once
    accepted: dict[str, tuple[str, str, int, int]] = {}
    rejected = 0
    guard = threading.Lock()

    def run(item: tuple[str, str, int, str]) -> None:
        nonlocal rejected
        a, b, amount, key = item
        try:
            receipt, burn = book.transfer(a, b, Token.AIA, amount, key)
        except LedgerRejected:
            with guard:
                rejected += 1
            return
        with guard:
            accepted[receipt.entry_id] = (a, b, amount, burn)

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(run, plan))

    assert len(accepted) + rejected >= TRANSFERS - 100  # each distinct request ran once
    expected: dict[str, int] = defaultdict(int)
    burned = 0
    for a, b, amount, burn in accepted.values():
        expected[a] -= amount + burn
        expected[b] += amount
        burned += burn
    for user in users:
        balance = book.store.balance(user_owner(user), Token.AIA)
        assert balance == to_minor("1000") + expected[user], user
        assert balance >= 0
    end_total = sum(book.store.balance(user_owner(u), Token.AIA) for u in users)
    assert end_total == start_total - burned
    assert book.store.total_balance(Token.AIA) == book.store.supply(Token.AIA)[0]
    assert len(accepted) > TRANSFERS // 2, "most transfers should succeed"
    database.dispose()
