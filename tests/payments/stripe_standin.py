"""A local stand-in for the part of Stripe's API we call: POST /v1/checkout/sessions,
answering like Stripe (form-encoded request, JSON session, Idempotency-Key replay). With
`checkout_pages`, a session's `url` is a page of the stand-in itself (a browser test goes
there): its "Pay" link returns to the session's success_url, as Stripe does after paying
(the test then sends the signed webhook)."""

from __future__ import annotations

import html
import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl


class StripeStandIn:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self._by_key: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self.pages_base: str | None = None  # set: sessions' urls are pages of the stand-in
        self.success_urls: dict[str, str] = {}

    def page(self, path: str) -> tuple[int, str]:
        """The checkout page of a session: a "Pay" link back to its success_url."""
        session_id = path.rsplit("/", 1)[-1]
        back = self.success_urls.get(session_id)
        if not path.startswith("/c/pay/") or back is None:
            return 404, "<!doctype html><title>Not found</title><main><h1>Not found</h1></main>"
        link = html.escape(back.replace("{CHECKOUT_SESSION_ID}", session_id))
        return 200, (
            '<!doctype html><html lang="en"><title>Checkout (stand-in)</title>'
            '<link rel="icon" href="data:,"><main>'
            f"<h1>Stripe Checkout (test stand-in)</h1><p>Session {html.escape(session_id)}</p>"
            f'<p><a id="pay" href="{link}">Pay</a></p></main></html>'
        )

    def handle(self, path: str, headers: dict[str, str], body: str) -> tuple[int, dict[str, Any]]:
        if not headers.get("authorization", "").startswith("Bearer sk_test_"):
            return 401, {"error": {"type": "invalid_request_error", "message": "Invalid API Key"}}
        if path != "/v1/checkout/sessions":
            return 404, {"error": {"type": "invalid_request_error", "message": f"no route {path}"}}
        form = dict(parse_qsl(body))
        key = headers.get("idempotency-key", "")
        with self._lock:
            self.requests.append({"form": form, "idempotency_key": key})
            if key in self._by_key:
                return 200, self._by_key[key]
            session_id = f"cs_test_{uuid.uuid4().hex}"
            base = self.pages_base or "https://checkout.stripe.com"
            self.success_urls[session_id] = form.get("success_url", "")
            session = {
                "id": session_id,
                "object": "checkout.session",
                "url": f"{base}/c/pay/{session_id}",
                "client_reference_id": form.get("client_reference_id"),
                "metadata": {k[9:-1]: v for k, v in form.items() if k.startswith("metadata[")},
                "mode": form.get("mode"),
                "payment_status": "unpaid",
            }
            self._by_key[key] = session
        return 200, session


@contextmanager
def stripe_standin(checkout_pages: bool = False) -> Iterator[tuple[str, StripeStandIn]]:
    standin = StripeStandIn()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, page = standin.page(self.path)
            data = page.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length).decode()
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, payload = standin.handle(self.path, headers, body)
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Request-Id", f"req_{uuid.uuid4().hex[:12]}")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    if checkout_pages:
        standin.pages_base = url
    try:
        yield url, standin
    finally:
        server.shutdown()
        server.server_close()
