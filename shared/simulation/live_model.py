"""Which model the live economy runs, and since when: what `GET /v1/economy/metrics` and
the /economy page say, so a release that changed the model shows where its months begin
(docs/decisions/0037-model-versions-of-simulations.md)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from shared.simulation.store import LIVE_ID, SimulationRecord, SimulationStore


class EconomyModel(BaseModel):
    version: int = Field(description="The economy model version the live economy runs")
    since_month: int = Field(
        description="The live economy's month from which it runs this model: 0 if it "
        "started on it; else the month it started again from this model's initial state "
        "(its figures before that month are the earlier model's)"
    )
    since: datetime | None = Field(
        description="When it moved to this model (UTC); null if it started on it"
    )
    previous_version: int | None = Field(
        description="The model it ran before `since_month`; null if none"
    )


def live_model(store: SimulationStore, live: SimulationRecord) -> EconomyModel:
    changes = store.model_changes(LIVE_ID)
    last = changes[-1] if changes else None
    return EconomyModel(
        version=live.model_version,
        since_month=0 if last is None else last.tick,
        since=None if last is None else last.changed_at,
        previous_version=None if last is None else last.from_version,
    )
