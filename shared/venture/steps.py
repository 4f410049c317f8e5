"""The venture-step HTTP function's core: route a workflow call (`POST /<step>` with
`{report_id, owner_id}`) to the report step it names. 4xx answers end the workflow
(nothing a retry could fix); an exception propagates as a 500, which the workflow's
retry predicate retries."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shared.errors import NotFound
from shared.ports.paid_work import PaidWork
from shared.ports.stack_advice import StackAdvisor
from shared.venture.datasets import catalog_for
from shared.venture.feature import Venture
from shared.venture.report import STEPS, StepOutOfOrder, run_step

ROUTES = (*STEPS, "fail")


class StepCall(BaseModel):
    model_config = ConfigDict(extra="forbid")

    report_id: str = Field(pattern=r"^[a-f0-9]{32}$")
    owner_id: str = Field(min_length=1, max_length=200)
    error: str = Field(default="", max_length=20_000)


def handle_step_request(
    path: str, body: Any, venture: Venture, advisor: StackAdvisor, paid_work: PaidWork
) -> tuple[dict[str, Any], int]:
    step = path.strip("/").rsplit("/", 1)[-1]
    if step not in ROUTES:
        return {"error": f"no step {step!r}; steps: {', '.join(ROUTES)}"}, 404
    try:
        call = StepCall.model_validate(body if isinstance(body, dict) else {})
    except ValidationError as exc:
        return {"error": "invalid step call", "detail": exc.errors(include_url=False)}, 400
    try:
        result = run_step(
            venture,
            step,
            call.report_id,
            call.owner_id,
            lambda dataset: catalog_for(venture.documents, call.owner_id, dataset),
            advisor,
            paid_work,
            error=call.error,
        )
    except NotFound as exc:  # the report, the step, or the report's dataset
        return {"error": exc.detail}, 404
    except StepOutOfOrder as exc:
        return {"error": exc.detail}, 409
    return result.as_json(), 200
