"""Ledger use cases: transfers with the AIA burn, treasury mint and burn, charges and
refunds for paid work, purchases, staking and the scheduled issuance."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from shared.ledger.postings import (
    ISSUANCE,
    TREASURY,
    LedgerRejected,
    LedgerStore,
    Line,
    Posting,
    Receipt,
    movement,
    user_owner,
)
from shared.money import Token, basis_points, in_tokens, percent
from shared.ports.clock import Clock

DAYS_PER_YEAR = 365
UNVERIFIED_SENDER = "verify your email address before sending transfers"


def staked_owner(user_id: str) -> str:
    return f"staked:{user_id}"


@dataclass(frozen=True)
class TokenPolicy:
    """Token economics (the user's earlier design; governance may change them)."""

    transfer_burn_bps: int = 10  # 0.1 % of each AIA transfer is burned
    aia_inflation_bps_per_year: int = 200  # 2 % a year, minted to the treasury
    staking_yield_bps_per_year: int = 800  # 8 % a year on staked AIA, from the treasury


def charge_posting(user_id: str, amount: int, key: str, memo: str) -> Posting:
    """What `Ledger.charge` posts, for a feature that posts it in its own transaction."""
    return movement(
        "charge",
        user_owner(user_id),
        TREASURY,
        Token.AIA,
        amount,
        f"charge:{key}",
        f"user:{user_id}",
        memo,
    )


def refund_posting(user_id: str, amount: int, key: str, memo: str) -> Posting:
    """What `Ledger.refund` posts, for a feature that posts it in its own transaction."""
    return movement(
        "refund",
        TREASURY,
        user_owner(user_id),
        Token.AIA,
        amount,
        f"refund:{key}",
        "system",
        memo,
    )


def _anyone(_: str) -> bool:
    return True


class Ledger:
    def __init__(
        self,
        store: LedgerStore,
        clock: Clock,
        policy: TokenPolicy,
        may_transfer: Callable[[str], bool] = _anyone,
    ) -> None:
        self.store = store
        self.clock = clock
        self.policy = policy
        # Whether a user may send or receive transfers (accounts: a verified address), so
        # unverified sign-ups cannot funnel their AIA into one wallet.
        self._may_transfer = may_transfer

    def _post(self, posting: Posting) -> Receipt:
        return self.store.post(posting, self.clock.now())

    def transfer(
        self, sender: str, recipient: str, token: Token, amount: int, key: str
    ) -> tuple[Receipt, int]:
        """Move `amount` to the recipient; on AIA the sender also pays the burn."""
        if amount <= 0:
            raise LedgerRejected("invalid_amount", "amount must be positive")
        if sender == recipient:
            raise LedgerRejected("same_account", "cannot transfer to yourself")
        if not self._may_transfer(sender):
            raise LedgerRejected("unverified", UNVERIFIED_SENDER)
        if not self._may_transfer(recipient):
            raise LedgerRejected(
                "unverified", "the recipient has not verified their email address yet"
            )
        burn = self.transfer_burn(token, amount)
        lines = [
            Line(user_owner(sender), token, -(amount + burn)),
            Line(user_owner(recipient), token, amount),
        ]
        if burn:
            lines.append(Line(ISSUANCE, token, burn))
        posting = Posting(
            idempotency_key=f"transfer:{sender}:{key}",
            kind="transfer",
            lines=tuple(lines),
            actor=f"user:{sender}",
            details={"burn": burn},
        )
        try:
            return self._post(posting), burn
        except LedgerRejected as exc:
            raise self._transfer_refusal(exc, sender, burn) from None

    def transfer_burn(self, token: Token, amount: int) -> int:
        """What a transfer of `amount` burns on top, paid by the sender (AIA only)."""
        return basis_points(amount, self.policy.transfer_burn_bps) if token is Token.AIA else 0

    def _transfer_refusal(self, exc: LedgerRejected, sender: str, burn: int) -> LedgerRejected:
        """The sender's words for a refused transfer: amounts in tokens, the burn shown."""
        mine = exc.owner == user_owner(sender)
        if exc.reason == "frozen":
            whose = "your wallet" if mine else "the recipient's wallet"
            return LedgerRejected("frozen", f"{whose} is frozen", owner=exc.owner)
        if exc.reason != "insufficient_funds" or exc.token is None:
            return exc
        template = "you have {held}; this needs {needed}"
        if burn:
            rate, burned = percent(self.policy.transfer_burn_bps), in_tokens(burn, exc.token)
            template += f" including the {rate} burn ({burned})"
        return _restated(exc, template)

    def mint(
        self, token: Token, amount: int, key: str, actor: str, to_user: str | None = None
    ) -> Receipt:
        """New supply into the treasury (and on to a user when `to_user` is given)."""
        lines = [Line(ISSUANCE, token, -amount), Line(TREASURY, token, amount)]
        if to_user is not None:
            lines += [Line(TREASURY, token, -amount), Line(user_owner(to_user), token, amount)]
        return self._post(Posting(key, "mint", tuple(lines), actor=actor))

    def burn(
        self, token: Token, amount: int, key: str, actor: str, from_user: str | None = None
    ) -> Receipt:
        """Destroy supply held by the treasury (taken from a user first when given)."""
        lines = [Line(TREASURY, token, -amount), Line(ISSUANCE, token, amount)]
        if from_user is not None:
            lines += [Line(user_owner(from_user), token, -amount), Line(TREASURY, token, amount)]
        return self._post(Posting(key, "burn", tuple(lines), actor=actor))

    def move(
        self,
        kind: str,
        source: str,
        target: str,
        token: Token,
        amount: int,
        key: str,
        actor: str,
        memo: str = "",
    ) -> Receipt:
        return self._post(movement(kind, source, target, token, amount, key, actor, memo))

    def charge(self, user_id: str, amount: int, key: str, memo: str) -> Receipt:
        """A user pays AIA for platform work (simulations, reports)."""
        return self._post(charge_posting(user_id, amount, key, memo))

    def refund(self, user_id: str, amount: int, key: str, memo: str) -> Receipt:
        """Give a charge back when the paid work failed (once per charge)."""
        return self._post(refund_posting(user_id, amount, key, memo))

    def stake(self, user_id: str, amount: int, key: str) -> Receipt:
        try:
            return self.move(
                "stake",
                user_owner(user_id),
                staked_owner(user_id),
                Token.AIA,
                amount,
                f"stake:{user_id}:{key}",
                f"user:{user_id}",
            )
        except LedgerRejected as exc:
            raise _restated(exc, "you have {held} available; staking this needs {needed}") from None

    def unstake(self, user_id: str, amount: int, key: str) -> Receipt:
        try:
            return self.move(
                "unstake",
                staked_owner(user_id),
                user_owner(user_id),
                Token.AIA,
                amount,
                f"unstake:{user_id}:{key}",
                f"user:{user_id}",
            )
        except LedgerRejected as exc:
            raise _restated(exc, "you have {held} staked; unstaking this needs {needed}") from None

    def daily_issuance(self, day: date) -> Receipt | None:
        """The yearly AIA inflation, minted to the treasury one day at a time (once per day)."""
        # Computed from the supply as the day began, so a re-run asks for the same amount.
        supply = -self.store.balance_at(ISSUANCE, Token.AIA, _day_start(day))
        amount = basis_points(supply, self.policy.aia_inflation_bps_per_year) // DAYS_PER_YEAR
        if amount <= 0:
            return None
        return self.mint(
            Token.AIA, amount, f"inflation:{day.isoformat()}", actor="system:inflation"
        )

    def settle_day(self, day: date) -> int:
        """The day's issuance and every staker's reward; safe to run again."""
        postings = 0 if self.daily_issuance(day) is None else 1
        for owner in self.store.holders("staked:", Token.AIA):
            if self.staking_reward(owner.removeprefix("staked:"), day) is not None:
                postings += 1
        return postings

    def staking_reward(self, user_id: str, day: date) -> Receipt | None:
        staked = self.store.balance_at(staked_owner(user_id), Token.AIA, _day_start(day))
        amount = basis_points(staked, self.policy.staking_yield_bps_per_year) // DAYS_PER_YEAR
        if amount <= 0:
            return None
        return self.move(
            "staking_reward",
            TREASURY,
            user_owner(user_id),
            Token.AIA,
            amount,
            f"staking-reward:{user_id}:{day.isoformat()}",
            "system:staking",
        )


def _restated(exc: LedgerRejected, template: str) -> LedgerRejected:
    """An overdraft said in the user's words (`{held}`, `{needed}` in tokens); any other
    refusal as it was."""
    if exc.reason != "insufficient_funds" or exc.token is None:
        return exc
    detail = template.format(
        held=in_tokens(exc.held, exc.token), needed=in_tokens(exc.needed, exc.token)
    )
    return LedgerRejected(
        exc.reason, detail, owner=exc.owner, token=exc.token, held=exc.held, needed=exc.needed
    )


def _day_start(day: date) -> datetime:
    """The last instant before `day` began (UTC): balances then are the day's basis."""
    return datetime.combine(day, time(0), tzinfo=UTC) - timedelta(microseconds=1)
