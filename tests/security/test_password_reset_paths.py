"""Password reset: a known and an unknown address do exactly the same work in the request
(so timing tells an attacker nothing), and a rejected new password does not spend the
link."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from shared.adapters.sql.database import SqlAlchemyDatabase
from shared.runtime.local import LocalRuntime
from tests.accounts.test_password_reset import reset_events, token_of
from tests.support.api import ApiClient


@contextmanager
def statements(runtime: LocalRuntime) -> Iterator[list[str]]:
    """The SQL statements the block runs (their text, without parameters)."""
    sql = runtime.platform.sql
    assert isinstance(sql, SqlAlchemyDatabase)
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(sql.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(sql.engine, "before_cursor_execute", record)


def test_known_and_unknown_addresses_do_the_same_work(
    accounts_api: ApiClient, accounts_runtime: LocalRuntime
) -> None:
    alice = accounts_api.user("alice")
    work = []
    for email in (alice.email, "nobody-here@example.com"):
        published_before = len(accounts_runtime.bus.messages("password-reset-requests"))
        with statements(accounts_runtime) as seen:
            reply = accounts_api.client.post("/v1/auth/password-reset", json={"email": email})
        assert reply.status_code == 202
        published = len(accounts_runtime.bus.messages("password-reset-requests"))
        work.append((seen, published - published_before, reply.get_data()))
    known, unknown = work
    assert known == unknown
    # and only the known address gets a link, later, from the event handler
    assert [e["user_id"] for e in reset_events(accounts_runtime)] == [alice.user_id]


def test_a_rejected_new_password_leaves_the_link_usable(
    accounts_api: ApiClient, accounts_runtime: LocalRuntime
) -> None:
    bob = accounts_api.user("bob")
    accounts_api.client.post("/v1/auth/password-reset", json={"email": bob.email})
    [token] = [token_of(e) for e in reset_events(accounts_runtime) if e["user_id"] == bob.user_id]
    weak = accounts_api.client.post(
        "/v1/auth/password-reset/confirm", json={"token": token, "new_password": "password"}
    )
    assert weak.status_code == 400
    assert weak.json["errors"][0]["field"] == "new_password"
    strong = accounts_api.client.post(
        "/v1/auth/password-reset/confirm",
        json={"token": token, "new_password": "a far better passphrase"},
    )
    assert strong.status_code == 204
