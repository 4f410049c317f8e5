"""HTTP routes of the wallet and the admin ledger controls."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeInt,
    TypeAdapter,
    ValidationInfo,
    field_validator,
)

from shared.api.idempotency import idempotency_key
from shared.api.pagination import (
    NEXT_CURSOR_DESCRIPTION,
    OffsetPageQuery,
    PageQuery,
    deprecated,
    encode_cursor,
    offset_page,
)
from shared.api.params import Instant
from shared.api.spec import ApiError, ApiRequest, FieldError, Principal, Reply, route
from shared.ledger.holdings import holdings
from shared.ledger.operator import freeze_wallet, operator_move, supply_figures
from shared.ledger.postings import HistoryFilter, IdempotencyConflict, LedgerRejected, user_owner
from shared.ledger.recipients import DEFAULT_MISSES, MISSES, Recipients
from shared.ledger.reconciliation import Check, Invariant, reconcile
from shared.ledger.service import UNVERIFIED_SENDER, staked_owner
from shared.money import Token, to_decimal, to_minor

if TYPE_CHECKING:  # the root is above this layer: only its type is named here
    from shared.bootstrap.features import Features


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _amount_field() -> Any:
    return Field(gt=0, max_digits=22, decimal_places=6, description="Exact decimal, in tokens")


class TokenLock(BaseModel):
    kind: Literal["stake", "conviction"] = Field(
        description="`stake`: AIA you staked (earns the staking yield); `conviction`: "
        "AIA_GOV a vote with conviction holds until its lock ends"
    )
    amount: str = Field(description="How many tokens are held, as a decimal string")
    reason: str = Field(description="Why these tokens are held, in words")
    releases_at: datetime | None = Field(
        description="When they come back to your wallet (the governance job returns them "
        "within minutes of this time); null: whenever you ask (POST /v1/wallet/unstake)"
    )


class TokenHolding(BaseModel):
    balance: str = Field(description="All you hold of this token: available + locked")
    locked: str = Field(description="Held away from your wallet: stakes and conviction locks")
    available: str = Field(description="What you can send, stake, spend or lock now")
    locks: list[TokenLock] = Field(description="Each lock, soonest release first")


class Wallet(BaseModel):
    user_id: str = Field(description="Whose wallet this is")
    tokens: dict[Token, TokenHolding] = Field(
        description="Per token (AIA, AIA_GOV): balance, locked, available and the locks"
    )
    balances: dict[str, str] = Field(
        description="Available balance by token (the same as `tokens.<token>.available`)"
    )
    staked: dict[str, str] = Field(description="Staked AIA (also listed in `tokens` locks)")
    frozen: bool = Field(
        description="True when an admin froze the wallet: it can neither send nor receive"
    )


class TransferRequest(_Body):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"to": "grace@example.com", "token": "AIA", "amount": "10"},
                {"to": "@grace", "token": "AIA_GOV", "amount": "2.5"},
            ]
        },
    )
    to: str = Field(
        min_length=1,
        max_length=320,
        description="The recipient: their email address, their public handle (`@grace`) or "
        "their user id. An unknown recipient and one who cannot receive yet (address not "
        "verified) are both answered 404.",
        examples=["grace@example.com", "@grace"],
    )
    token: Token = Field(description="AIA (utility; transfers burn 0.1 %) or AIA_GOV")
    amount: Decimal = _amount_field()


class TransferReceipt(BaseModel):
    transfer_id: str = Field(description="The ledger entry of the transfer")
    to: str = Field(description="The recipient as the request named them")
    recipient_id: str = Field(description="The recipient's user id")
    token: Token = Field(description="The token sent")
    amount: str = Field(description="Tokens the recipient got, as a decimal string (6 decimals)")
    burned: str = Field(
        description="Tokens burned on top of `amount`, paid by the sender (a share of AIA "
        "transfers, 0.1 % by default; 0 for AIA_GOV)"
    )
    balance: str = Field(description="The sender's balance after the transfer")
    replayed: bool = Field(
        description="True when this Idempotency-Key was already used: nothing moved again"
    )


class StakeRequest(_Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{"amount": "100"}]})

    amount: Decimal = _amount_field()


class HistoryEntry(BaseModel):
    entry_id: str = Field(description="The ledger entry this line belongs to")
    kind: str = Field(
        description="What the entry was, e.g. transfer, charge, refund, stake, unstake"
    )
    token: Token = Field(description="The token moved")
    amount: str = Field(
        description="Tokens in (positive) or out (negative) of your wallet, as a decimal string"
    )
    balance_after: str = Field(description="Your balance of `token` after the entry")
    memo: str = Field(description="A note on the entry; empty if none")
    counterparties: list[str] = Field(
        description="The other accounts in the entry: user ids, or system accounts such "
        "as the treasury"
    )
    created_at: datetime = Field(description="When the entry was posted (UTC)")


class History(BaseModel):
    entries: list[HistoryEntry] = Field(description="This page of entries, newest first")
    next_cursor: str | None = Field(description=NEXT_CURSOR_DESCRIPTION)
    next_before: datetime | None = Field(
        description="Deprecated, use `next_cursor`: the `before` of the next page. Entries "
        "posted at the same instant as the page's last can be skipped by it",
        json_schema_extra={"deprecated": True},
    )


class HistoryQuery(PageQuery):
    # (created_at, line) of the last entry handed out: entries of one instant keep an order
    positions = TypeAdapter(tuple[Instant, NonNegativeInt])

    before: Instant | None = deprecated("Entries older than this instant (with its offset, e.g. Z)")

    @field_validator("before")
    @classmethod
    def _not_both(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        if value is not None and info.data.get("cursor") is not None:
            raise ValueError("give `cursor` or `before`, not both")
        return value

    token: Token | None = Field(default=None, description="Only entries moving this token")
    kind: str | None = Field(
        default=None,
        pattern=r"^[a-z][a-z_]{0,39}$",
        description="Only entries of this kind, e.g. transfer, charge, refund, stake, "
        "unstake, mint, burn",
    )
    from_: Instant | None = Field(
        default=None,
        alias="from",
        description="Only entries posted at or after this instant (with its offset, e.g. Z)",
    )
    to: Instant | None = Field(
        default=None, description="Only entries posted before this instant (with its offset)"
    )

    @field_validator("to")
    @classmethod
    def _after_from(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        since = info.data.get("from_")
        if value is not None and since is not None and value <= since:
            raise ValueError("`to` must be later than `from`")
        return value

    def legacy_start(self) -> tuple[datetime, int] | None:
        # line 0 precedes every line: the page starts with what is older than `before`
        return None if self.before is None else (self.before, 0)

    def matching(self) -> HistoryFilter:
        return HistoryFilter(token=self.token, kind=self.kind, since=self.from_, until=self.to)


class AdminMoveRequest(_Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "user_id": "6f1d2c3b-8a4e-4f5d-9c7b-0e1a2b3c4d5e",
                    "token": "AIA",
                    "amount": "1000",
                    "reason": "contest prize",
                }
            ]
        }
    )

    user_id: str = Field(
        min_length=1, max_length=64, description="The user whose wallet gets or loses tokens"
    )
    token: Token = Field(description="AIA or AIA_GOV")
    amount: Decimal = _amount_field()
    reason: str = Field(default="", max_length=300, description="Kept in the audit log")


class FreezeRequest(_Body):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"frozen": True, "reason": "chargeback under review"}]}
    )

    frozen: bool = Field(description="true freezes the wallet, false unfreezes it")
    reason: str = Field(min_length=1, max_length=300, description="Kept in the audit log")


class SupplyLine(BaseModel):
    token: Token = Field(description="The token")
    supply: str = Field(description="Tokens in existence: minted less burned")
    minted: str = Field(description="Tokens minted since the start")
    burned: str = Field(description="Tokens burned since the start")
    held: str = Field(description="Sum of all balances; equals supply when the books balance")
    cap: str = Field(
        description="The most that may ever exist (1,000,000,000 AIA; 100,000,000 AIA_GOV)"
    )


class Supply(BaseModel):
    tokens: list[SupplyLine] = Field(description="One line per token; amounts in tokens")


class LedgerCheck(BaseModel):
    invariant: Invariant = Field(
        description="`accounts_sum_to_zero`: every account of the token, issuance included, "
        "sums to 0; `supply_matches_issuance`: minted less burned equals what issuance has "
        "issued; `supply_within_cap`: the supply is at most the cap; `no_negative_balance`: "
        "no account but issuance is below zero; `balances_match_lines`: each balance is the "
        "sum of its ledger lines"
    )
    token: Token = Field(description="The token whose books were checked")
    holds: bool = Field(description="True when the invariant holds")
    detail: str = Field(
        description="The figures checked, in tokens; when it fails, what is wrong (up to "
        "20 accounts named)"
    )


class LedgerReconciliation(BaseModel):
    checked_at: datetime = Field(description="When the books were read (UTC)")
    balanced: bool = Field(description="True when every invariant holds for every token")
    checks: list[LedgerCheck] = Field(description="Every invariant, per token")
    failures: list[LedgerCheck] = Field(
        description="The checks that failed (empty when balanced): each one a bug or a hand "
        "edit of the ledger's tables to investigate; nothing is repaired automatically"
    )


def _rejected(exc: LedgerRejected) -> ApiError:
    status = 403 if exc.reason in ("frozen", "unverified") else 409
    return ApiError(
        status,
        exc.detail,
        title="Ledger Rule",
        problem=exc.reason.replace("_", "-"),
        extra=exc.shortfall(),
    )


def wallet(req: ApiRequest) -> Wallet:
    return wallet_of(req.features, req.require_principal().user_id)


def wallet_of(features: Features, user: str) -> Wallet:
    """A user's wallet as `GET /v1/wallet` answers it (the web app's pages read the same)."""
    store = features.ledger.store
    available = store.balances(user_owner(user))
    staked = store.balances(staked_owner(user))
    holds = holdings(store, user, features.lock_register.locks_of(user))
    tokens = {}
    for token in Token:
        locks = holds.get(token, [])
        locked = sum(lock.amount for lock in locks)
        tokens[token] = TokenHolding(
            balance=to_decimal(available.get(token, 0) + locked),
            locked=to_decimal(locked),
            available=to_decimal(available.get(token, 0)),
            locks=[
                TokenLock(
                    kind="stake" if lock.kind == "stake" else "conviction",
                    amount=to_decimal(lock.amount),
                    reason=lock.reason,
                    releases_at=lock.releases_at,
                )
                for lock in locks
            ],
        )
    return Wallet(
        user_id=user,
        tokens=tokens,
        balances={t.value: to_decimal(v) for t, v in available.items()},
        staked={t.value: to_decimal(v) for t, v in staked.items()},
        frozen=store.is_frozen(user_owner(user)),
    )


def _recipients(features: Features) -> Recipients:
    budget = features.platform.settings.rate_limits.get(MISSES, DEFAULT_MISSES)
    return Recipients(features.recipients, features.rate_limiter, budget)


def transfer(req: ApiRequest[TransferRequest]) -> Reply:
    key = idempotency_key(req)
    result = send_transfer(req.features, req.require_principal(), req.body, key)
    return Reply(result, status=200 if result.replayed else 201)


def send_transfer(
    features: Features, principal: Principal, body: TransferRequest, key: str
) -> TransferReceipt:
    """`POST /v1/wallet/transfers` for the API and the transfer page alike: an unverified
    sender is refused before any lookup, the recipient resolved as ADR 0024 says (NotFound
    the same for unknown and unverified, TooMany once the misses are spent), the ledger's
    refusals as ApiError (403 frozen/unverified, 409 otherwise)."""
    sender = principal.user_id
    if not principal.verified:  # before any lookup: throwaway accounts learn nothing
        raise ApiError(403, UNVERIFIED_SENDER, title="Ledger Rule", problem="unverified")
    recipient = _recipients(features).resolve(sender, body.to).user_id
    book = features.ledger
    try:
        receipt, burned = book.transfer(sender, recipient, body.token, to_minor(body.amount), key)
    except LedgerRejected as exc:
        raise _rejected(exc) from None
    except IdempotencyConflict as exc:
        raise ApiError(409, str(exc), problem="idempotency-key-reuse") from None
    balance = receipt.balances.get(f"{user_owner(sender)}:{body.token.value}", 0)
    return TransferReceipt(
        transfer_id=receipt.entry_id,
        to=body.to,
        recipient_id=recipient,
        token=body.token,
        amount=to_decimal(to_minor(body.amount)),
        burned=to_decimal(burned),
        balance=to_decimal(balance),
        replayed=receipt.replayed,
    )


def history(req: ApiRequest[None, HistoryQuery]) -> History:
    return history_page(req.features, req.require_principal().user_id, req.query)


def history_page(features: Features, user: str, query: HistoryQuery) -> History:
    """One page of a user's ledger entries, newest first, as `GET /v1/wallet/history`."""
    items = features.ledger.store.history(
        user_owner(user),
        query.limit + 1,
        query.start(),
        query.matching(),
    )
    more = len(items) > query.limit
    items = items[: query.limit]
    entries = [
        HistoryEntry(
            entry_id=i.entry_id,
            kind=i.kind,
            token=i.token,
            amount=to_decimal(i.amount),
            balance_after=to_decimal(i.balance_after),
            memo=i.memo,
            counterparties=list(i.counterparties),
            created_at=i.created_at,
        )
        for i in items
    ]
    last = items[-1] if more else None
    return History(
        entries=entries,
        next_cursor=None if last is None else encode_cursor((last.created_at, last.line_id)),
        next_before=None if last is None else last.created_at,
    )


