"""Loads each function of the manifest through functions-framework's own `create_app`
(as Cloud Run does) and invokes it over in-process WSGI, so a delivery takes the same
path as in production: CloudEvent parsing, the handler, 500 on an exception."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import functions_framework
from cloudevents.conversion import to_binary
from cloudevents.http import CloudEvent
from flask import Flask
from werkzeug.exceptions import NotFound
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.test import Client

from shared.events.codec import PUBSUB_PUBLISHED, RawMessage, pubsub_push_body
from shared.wiring.manifest import Function, Manifest


@dataclass(frozen=True)
class Invocation:
    status: int
    body: str
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class FunctionHost:
    def __init__(self, manifest: Manifest, roots: Sequence[Path], project: str) -> None:
        self.manifest = manifest
        self.project = project
        self.apps: dict[str, Flask] = {}
        for fn in manifest.functions:
            source = _find(fn, roots)
            signature = "http" if fn.http else "cloudevent"
            app: Flask = functions_framework.create_app(  # type: ignore[no-untyped-call]
                fn.target, str(source), signature
            )
            self.apps[fn.name] = app
        self._clients = {name: Client(app) for name, app in self.apps.items()}

    def wsgi(self) -> DispatcherMiddleware:
        """What `aia serve` puts on its port: the public HTTP functions only (the API at
        `/`). Private ones (`public: false`, e.g. the email send step) are Cloud Run
        services that only Workflows and Cloud Tasks may invoke; here those callers use
        `request`/`call_http` in-process, so their paths answer a stranger 404."""
        root: Any = NotFound()
        mounts: dict[str, Any] = {}
        for fn in self.manifest.functions:
            if fn.http is None or not fn.http.public:
                continue
            if fn.http.local_path == "/":
                root = self.apps[fn.name]
            else:
                mounts[fn.http.local_path] = self.apps[fn.name]
        return DispatcherMiddleware(root, mounts)

    def push(self, fn: Function, topic: str, message: RawMessage) -> Invocation:
        """Deliver one Pub/Sub message as Eventarc would: a binary-mode CloudEvent."""
        attributes: dict[str, Any] = {
            "type": PUBSUB_PUBLISHED,
            "source": f"//pubsub.googleapis.com/projects/{self.project}/topics/{topic}",
            "id": message.message_id,
            "specversion": "1.0",
            "time": message.publish_time,
        }
        event = CloudEvent(
            attributes,
            pubsub_push_body(message, f"projects/{self.project}/subscriptions/{fn.subscription}"),
        )
        headers, body = to_binary(event)
        response = self._clients[fn.name].post("/", headers=dict(headers), data=body)
        return Invocation(response.status_code, response.get_data(as_text=True))

    def call_http(
        self,
        function: str,
        path: str,
        payload: Mapping[str, Any],
        headers: Mapping[str, str] | None = None,
    ) -> Invocation:
        response = self._clients[function].post(
            path,
            data=json.dumps(dict(payload)),
            headers={"Content-Type": "application/json", **dict(headers or {})},
        )
        return Invocation(response.status_code, response.get_data(as_text=True))

    def request(
        self,
        function: str,
        method: str,
        path: str,
        *,
        body: bytes = b"",
        headers: Mapping[str, str] | None = None,
    ) -> Invocation:
        """Any HTTP call to an HTTP function, in-process (workflow steps use this)."""
        response = self._clients[function].open(
            path, method=method, data=body, headers=dict(headers or {})
        )
        return Invocation(
            response.status_code, response.get_data(as_text=True), dict(response.headers)
        )


def _find(fn: Function, roots: Sequence[Path]) -> Path:
    for root in roots:
        if (root / fn.source).exists():
            return root / fn.source
    raise FileNotFoundError(f"function {fn.name}: {fn.source} not found under {list(roots)}")
