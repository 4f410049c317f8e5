"""The transactional outbox (shared/events/outbox.py) over the platform's SQL database:
built once, shared by the features that stage events in their transactions (accounts,
governance) and by the relay job that publishes what a failed publish left behind."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shared.bootstrap.sql import sql_engine

if TYPE_CHECKING:
    from shared.bootstrap.features import Features
    from shared.events.outbox import Outbox


def build_outbox(features: Features) -> Outbox:
    from shared.adapters.sql.outbox import SqlOutbox

    return SqlOutbox(sql_engine(features.platform))