def move_stake(
    features: Features, user: str, amount: Decimal, key: str, *, unstake: bool
) -> Wallet:
    """Stake or unstake AIA as `POST /v1/wallet/stake|unstake`: the ledger's refusals as
    ApiError (409 over balance), the wallet after."""
    book = features.ledger
    try:
        (book.unstake if unstake else book.stake)(user, to_minor(amount), key)
    except LedgerRejected as exc:
        raise _rejected(exc) from None
    except IdempotencyConflict as exc:
        raise ApiError(409, str(exc), problem="idempotency-key-reuse") from None
    return wallet_of(features, user)


def stake(req: ApiRequest[StakeRequest]) -> Wallet:
    key = idempotency_key(req)
    user = req.require_principal().user_id
    return move_stake(req.features, user, req.body.amount, key, unstake=False)


def unstake(req: ApiRequest[StakeRequest]) -> Wallet:
    key = idempotency_key(req)
    user = req.require_principal().user_id
    return move_stake(req.features, user, req.body.amount, key, unstake=True)


def _admin_move(req: ApiRequest[AdminMoveRequest], burn: bool) -> Reply:
    body = req.body
    admin = req.require_principal().user_id
    if req.features.directory.account(body.user_id) is None:
        raise ApiError(
            404, f"no user with id {body.user_id}", errors=[FieldError("user_id", "no such user")]
        )
    key = f"admin:{admin}:{idempotency_key(req, required=False)}"
    try:
        receipt = operator_move(
            req.features.ledger,
            admin,
            body.user_id,
            body.token,
            to_minor(body.amount),
            key,
            body.reason,
            burn=burn,
        )
    except LedgerRejected as exc:
        raise _rejected(exc) from None
    except IdempotencyConflict as exc:
        raise ApiError(409, str(exc), problem="idempotency-key-reuse") from None
    return Reply({"entry_id": receipt.entry_id, "replayed": receipt.replayed}, status=201)


