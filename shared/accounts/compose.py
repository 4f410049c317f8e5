"""Deprecated: `accounts(platform)` for the callers in other features (agents, governance,
email, on other branches) until they take `Features.accounts` or `Features.directory`.
The root builds the feature (shared/bootstrap/accounts.py); this only finds the root's
instance. To remove when those branches are merged."""

from __future__ import annotations

from shared.accounts.feature import Accounts
from shared.platform import Platform

__all__ = ["Accounts", "accounts"]


def accounts(platform: Platform) -> Accounts:
    from shared.bootstrap.root import current_features

    features = current_features()
    if features.platform is not platform:
        raise RuntimeError("accounts(platform) serves only the installed root's platform")
    return features.accounts
