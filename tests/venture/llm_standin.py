"""A local stand-in of the LLM providers' published HTTP APIs (OpenAI Chat Completions,
also spoken by xAI and Groq; Anthropic Messages; Hugging Face text generation), on
127.0.0.1. It checks each request's shape and credentials the way the provider would
(401 for a bad key, 400 for a malformed body) and answers in the provider's shape.
`script` queues status codes to answer first (503, 429...) to exercise retries."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

KEY = "test-key-123"
SUMMARY = "Acme targets a reconciled SOM of $4.8M in European SaaS."


@dataclass
class StandIn:
    url: str
    requests: list[dict[str, Any]] = field(default_factory=list)
    script: list[int] = field(default_factory=list)
    delay: float = 0.0


def _check(path: str, headers: dict[str, str], body: Any) -> tuple[int, Any]:
    """Validate like the real API does and answer in its shape."""
    if path.endswith("/chat/completions"):
        if headers.get("authorization") != f"Bearer {KEY}":
            return 401, {
                "error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}
            }
        messages = body.get("messages")
        limit = body.get("max_completion_tokens", body.get("max_tokens"))
        if not body.get("model") or not isinstance(messages, list) or not isinstance(limit, int):
            return 400, {"error": {"message": "model, messages and a token limit are required"}}
        if [m["role"] for m in messages] != ["system", "user"]:
            return 400, {"error": {"message": "unexpected roles"}}
        return 200, {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body["model"],
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": SUMMARY},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 321, "completion_tokens": 17, "total_tokens": 338},
        }
    if path.endswith("/v1/messages"):
        if headers.get("x-api-key") != KEY:
            return 401, {
                "type": "error",
                "error": {"type": "authentication_error", "message": "invalid x-api-key"},
            }
        if headers.get("anthropic-version") != "2023-06-01":
            return 400, {
                "type": "error",
                "error": {"type": "invalid_request_error", "message": "anthropic-version"},
            }
        if (
            not isinstance(body.get("max_tokens"), int)
            or body.get("messages", [{}])[0].get("role") != "user"
        ):
            return 400, {
                "type": "error",
                "error": {"type": "invalid_request_error", "message": "max_tokens"},
            }
        return 200, {
            "id": "msg_1",
            "type": "message",
            "role": "assistant",
            "model": body["model"],
            "content": [{"type": "text", "text": SUMMARY}],
            "stop_reason": "end_turn",
            "usage": {"input_tokens": 300, "output_tokens": 20},
        }
    if "/models/" in path:
        if headers.get("authorization") != f"Bearer {KEY}":
            return 401, {"error": "Invalid credentials in Authorization header"}
        parameters = body.get("parameters") or {}
        if not isinstance(body.get("inputs"), str) or not isinstance(
            parameters.get("max_new_tokens"), int
        ):
            return 400, {"error": "inputs and parameters.max_new_tokens are required"}
        return 200, [{"generated_text": SUMMARY}]
    return 404, {"error": f"no route {path}"}


@contextmanager
def llm_standin() -> Iterator[StandIn]:
    state = StandIn(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            raw = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            body = json.loads(raw or b"{}")
            state.requests.append({"path": self.path, "headers": headers, "body": body})
            if state.delay:
                time.sleep(state.delay)
            if state.script:
                status = state.script.pop(0)
                answer: Any = {"error": {"message": "try again"}}
            else:
                status, answer = _check(self.path, headers, body)
            payload = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            if status == 429:
                self.send_header("Retry-After", "0")
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