def admin_mint(req: ApiRequest[AdminMoveRequest]) -> Reply:
    return _admin_move(req, burn=False)


def admin_burn(req: ApiRequest[AdminMoveRequest]) -> Reply:
    return _admin_move(req, burn=True)


def admin_freeze(req: ApiRequest[FreezeRequest]) -> Reply:
    body = req.body
    user_id = req.path_params["user_id"]
    if req.features.directory.account(user_id) is None:
        raise ApiError(404, f"no user with id {user_id}")
    admin = req.require_principal().user_id
    freeze_wallet(req.features.ledger, admin, user_id, body.frozen, body.reason)
    return Reply({"user_id": user_id, "frozen": body.frozen})


def admin_supply(req: ApiRequest) -> Supply:
    return Supply(
        tokens=[
            SupplyLine(
                token=f.token,
                supply=to_decimal(f.supply),
                minted=to_decimal(f.minted),
                burned=to_decimal(f.burned),
                held=to_decimal(f.held),
                cap=to_decimal(f.cap),
            )
            for f in supply_figures(req.features.ledger.store)
        ]
    )


def admin_reconciliation(req: ApiRequest) -> LedgerReconciliation:
    book = req.features.ledger
    result = reconcile(book.store, book.clock.now())

    def shown(check: Check) -> LedgerCheck:
        return LedgerCheck(
            invariant=check.invariant, token=check.token, holds=check.holds, detail=check.detail
        )

    return LedgerReconciliation(
        checked_at=result.checked_at,
        balanced=not result.failures,
        checks=[shown(c) for c in result.checks],
        failures=[shown(c) for c in result.failures],
    )


