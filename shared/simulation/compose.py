"""Builds the simulation store of a platform, once per platform; copies the simulations
the first release kept as documents into SQL as it starts (idempotent)."""

from __future__ import annotations

import threading
from typing import cast

from shared.ledger.compose import ledger
from shared.platform import Platform
from shared.simulation.first_release import copy_first_release
from shared.simulation.store import SimulationStore

_lock = threading.Lock()


def simulation_store(platform: Platform) -> SimulationStore:
    """The SQL store on the platform's database."""
    feature = platform.features.get("simulations")
    if feature is None:
        ledger(platform)  # the schema is migrated and the treasury funded first
        with _lock:
            feature = platform.features.get("simulations")
            if feature is None:
                feature = _build(platform)
                platform.features["simulations"] = feature
    return cast(SimulationStore, feature)


def _build(platform: Platform) -> SimulationStore:
    from shared.adapters.sql.simulation_store import store_for

    store = store_for(platform.sql)
    copy_first_release(platform.documents, store, platform.clock.now())
    return store
