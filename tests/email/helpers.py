from __future__ import annotations

import json
from email.message import EmailMessage
from typing import Any

from shared.email.feature import EmailFeature
from shared.email.sending import SendRequest
from shared.email.types import SPECS, EmailType
from shared.runtime.local import LocalRuntime


def feature(runtime: LocalRuntime) -> EmailFeature:
    return runtime.features.email


def sample_request(
    email_type: EmailType, to: str, *, journey: str = "test-journey", step: str | None = None
) -> SendRequest:
    return SendRequest(
        type=email_type,
        journey=journey,
        step=step or email_type.value,
        to=to,
        name="Ada Lovelace",
        context=SPECS[email_type].sample.model_dump(mode="json"),
    )


def parts(message: EmailMessage) -> dict[str, str]:
    """content type -> decoded body of each leaf part."""
    found = {}
    for part in message.walk():
        if not part.is_multipart():
            assert isinstance(part, EmailMessage)
            found[part.get_content_type()] = str(part.get_content())
    return found


def call_send_function(
    runtime: LocalRuntime, path: str, body: dict[str, Any]
) -> tuple[int, dict[str, Any], dict[str, str]]:
    """POST to the email-send HTTP function in-process, as Workflows and Tasks do."""
    response = runtime.host.request(
        "email-send",
        "POST",
        path,
        body=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    return response.status, json.loads(response.body or "{}"), dict(response.headers)


def metric(runtime: LocalRuntime, name: str, **labels: str) -> float:
    from shared.observability.metrics import REGISTRY

    value = REGISTRY.get_sample_value(name, labels)
    return float(value or 0.0)
