"""JSON over HTTPS for the provider adapters: one timeout per attempt, and retries with
exponential backoff on what a retry can fix (429, 5xx, timeouts, refused connections),
honouring a short Retry-After."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from typing import Any

from shared.venture.narrative import GenerationFailed

RETRYABLE = {408, 409, 429, 500, 502, 503, 504, 529}
MAX_RETRY_AFTER = 10.0


class ProviderError(GenerationFailed):
    def __init__(self, message: str, *, status: int | None = None, retryable: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.retryable = retryable


def post_json(
    url: str,
    headers: Mapping[str, str],
    body: Mapping[str, Any],
    *,
    timeout: float,
    max_retries: int,
    backoff_seconds: float = 0.5,
    sleep: Callable[[float], None] = time.sleep,
) -> Any:
    attempt = 0
    while True:
        try:
            return _post_once(url, headers, body, timeout)
        except ProviderError as exc:
            if not exc.retryable or attempt >= max_retries:
                raise
            retry_after = getattr(exc, "retry_after", None)
            delay = backoff_seconds * 2**attempt if retry_after is None else retry_after
            sleep(min(delay, MAX_RETRY_AFTER))
            attempt += 1


def _post_once(
    url: str, headers: Mapping[str, str], body: Mapping[str, Any], timeout: float
) -> Any:
    data = json.dumps(body).encode()
    request = urllib.request.Request(  # noqa: S310 - the URL comes from settings, https in production
        url,
        data=data,
        method="POST",
        headers={"Content-Type": "application/json", "Accept": "application/json", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            payload = response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:300].decode(errors="replace")
        error = ProviderError(
            f"HTTP {exc.code}: {detail}", status=exc.code, retryable=exc.code in RETRYABLE
        )
        retry_after = exc.headers.get("Retry-After") if exc.headers else None
        if retry_after and retry_after.replace(".", "", 1).isdigit():
            error.retry_after = float(retry_after)  # type: ignore[attr-defined]
        raise error from None
    except TimeoutError:
        raise ProviderError(f"timed out after {timeout:g} s", retryable=True) from None
    except urllib.error.URLError as exc:
        raise ProviderError(f"connection failed: {exc.reason}", retryable=True) from None
    try:
        return json.loads(payload)
    except ValueError:
        raise ProviderError("the provider answered with invalid JSON") from None
