"""Every route of the public API, in one list (features append theirs here)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from shared import __version__
from shared.api import system
from shared.api.openapi import build_openapi
from shared.api.spec import Route


def all_routes() -> list[Route]:
    return [*system.ROUTES]


@lru_cache(maxsize=4)
def openapi_document(server: str) -> dict[str, Any]:
    return build_openapi(all_routes(), version=__version__, server=server)
