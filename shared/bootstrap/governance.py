"""Assembles governance: its SQL store, the token book it reads and locks through, the
outbox its announcements go out by, and its rules from settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shared.events.envelope import Event
from shared.events.outbox import publish_staged
from shared.governance.rules import GovernanceRules
from shared.governance.service import Governance

if TYPE_CHECKING:
    from shared.bootstrap.features import Features


def build_governance(features: Features) -> Governance:
    from shared.adapters.sql.database import SqlAlchemyDatabase
    from shared.adapters.sql.governance import SqlGovernanceStore
    from shared.adapters.sql.outbox import SqlOutbox

    book = features.token_book  # builds the ledger first, which migrates the embedded schema
    platform = features.platform
    assert isinstance(platform.sql, SqlAlchemyDatabase)
    outbox = SqlOutbox(platform.sql.engine)

    def publish(events: list[Event]) -> None:
        publish_staged(outbox, platform.events, events)

    return Governance(
        SqlGovernanceStore(platform.sql.engine),
        book,
        platform.clock,
        GovernanceRules.from_settings(platform.settings),
        publish,
        app_base_url=platform.settings.app_base_url,
        impact=features.impact_previews,
    )
