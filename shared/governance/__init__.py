"""Governance after OpenZeppelin Governor / Compound Governor Bravo: AIA_GOV holders
delegate, propose typed changes to the flagship economy's policy, vote at a snapshot,
and a succeeded proposal is queued behind a timelock and executed (docs/decisions/0010)."""
