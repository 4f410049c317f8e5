"""A test HTTP function for workflow steps: `/flaky` answers 503 for its first
`fail_times` calls per key (so a workflow's retry is exercised), `/after` counts calls.
Each call records the Authorization header it received."""

from typing import Any

import functions_framework
from flask import Request

from shared.bootstrap import current_features


@functions_framework.http
def probe_step(request: Request) -> tuple[dict[str, Any], int]:
    body = request.get_json(silent=True) or {}
    key = str(body.get("key", "unkeyed"))
    store = current_features().platform.documents
    if request.path not in ("/flaky", "/after"):
        return {"error": f"no route {request.path}"}, 404
    collection = "probe_step" + request.path.replace("/", "_")
    calls = store.get(collection, key) or {"count": 0, "authorization": []}
    calls["count"] += 1
    calls["authorization"].append(request.headers.get("Authorization"))
    store.set(collection, key, calls)
    if request.path == "/flaky" and calls["count"] <= int(body.get("fail_times", 0)):
        return {"error": "not yet", "attempt": calls["count"]}, 503
    return {"attempt": calls["count"], "method": request.method}, 200
