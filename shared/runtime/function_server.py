"""The entry point of every function's container (the Dockerfile's CMD) and of each
process of the production topology (`make run-cloud`): functions-framework's own app and
server, plus `GET /ready` for Cloud Run's startup probe (docs/decisions/0042).

functions-framework serves a CloudEvent function on POST only, so an event function had
nothing an HTTP probe could ask. Here `create_app` builds the app exactly as its CLI does,
a `/ready` rule is added, and its `create_server` serves it (gunicorn, `WORKERS` processes
of `THREADS` threads, from the environment as before). `/ready` answers 200 once the
function's dependencies are configured (settings parsed, ports built: the same
`current_features()` its handler calls on the first event), else 503 problem+json naming
what is wrong. A function whose manifest routes include `/ready` (the API) keeps its own,
which also asks every backend.

    python -m shared.runtime.function_server --target grant_signup_bonus --port 8080

Every option falls back to the variable Cloud Run's services set (FUNCTION_TARGET,
FUNCTION_SOURCE, HOST, PORT); the signature type comes from the manifest."""

from __future__ import annotations

import argparse
import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import functions_framework
from flask import Flask, Response, request
from functions_framework._http import create_server
from pydantic import ValidationError

from shared.adapters.http.app import problem_response
from shared.api.problems import field_errors
from shared.api.spec import ApiError, FieldError
from shared.bootstrap import current_features
from shared.settings import Settings
from shared.wiring.manifest import Function, Manifest, load_manifest

log = logging.getLogger("aia.function_server")
READY = "/ready"
SETTINGS_PREFIX = str(Settings.model_config.get("env_prefix", ""))
# What building the settings and ports raises when the configuration is wrong: invalid
# settings (pydantic's ValidationError is a ValueError), a missing key or file, an
# unreachable socket at construction, an optional client library not installed.
NOT_CONFIGURED = (ValueError, LookupError, OSError, ImportError)


def signature_type(fn: Function) -> str:
    return "http" if fn.http is not None else "cloudevent"


def serves_own_ready(fn: Function) -> bool:
    return fn.http is not None and READY in fn.http.routes


def function_for_target(manifest: Manifest, target: str) -> Function:
    matches = [fn for fn in manifest.functions if fn.target == target]
    if len(matches) != 1:
        known = sorted(fn.target for fn in manifest.functions)
        raise SystemExit(f"function_server: no function with target {target!r}; known: {known}")
    return matches[0]


def readiness(configure: Callable[[], object] = current_features) -> Callable[[], Response]:
    """The `/ready` view: 200 once `configure` returns (it caches what it built), 503
    problem+json while it raises; every probe tries again."""

    def ready() -> Response:
        try:
            configure()
        except ValidationError as exc:
            log.warning("not ready: invalid settings", exc_info=True)
            errors = [  # named as the variable that sets each (Settings' AIA_ prefix)
                FieldError(SETTINGS_PREFIX + e.field.upper(), e.message, "environment", e.code)
                for e in field_errors(exc, "environment")
            ]
            detail = "invalid settings: " + ", ".join(e.field for e in errors)
            error = ApiError(
                503, detail, problem="not-ready", errors=errors, headers={"Retry-After": "5"}
            )
            return problem_response(error, request.path)
        except NOT_CONFIGURED as exc:
            log.warning("not ready: the function's ports could not be built", exc_info=True)
            # the class only: the message may carry a connection string or a secret
            detail = f"the function's ports could not be built ({type(exc).__name__})"
            error = ApiError(503, detail, problem="not-ready", headers={"Retry-After": "5"})
            return problem_response(error, request.path)
        return Response('{"status":"ready"}', status=200, mimetype="application/json")

    return ready


def create_function_app(
    fn: Function, source: Path, configure: Callable[[], object] = current_features
) -> Flask:
    """functions-framework's app for `fn`, with `GET /ready` unless it serves its own."""
    app: Flask = functions_framework.create_app(  # type: ignore[no-untyped-call]
        fn.target, str(source), signature_type(fn)
    )
    if not serves_own_ready(fn):
        app.add_url_rule(READY, endpoint="aia-ready", view_func=readiness(configure))
    return app


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m shared.runtime.function_server")
    parser.add_argument("--target", default=os.environ.get("FUNCTION_TARGET"))
    parser.add_argument("--source", default=os.environ.get("FUNCTION_SOURCE"))
    parser.add_argument("--host", default=os.environ.get("HOST", "0.0.0.0"))  # noqa: S104 - a container's port
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8080")))
    args = parser.parse_args(argv)
    if not args.target:
        parser.error("--target or FUNCTION_TARGET is required")
    fn = function_for_target(load_manifest(), args.target)
    declared = os.environ.get("FUNCTION_SIGNATURE_TYPE")
    if declared and declared != signature_type(fn):
        raise SystemExit(
            f"function_server: FUNCTION_SIGNATURE_TYPE={declared} but the manifest makes "
            f"{fn.name} a {signature_type(fn)} function"
        )
    app = create_function_app(fn, Path(args.source or fn.source))
    create_server(app, False).run(args.host, args.port)  # type: ignore[no-untyped-call]


if __name__ == "__main__":
    main()
