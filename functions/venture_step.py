"""HTTP function (internal): the steps of the venture-report workflow, by path
(/market, /competition, /blueprint, /resources, /assemble, /complete, /fail)."""

from typing import Any

import functions_framework
from flask import Request

from shared.bootstrap import current_features
from shared.venture.steps import handle_step_request


@functions_framework.http
def venture_step(request: Request) -> tuple[dict[str, Any], int]:
    features = current_features()
    return handle_step_request(
        request.path,
        request.get_json(silent=True),
        features.venture,
        features.stack_advisor,
        features.paid_work,
    )
