"""The ledger's reconciliation status for operators: balanced books pass every check; a
hand edit of the tables is caught and named (on SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, update

from shared.adapters.sql.schema import ledger_accounts, ledger_supply
from shared.ledger.postings import ISSUANCE, BookFigures
from shared.ledger.reconciliation import check_books
from shared.money import Token
from tests.ledger.test_wallet_api import fund
from tests.support.api import ApiClient

INVARIANTS = {
    "accounts_sum_to_zero",
    "supply_matches_issuance",
    "supply_within_cap",
    "no_negative_balance",
    "balances_match_lines",
}


@contextmanager
def _tampered(engine: Engine, statement, undo) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """A hand edit, undone after (the PostgreSQL database is shared by the session)."""
    with engine.begin() as conn:
        conn.execute(statement)
    try:
        yield
    finally:
        with engine.begin() as conn:
            conn.execute(undo)


def test_balanced_books_pass_and_a_hand_edit_is_named(accounts_api: ApiClient) -> None:
    admin, alice, bob = (
        accounts_api.user("root", admin=True),
        accounts_api.user("alice"),
        accounts_api.user("bob"),
    )
    fund(admin, alice, "AIA", "100")
    sent = alice.post(
        "/v1/wallet/transfers",
        json={"to": bob.user_id, "token": "AIA", "amount": "10"},
        headers={"Idempotency-Key": "k"},
    )
    assert sent.status_code == 201  # a burn too: issuance moves both ways

    assert alice.get("/v1/admin/ledger/reconciliation").status_code == 403
    assert accounts_api.anonymous().get("/v1/admin/ledger/reconciliation").status_code == 401
    status = admin.get("/v1/admin/ledger/reconciliation").json
    assert status["balanced"] is True and status["failures"] == []
    assert {(c["invariant"], c["token"]) for c in status["checks"]} == {
        (i, t.value) for i in INVARIANTS for t in Token
    }
    assert status["checked_at"]

    engine = accounts_api.platform.sql.engine  # type: ignore[attr-defined]
    wallet = ledger_accounts.c.id == f"user:{alice.user_id}:AIA"
    bump = update(ledger_accounts).where(wallet).values(balance=ledger_accounts.c.balance + 1)
    undo = update(ledger_accounts).where(wallet).values(balance=ledger_accounts.c.balance - 1)
    with _tampered(engine, bump, undo):
        broken = admin.get("/v1/admin/ledger/reconciliation").json
        assert broken["balanced"] is False
        failed = {(c["invariant"], c["token"]): c["detail"] for c in broken["failures"]}
        assert set(failed) == {("accounts_sum_to_zero", "AIA"), ("balances_match_lines", "AIA")}
        assert "0.000001 AIA" in failed[("accounts_sum_to_zero", "AIA")]
        assert f"user:{alice.user_id}:AIA" in failed[("balances_match_lines", "AIA")]
        # the books were only read: the wallet shows the edit, nothing was repaired
        assert alice.get("/v1/wallet").json["balances"]["AIA"] == "89.990001"

    counter = ledger_supply.c.token == "AIA_GOV"
    fund(admin, alice, "AIA_GOV", "1")
    more = update(ledger_supply).where(counter).values(minted=ledger_supply.c.minted + 5)
    less = update(ledger_supply).where(counter).values(minted=ledger_supply.c.minted - 5)
    with _tampered(engine, more, less):
        failed = {
            (c["invariant"], c["token"])
            for c in admin.get("/v1/admin/ledger/reconciliation").json["failures"]
        }
        assert failed == {("supply_matches_issuance", "AIA_GOV")}
    assert admin.get("/v1/admin/ledger/reconciliation").json["balanced"] is True


def test_negative_wallets_and_a_supply_over_the_cap_fail_their_checks() -> None:
    # the tables refuse a negative wallet (a CHECK constraint), so these figures are built
    books = BookFigures(
        token=Token.AIA,
        all_accounts=0,
        issuance=-(2 * 10**15 + 7),
        minted=2 * 10**15 + 7,
        burned=0,
        negative=(("user:u1", -3),),
        unmatched=(),
    )
    by_name = {c.invariant: c for c in check_books(books)}
    assert not by_name["no_negative_balance"].holds
    assert "user:u1 holds -0.000003 AIA" in by_name["no_negative_balance"].detail
    assert not by_name["supply_within_cap"].holds
    assert by_name["accounts_sum_to_zero"].holds and by_name["supply_matches_issuance"].holds
    assert ISSUANCE not in by_name["no_negative_balance"].detail