class AuditQuery(OffsetPageQuery):
    limit: int = Field(default=200, ge=1, le=500, description="Audit entries per page")


def admin_audit(req: ApiRequest[None, AuditQuery]) -> dict[str, Any]:
    query = req.query
    skip = query.skip()
    rows = req.features.ledger.store.audit_trail(query.limit + 1, skip)
    entries, next_cursor = offset_page(rows, query, skip)
    return {"entries": entries, "next_cursor": next_cursor}


ROUTES = [
    route(
        "GET",
        "/v1/wallet",
        wallet,
        "Balances of the caller",
        "wallet",
        response=Wallet,
        auth="user",
    ),
    route(
        "POST",
        "/v1/wallet/transfers",
        transfer,
        "Send tokens to another user",
        "wallet",
        body=TransferRequest,
        response=TransferReceipt,
        status=201,
        auth="user",
        errors=(403, 404, 409),
        description="Name the recipient by email address, public handle (`@grace`) or user "
        "id. An unknown recipient and one who cannot receive yet are both 404, the same "
        "answer; names that match no one are limited per sender (10 an hour, then 429 with "
        "Retry-After). Requires an Idempotency-Key header: a retried request returns the "
        "first result. AIA transfers burn 0.1 % on top of the amount, paid by the sender; "
        "a refusal states amounts in tokens, with the exact figures in minor units as "
        "problem members (`available_minor`, `needed_minor`).",
        replays=True,
        idempotency_key="required",
    ),
    route(
        "GET",
        "/v1/wallet/history",
        history,
        "The caller's ledger entries, newest first",
        "wallet",
        query=HistoryQuery,
        response=History,
        auth="user",
    ),
    route(
        "POST",
        "/v1/wallet/stake",
        stake,
        "Stake AIA (earns the staking yield)",
        "wallet",
        body=StakeRequest,
        response=Wallet,
        auth="user",
        errors=(409,),
        description="Requires an Idempotency-Key header (a name you choose for this one "
        "operation): a retry with the same key moves the tokens once.",
        idempotency_key="required",
    ),
    route(
        "POST",
        "/v1/wallet/unstake",
        unstake,
        "Unstake AIA",
        "wallet",
        body=StakeRequest,
        response=Wallet,
        auth="user",
        errors=(409,),
        description="Requires an Idempotency-Key header (a name you choose for this one "
        "operation): a retry with the same key moves the tokens once.",
        idempotency_key="required",
    ),
    route(
        "POST",
        "/v1/admin/mint",
        admin_mint,
        "Mint tokens from the treasury to a user",
        "admin",
        body=AdminMoveRequest,
        status=201,
        auth="admin",
        errors=(404, 409),
        idempotency_key="optional",
    ),
    route(
        "POST",
        "/v1/admin/burn",
        admin_burn,
        "Burn a user's tokens through the treasury",
        "admin",
        body=AdminMoveRequest,
        status=201,
        auth="admin",
        errors=(404, 409),
        idempotency_key="optional",
    ),
    route(
        "POST",
        "/v1/admin/wallets/{user_id}/freeze",
        admin_freeze,
        "Freeze or unfreeze a wallet",
        "admin",
        body=FreezeRequest,
        auth="admin",
        errors=(404,),
    ),
    route(
        "GET",
        "/v1/admin/ledger/supply",
        admin_supply,
        "Token supply and holdings",
        "admin",
        response=Supply,
        auth="admin",
    ),
    route(
        "GET",
        "/v1/admin/ledger/reconciliation",
        admin_reconciliation,
        "The ledger's invariants, checked now",
        "admin",
        response=LedgerReconciliation,
        auth="admin",
        description="Reads the books of each token in one snapshot and checks them: the "
        "accounts sum to zero, the supply counter agrees with issuance and the cap, no "
        "wallet is negative, every balance is the sum of its lines. Read-only: it moves "
        "no tokens and repairs nothing.",
    ),
    route(
        "GET",
        "/v1/admin/ledger/audit",
        admin_audit,
        "The ledger's audit trail",
        "admin",
        query=AuditQuery,
        auth="admin",
        description="Newest first: mints, burns and freezes with the admin and the reason; "
        "`next_cursor` fetches the next page.",
    ),
]
