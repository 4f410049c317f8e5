"""Every route of the public API, in one list (features append theirs here). It lives in
the HTTP adapter: it is the one place that knows every feature's routes, so no feature
imports it (features -> the route spec in shared/api; this adapter -> features)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from shared import __version__
from shared.accounts import api as accounts
from shared.adapters.http import reference
from shared.adapters.http.app import Guard
from shared.agents import api as agents
from shared.api import system
from shared.api.openapi import build_openapi
from shared.api.spec import Route
from shared.email import api as emails
from shared.email import operator_api as email_operations
from shared.governance import api as governance
from shared.knowledge import api as knowledge
from shared.ledger import api as wallet
from shared.ledger.payments import api as payments
from shared.operations import api as operations
from shared.operations import backlog_api as event_backlog
from shared.simulation import api as simulations
from shared.venture import api as venture


def all_routes() -> list[Route]:
    return [
        *system.ROUTES,
        *reference.ROUTES,
        *accounts.ROUTES,
        *wallet.ROUTES,
        *payments.ROUTES,
        *operations.ROUTES,
        *event_backlog.ROUTES,
        *venture.ROUTES,
        *emails.ROUTES,
        *email_operations.ROUTES,
        *governance.ROUTES,
        *agents.ROUTES,
        *knowledge.ROUTES,
        *simulations.ROUTES,
    ]


def all_guards() -> list[Guard]:
    """Run before every handler, in order: who is calling, then may they call now."""
    return [*accounts.GUARDS, *emails.GUARDS]


@lru_cache(maxsize=4)
def openapi_document(server: str) -> dict[str, Any]:
    return build_openapi(all_routes(), version=__version__, server=server)
