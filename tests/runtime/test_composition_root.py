"""What the composition root guarantees whatever order the features are first used in:
the embedded database is migrated before its first use, and the outbox is one (the
accounts stage into the same outbox the relay job publishes from)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import inspect

from shared.adapters.local.clock import ManualClock
from shared.bootstrap import install_features
from shared.events.outbox import relay
from shared.runtime.local import LocalRuntime
from shared.settings import Settings
from tests.conftest import ROOT


@pytest.fixture
def runtime(settings: Settings, clock: ManualClock) -> Iterator[LocalRuntime]:
    built = LocalRuntime(settings, ROOT, clock=clock)
    yield built
    built.stop()
    install_features(None)


def test_the_embedded_database_is_migrated_on_its_first_use(runtime: LocalRuntime) -> None:
    engine = runtime.platform.sql.engine  # type: ignore[attr-defined]
    tables = set(inspect(engine).get_table_names())
    assert {"users", "ledger_entries", "purchases", "outbox"} <= tables
    assert not runtime.features._built  # no feature had to be built for it


def test_the_relay_publishes_from_the_outbox_the_accounts_stage_into(
    runtime: LocalRuntime,
) -> None:
    features = runtime.features
    assert features.accounts.outbox is features.outbox
    user = features.accounts.service.register("ada@example.com", "correct horse battery", "Ada")
    # As if the publish right after the commit had failed: the event is still staged.
    with features.outbox.engine.begin() as conn:  # type: ignore[attr-defined]
        conn.exec_driver_sql("UPDATE outbox SET published_at = NULL")
    staged = features.outbox.pending(10)
    assert staged and {e.data.user_id for e in staged} == {user.id}  # type: ignore[attr-defined]
    assert relay(features.outbox, runtime.platform.events) == len(staged)
    assert features.outbox.pending(10) == []
