"""Builds the governance feature from a platform, once per platform."""

from __future__ import annotations

import threading

from shared.accounts.compose import accounts
from shared.events.envelope import Event
from shared.events.outbox import publish_staged
from shared.governance.rules import GovernanceRules
from shared.governance.service import Governance
from shared.ledger.compose import ledger
from shared.ledger.service import Ledger
from shared.platform import Platform

_lock = threading.Lock()


def governance(platform: Platform) -> Governance:
    feature = platform.features.get("governance")
    if feature is None:
        book = ledger(platform)  # migrates the embedded schema first
        with _lock:
            feature = platform.features.get("governance")
            if feature is None:
                feature = _build(platform, book)
                platform.features["governance"] = feature
    assert isinstance(feature, Governance)
    return feature


def _build(platform: Platform, book: Ledger) -> Governance:
    from shared.adapters.sql.database import SqlAlchemyDatabase
    from shared.adapters.sql.governance import SqlGovernanceStore

    assert isinstance(platform.sql, SqlAlchemyDatabase)
    outbox = accounts(platform).outbox

    def publish(events: list[Event]) -> None:
        publish_staged(outbox, platform.events, events)

    return Governance(
        SqlGovernanceStore(platform.sql.engine),
        book,
        platform.clock,
        GovernanceRules.from_settings(platform.settings),
        publish,
        app_base_url=platform.settings.app_base_url,
    )
