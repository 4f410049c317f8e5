"""Operational endpoints: liveness, readiness, metrics, the API description."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from shared import __version__
from shared.api.spec import ApiRequest, Reply, route
from shared.errors import Unavailable
from shared.observability.metrics import exposition


class Health(BaseModel):
    status: Literal["ok"] = Field(description="Always `ok`: the process answers")
    version: str = Field(description="The version of the running release")


class Readiness(BaseModel):
    """Only the verdict: which backend fails, and how, is for admins (`backend_readiness`)."""

    status: Literal["ready"] = Field(
        description="Always `ready`; a backend down answers 503 instead"
    )


class BackendReadiness(BaseModel):
    status: Literal["ready", "unavailable"] = Field(
        description="`ready` when every check is ok, else `unavailable`"
    )
    checks: dict[str, str] = Field(
        description='Each backend port: "ok", or "unavailable: <error class>".'
    )


def health(_: ApiRequest) -> Health:
    # Liveness only: no I/O, so it answers in well under 10 ms even when a backend is down.
    return Health(status="ok", version=__version__)


def ready(req: ApiRequest) -> Readiness:
    # For Cloud Run and `make run` callers only (the edge refuses /ready): 200 or 503.
    checks = req.platform.readiness()
    if any(v != "ok" for v in checks.values()):
        raise Unavailable("a backend is unavailable", problem="not-ready", retry_after=5)
    return Readiness(status="ready")


def backend_readiness(req: ApiRequest) -> BackendReadiness:
    """Every backend's check, answered 200 even when one fails: the detail is the point."""
    checks = req.platform.readiness()
    ok = all(v == "ok" for v in checks.values())
    return BackendReadiness(status="ready" if ok else "unavailable", checks=checks)


def metrics(_: ApiRequest) -> Reply:
    body, content_type = exposition()
    return Reply(body=body, media_type=content_type)


ROUTES = [
    route("GET", "/health", health, "Liveness: the process answers", "system", response=Health),
    route(
        "GET",
        "/ready",
        ready,
        "Readiness: every backend answers",
        "system",
        response=Readiness,
        errors=(503,),
    ),
    route("GET", "/metrics", metrics, "Prometheus metrics", "system", media_type="text/plain"),
    route(
        "GET",
        "/v1/admin/readiness",
        backend_readiness,
        "Each backend's readiness check",
        "admin",
        response=BackendReadiness,
        auth="admin",
        description="What /ready no longer tells anyone: which backend fails, and how.",
    ),
]
