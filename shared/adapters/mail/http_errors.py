"""How an HTTP mail API's answer maps onto the send step's failures."""

from __future__ import annotations

import time

import requests

from shared.email.delivery import PermanentDeliveryError, TransientDeliveryError


def retry_after(response: requests.Response) -> float | None:
    header = response.headers.get("Retry-After")
    if header and header.isdigit():
        return float(header)
    reset = response.headers.get("X-RateLimit-Reset")  # SendGrid: epoch seconds
    if reset and reset.isdigit():
        return max(1.0, float(reset) - time.time())
    return None


def failure(
    provider: str, response: requests.Response, *, recipient_fault: bool
) -> PermanentDeliveryError | TransientDeliveryError:
    reason = f"{provider} HTTP {response.status_code}: {response.text[:300]}"
    status = response.status_code
    if status == 429 or status >= 500 or status in (401, 403, 408):
        # throttled, down, or our credentials: retry (an operator fixes credentials)
        return TransientDeliveryError(reason, retry_after(response))
    return PermanentDeliveryError(reason, recipient_fault=recipient_fault)
