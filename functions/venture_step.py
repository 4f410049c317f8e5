"""HTTP function (internal): the steps of the venture-report workflow, by path
(/market, /competition, /blueprint, /resources, /assemble, /complete, /fail)."""

from typing import Any

import functions_framework
from flask import Request

from shared.knowledge.advisor import install as install_graph_advisor
from shared.platform import current_platform
from shared.venture.steps import handle_step_request

# This function runs as its own service: plug the knowledge graph into the blueprint's
# stack check here too (the API does it when its routes load).
install_graph_advisor()


@functions_framework.http
def venture_step(request: Request) -> tuple[dict[str, Any], int]:
    return handle_step_request(request.path, request.get_json(silent=True), current_platform())
