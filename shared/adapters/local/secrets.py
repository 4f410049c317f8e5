"""Secrets from the environment (the embedded default). A secret named `jwt-signing-key`
is read from `AIA_SECRET_JWT_SIGNING_KEY`, then `JWT_SIGNING_KEY`."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Mapping
from pathlib import Path

from shared.ports.secrets import SecretNotFound, Secrets


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


_generate_lock = threading.Lock()


def secret_or_generated(
    secrets: Secrets, name: str, *, local: bool, path: Path, generate: Callable[[], str]
) -> str:
    """The secret `name`; on embedded runs (`local`) a missing one is generated once and
    kept at `path` (mode 0600) beside the data, so what it signs survives a restart.
    Production secrets come from Secret Manager only: missing there is an error."""
    try:
        return secrets.get(name)
    except SecretNotFound:
        if not local:
            raise
    with _generate_lock:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(generate())
            logging.getLogger("aia.secrets").info(
                "generated a local secret", extra={"secret": name, "path": str(path)}
            )
    return path.read_text()
