"""Imports every module that defines event types, so the registry is complete."""

from __future__ import annotations

import importlib

EVENT_MODULES = (
    "shared.operations.events",
    "shared.accounts.events",
    "shared.ledger.events",
    "shared.venture.events",
    "shared.email.events",
    "shared.governance.events",
    "shared.agents.events",
    "shared.knowledge.events",
    "shared.simulation.events",
)


def load_event_types() -> None:
    for module in EVENT_MODULES:
        importlib.import_module(module)
