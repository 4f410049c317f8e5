"""Secrets from Secret Manager: the latest enabled version of `projects/P/secrets/NAME`.

Values are cached for `ttl_seconds` so a hot path does not call the API per request,
and a rotated secret is seen within that time. With `endpoint` (a local stand-in,
`http://host:port` or `host:port`) the client uses REST and anonymous credentials."""

from __future__ import annotations

import threading
import time

from google.api_core import exceptions as gexc
from google.api_core.client_options import ClientOptions
from google.auth.credentials import AnonymousCredentials
from google.cloud import secretmanager

from shared.ports.secrets import SecretNotFound

DEFAULT_TTL_SECONDS = 60.0


class SecretManagerSecrets:
    def __init__(
        self, project: str, endpoint: str | None = None, ttl_seconds: float = DEFAULT_TTL_SECONDS
    ) -> None:
        self._project = project
        self._endpoint = endpoint
        self._ttl = ttl_seconds
        self._client: secretmanager.SecretManagerServiceClient | None = None
        self._cache: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()

    def _secrets(self) -> secretmanager.SecretManagerServiceClient:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = self._new_client()
        return self._client

    def _new_client(self) -> secretmanager.SecretManagerServiceClient:
        if not self._endpoint:
            return secretmanager.SecretManagerServiceClient()
        endpoint = self._endpoint
        if "://" not in endpoint:
            endpoint = f"http://{endpoint}"
        return secretmanager.SecretManagerServiceClient(
            transport="rest",
            credentials=AnonymousCredentials(),  # type: ignore[no-untyped-call]
            client_options=ClientOptions(api_endpoint=endpoint),
        )

    def get(self, name: str) -> str:
        now = time.monotonic()
        cached = self._cache.get(name)
        if cached is not None and cached[0] > now:
            return cached[1]
        path = f"projects/{self._project}/secrets/{name}/versions/latest"
        try:
            response = self._secrets().access_secret_version(name=path, timeout=10)
        except (gexc.NotFound, gexc.FailedPrecondition) as exc:
            raise SecretNotFound(f"secret {name!r} has no enabled version: {exc}") from None
        value = bytes(response.payload.data).decode("utf-8")
        self._cache[name] = (now + self._ttl, value)
        return value

    def ping(self) -> None:
        """The service answers. An accessor-only identity may not list secrets: a
        permission error still proves the service is reachable."""
        try:
            self._secrets().list_secrets(
                request={"parent": f"projects/{self._project}", "page_size": 1}, timeout=10
            )
        except gexc.PermissionDenied:
            return

    def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.transport.close()  # type: ignore[no-untyped-call, unused-ignore]
