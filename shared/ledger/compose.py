"""Deprecated: `ledger(platform)` for the callers in other features (agents, governance,
and `charge_for`/`refund_for`, on other branches) until they take `Features.ledger`,
`Features.paid_work` or a port. The root builds the ledger (shared/bootstrap/ledger.py);
this only finds the root's instance. To remove when those branches are merged."""

from __future__ import annotations

from shared.ledger.service import Ledger
from shared.platform import Platform


def ledger(platform: Platform) -> Ledger:
    from shared.bootstrap.root import current_features

    features = current_features()
    if features.platform is not platform:
        raise RuntimeError("ledger(platform) serves only the installed root's platform")
    return features.ledger
