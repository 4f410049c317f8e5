from __future__ import annotations

from typing import Protocol


class SecretNotFound(LookupError):
    """The named secret does not exist (or has no enabled version)."""


class Secrets(Protocol):
    """Secret values by name (Secret Manager in production)."""

    def get(self, name: str) -> str:
        """The latest value of `name`; raises `SecretNotFound`."""
        ...

    def ping(self) -> None: ...
