"""The lock register (`shared.ports.locks`) answered by governance: each vote cast with
conviction holds the voter's AIA_GOV until `release_at`, when the scheduled governance job
gives it back (within minutes; at once if the proposal is canceled)."""

from __future__ import annotations

from shared.governance.records import GovernanceStore
from shared.money import Token
from shared.ports.locks import HeldTokens


class ConvictionLocks:
    def __init__(self, store: GovernanceStore) -> None:
        self._store = store

    def locks_of(self, user_id: str) -> list[HeldTokens]:
        return [
            HeldTokens(
                account=vote.lock_owner,
                token=Token.AIA_GOV,
                kind="conviction",
                reason=f"conviction {vote.conviction} on your vote on proposal {vote.proposal_id}",
                releases_at=vote.release_at,
            )
            for vote in self._store.locks_of(user_id)  # soonest release first
        ]
