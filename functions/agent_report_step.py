"""HTTP function (internal): the steps of the agent-performance-report workflow, by path
(/owners, /prepare)."""

from typing import Any

import functions_framework
from flask import Request

from shared.agents.steps import handle_report_step
from shared.bootstrap import current_features


@functions_framework.http
def agent_report_step(request: Request) -> tuple[dict[str, Any], int]:
    return handle_report_step(
        request.path, request.get_json(silent=True), current_features().agents
    )
