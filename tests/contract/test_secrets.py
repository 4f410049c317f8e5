"""Secrets contract: EnvironmentSecrets and SecretManagerSecrets (on the Secret Manager
stand-in, REST transport) give a secret's latest value or raise SecretNotFound."""

from __future__ import annotations

import pytest

from shared.ports.secrets import SecretNotFound

from .conftest import SecretsHarness, unique


def test_get_existing(secrets: SecretsHarness) -> None:
    name = unique("jwt-signing-key")
    secrets.put(name, "s3cr3t value ✓ with spaces\nand a newline")
    assert secrets.adapter().get(name) == "s3cr3t value ✓ with spaces\nand a newline"


def test_missing_raises_secret_not_found(secrets: SecretsHarness) -> None:
    adapter = secrets.adapter()
    with pytest.raises(SecretNotFound):
        adapter.get(unique("never-created"))
    with pytest.raises(LookupError):  # SecretNotFound is a LookupError
        adapter.get(unique("never-created"))


def test_latest_value_wins(secrets: SecretsHarness) -> None:
    name = unique("api-token")
    secrets.put(name, "v1")
    secrets.put(name, "v2")
    assert secrets.adapter().get(name) == "v2"


def test_a_missing_secret_found_later_is_served(secrets: SecretsHarness) -> None:
    name = unique("late-secret")
    adapter = secrets.adapter()
    with pytest.raises(SecretNotFound):
        adapter.get(name)
    secrets.put(name, "here now")  # a miss is not cached
    assert adapter.get(name) == "here now"


def test_ping(secrets: SecretsHarness) -> None:
    secrets.adapter().ping()
