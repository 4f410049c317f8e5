"""Until migration 0009 a simulation's owner, status, charge, agent, latest figures and
times were a document in the `simulations` collection, beside its SQL row. They are
copied into the row when the simulation store starts: idempotent (a row that has its
owner is left as it is), and repeated at every start so that a simulation an instance
of the earlier release still created during the roll-out arrives too. A document whose
run had not reached its first tick gets a row without state (its first tick builds it).
The documents are left in place (docs/decisions/0004-simulation-state-layout.md)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shared.ports.documents import DocumentStore
from shared.simulation.model_version import FIRST_MODEL_VERSION
from shared.simulation.params import SimulationParams
from shared.simulation.store import SimulationRecord, SimulationStore, Status

log = logging.getLogger("aia.simulation")
COLLECTION = "simulations"


class _SimulationDocument(BaseModel):
    model_config = ConfigDict(extra="ignore")
    owner_id: str = Field(min_length=1, max_length=64)
    params: SimulationParams
    ticks: int | None = Field(default=None, ge=1)
    status: Status = "queued"
    current_tick: int = Field(default=0, ge=0)
    charged_aia_minor: int = Field(default=0, ge=0)
    agent_id: str | None = Field(default=None, max_length=64)
    household_months: int | None = Field(default=None, ge=0)
    latest: dict[str, float] = Field(default_factory=dict)
    created_at: datetime | None = None
    updated_at: datetime | None = None


def copy_first_release(documents: DocumentStore, store: SimulationStore, at: datetime) -> int:
    """Copy what the earlier release kept in documents; the number of rows newly copied."""
    records: list[SimulationRecord] = []
    for simulation_id, data in documents.query(COLLECTION):
        try:
            doc = _SimulationDocument.model_validate(data)
        except ValidationError as exc:
            log.error(
                "first-release simulation not copied: %s",
                exc,
                extra={"simulation_id": simulation_id},
            )
            continue
        created = _utc(doc.created_at) or at
        records.append(
            SimulationRecord(
                simulation_id=simulation_id,
                owner_id=doc.owner_id,
                status=doc.status,
                params=doc.params,
                horizon=doc.ticks,
                tick=doc.current_tick,
                latest=doc.latest,
                charged_minor=doc.charged_aia_minor,
                agent_id=doc.agent_id,
                household_months=doc.household_months,
                created_at=created,
                updated_at=_utc(doc.updated_at) or created,
                model_version=FIRST_MODEL_VERSION,  # the first release ran model 1
            )
        )
    copied = store.import_first_release(records) if records else 0
    if copied:
        log.info("first-release simulations copied to SQL", extra={"rows": copied})
    return copied


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
