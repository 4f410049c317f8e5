"""Builds the simulation store (SQL, on the platform's database) and copies in what the
first release kept as documents (idempotent, at every start)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shared.bootstrap.sql import sql_engine
from shared.simulation.first_release import copy_first_release

if TYPE_CHECKING:
    from shared.bootstrap.features import Features
    from shared.simulation.impact_preview import ImpactDesk
    from shared.simulation.store import SimulationStore


def build_simulations(features: Features) -> SimulationStore:
    from shared.adapters.sql.simulation_store import SqlSimulationStore

    platform = features.platform
    features.ledger  # noqa: B018 - the treasury exists before a first run is charged
    store = SqlSimulationStore(sql_engine(platform))
    copy_first_release(platform.documents, store, platform.clock.now())
    return store


def build_impact_previews(features: Features) -> ImpactDesk:
    """Impact previews of governance proposals, on the simulations' database."""
    from shared.adapters.sql.impact_store import SqlImpactStore
    from shared.simulation.impact_preview import ImpactDesk

    platform = features.platform
    simulations = features.simulations  # migrates the schema first
    store = SqlImpactStore(sql_engine(platform))
    return ImpactDesk(simulations, store, platform.settings, platform.clock)
