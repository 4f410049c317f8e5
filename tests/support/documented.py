"""Does an answer the app really sent match what /openapi.json says about it? Validated
with JSON Schema against the route's documented 2xx schema, strictly: an object that
lists its properties may hold no other key (unless it declares additional ones), so a
key the answer sends but the reference does not describe fails as surely as a wrong
type or a missing required field."""

from __future__ import annotations

import copy
from typing import Any

from jsonschema import Draft202012Validator

from shared.adapters.http.catalog import openapi_document

_DOC = openapi_document("/")


def _closed(node: Any) -> Any:
    if isinstance(node, dict):
        out = {k: _closed(v) for k, v in node.items()}
        if "properties" in out and "additionalProperties" not in out:
            out["additionalProperties"] = False
        return out
    if isinstance(node, list):
        return [_closed(v) for v in node]
    return node


_COMPONENTS = _closed(copy.deepcopy(_DOC["components"]))


def documented_problems(method: str, path: str, status: int, answer: Any) -> list[str]:
    """Each way `answer` departs from the documented schema of `method path` answering
    `status`, as `where: what` lines; empty when it matches."""
    operation = _DOC["paths"][path][method.lower()]
    schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    validator = Draft202012Validator({**_closed(schema), "components": _COMPONENTS})
    return [
        f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in validator.iter_errors(answer)
    ]
