"""Secrets from the environment (the embedded default). A secret named `jwt-signing-key`
is read from `AIA_SECRET_JWT_SIGNING_KEY`, then `JWT_SIGNING_KEY`."""

from __future__ import annotations

import os
from collections.abc import Mapping

from shared.ports.secrets import SecretNotFound


def env_names(name: str) -> tuple[str, str]:
    base = name.upper().replace("-", "_").replace(".", "_")
    return f"AIA_SECRET_{base}", base


class EnvironmentSecrets:
    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = environ if environ is not None else os.environ

    def get(self, name: str) -> str:
        for candidate in env_names(name):
            value = self._environ.get(candidate)
            if value:
                return value
        raise SecretNotFound(f"secret {name!r} is not set ({' or '.join(env_names(name))})")

    def ping(self) -> None:
        return None
