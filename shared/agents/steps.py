"""The agent-report-step HTTP function's core, called by the agent-performance-report
workflow: `POST /owners {week, cursor}` pages through the owners with agents and
`POST /prepare {week, owner_id}` builds one owner's report (context and chart). Both
only read and rewrite derived data, so a retried step is harmless. 4xx: bad input (the
workflow does not retry it); an exception propagates as a 500, which it retries."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from shared.agents.feature import Agents
from shared.agents.report import owners, prepare
from shared.agents.weeks import checked_week

Week = Annotated[str, Field(max_length=8), AfterValidator(checked_week)]


class OwnersCall(BaseModel):
    model_config = ConfigDict(extra="forbid")

    week: Week
    cursor: str = Field(default="", max_length=200)


class PrepareCall(BaseModel):
    model_config = ConfigDict(extra="forbid")

    week: Week
    owner_id: str = Field(min_length=1, max_length=200)


def handle_report_step(path: str, body: Any, agents: Agents) -> tuple[dict[str, Any], int]:
    step = path.strip("/").rsplit("/", 1)[-1]
    payload = body if isinstance(body, dict) else {}
    try:
        if step == "owners":
            call = OwnersCall.model_validate(payload)
            return owners(agents.documents, call.cursor), 200
        if step == "prepare":
            job = PrepareCall.model_validate(payload)
            report = prepare(
                agents.documents,
                job.owner_id,
                job.week,
                now=agents.clock.now(),
                scoring=agents.scoring,
                links=agents.report_links,
            )
            return report, 200
    except ValidationError as exc:
        return {
            "error": "invalid step call",
            "detail": exc.errors(include_url=False, include_context=False),
        }, 400
    return {"error": f"no step {step!r}; steps: owners, prepare"}, 404
