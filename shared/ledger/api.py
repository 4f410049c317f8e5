"""HTTP routes of the wallet and the admin ledger controls."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shared.api.idempotency import idempotency_key
from shared.api.params import Instant
from shared.api.spec import AnyRequest, ApiError, ApiRequest, FieldError, Reply, route
from shared.ledger.postings import IdempotencyConflict, LedgerRejected, user_owner
from shared.ledger.service import staked_owner
from shared.money import CAPS, Token, to_decimal, to_minor


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _amount_field() -> Any:
    return Field(gt=0, max_digits=22, decimal_places=6, description="Exact decimal, in tokens")


class Wallet(BaseModel):
    user_id: str
    balances: dict[str, str] = Field(description="Spendable balance by token (AIA, AIA_GOV)")
    staked: dict[str, str]
    frozen: bool


class TransferRequest(_Body):
    to: str = Field(min_length=1, max_length=64, description="The recipient's user id")
    token: Token
    amount: Decimal = _amount_field()


class TransferReceipt(BaseModel):
    transfer_id: str
    to: str
    token: Token
    amount: str
    burned: str
    balance: str = Field(description="The sender's balance after the transfer")
    replayed: bool


class StakeRequest(_Body):
    amount: Decimal = _amount_field()


class HistoryEntry(BaseModel):
    entry_id: str
    kind: str
    token: Token
    amount: str
    balance_after: str
    memo: str
    counterparties: list[str]
    created_at: datetime


class History(BaseModel):
    entries: list[HistoryEntry]
    next_before: datetime | None


class HistoryQuery(BaseModel):
    limit: int = Field(default=50, ge=1, le=500)
    before: Instant | None = Field(
        default=None, description="Entries older than this instant (with its offset, e.g. Z)"
    )


class AdminMoveRequest(_Body):
    user_id: str = Field(min_length=1, max_length=64)
    token: Token
    amount: Decimal = _amount_field()
    reason: str = Field(default="", max_length=300)


class FreezeRequest(_Body):
    frozen: bool
    reason: str = Field(min_length=1, max_length=300)


class SupplyLine(BaseModel):
    token: Token
    supply: str
    minted: str
    burned: str
    held: str = Field(description="Sum of all balances; equals supply when the books balance")
    cap: str


class Supply(BaseModel):
    tokens: list[SupplyLine]


def _rejected(exc: LedgerRejected) -> ApiError:
    status = 403 if exc.reason in ("frozen", "unverified") else 409
    return ApiError(status, exc.detail, title="Ledger Rule", problem=exc.reason.replace("_", "-"))


def wallet(req: ApiRequest) -> Wallet:
    return _wallet_of(req.require_principal().user_id, req)


def _wallet_of(user: str, req: AnyRequest) -> Wallet:
    store = req.features.ledger.store
    return Wallet(
        user_id=user,
        balances={t.value: to_decimal(v) for t, v in store.balances(user_owner(user)).items()},
        staked={t.value: to_decimal(v) for t, v in store.balances(staked_owner(user)).items()},
        frozen=store.is_frozen(user_owner(user)),
    )


def transfer(req: ApiRequest[TransferRequest]) -> Reply:
    body = req.body
    sender = req.require_principal().user_id
    key = idempotency_key(req)
    if req.features.directory.account(body.to) is None:
        raise ApiError(400, f"no user with id {body.to}", errors=[FieldError("to", "unknown user")])
    book = req.features.ledger
    try:
        receipt, burned = book.transfer(sender, body.to, body.token, to_minor(body.amount), key)
    except LedgerRejected as exc:
        raise _rejected(exc) from None
    except IdempotencyConflict as exc:
        raise ApiError(409, str(exc), problem="idempotency-key-reuse") from None
    balance = receipt.balances.get(f"{user_owner(sender)}:{body.token.value}", 0)
    result = TransferReceipt(
        transfer_id=receipt.entry_id,
        to=body.to,
        token=body.token,
        amount=to_decimal(to_minor(body.amount)),
        burned=to_decimal(burned),
        balance=to_decimal(balance),
        replayed=receipt.replayed,
    )
    return Reply(result, status=200 if receipt.replayed else 201)


def history(req: ApiRequest[None, HistoryQuery]) -> History:
    query = req.query
    items = req.features.ledger.store.history(
        user_owner(req.require_principal().user_id), query.limit, query.before
    )
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
    more = len(entries) == query.limit
    return History(entries=entries, next_before=entries[-1].created_at if more else None)


def _staking(req: ApiRequest[StakeRequest], unstake: bool) -> Wallet:
    user = req.require_principal().user_id
    book = req.features.ledger
    amount = to_minor(req.body.amount)
    key = idempotency_key(req)
    try:
        (book.unstake if unstake else book.stake)(user, amount, key)
    except LedgerRejected as exc:
        raise _rejected(exc) from None
    except IdempotencyConflict as exc:
        raise ApiError(409, str(exc), problem="idempotency-key-reuse") from None
    return _wallet_of(user, req)


def stake(req: ApiRequest[StakeRequest]) -> Wallet:
    return _staking(req, unstake=False)


def unstake(req: ApiRequest[StakeRequest]) -> Wallet:
    return _staking(req, unstake=True)


def _admin_move(req: ApiRequest[AdminMoveRequest], burn: bool) -> Reply:
    body = req.body
    admin = req.require_principal().user_id
    if req.features.directory.account(body.user_id) is None:
        raise ApiError(
            400, f"no user with id {body.user_id}", errors=[FieldError("user_id", "unknown user")]
        )
    book = req.features.ledger
    key = f"admin:{admin}:{idempotency_key(req, required=False)}"
    amount = to_minor(body.amount)
    try:
        if burn:
            receipt = book.burn(body.token, amount, key, f"admin:{admin}", from_user=body.user_id)
        else:
            receipt = book.mint(body.token, amount, key, f"admin:{admin}", to_user=body.user_id)
    except LedgerRejected as exc:
        raise _rejected(exc) from None
    except IdempotencyConflict as exc:
        raise ApiError(409, str(exc), problem="idempotency-key-reuse") from None
    if not receipt.replayed:
        book.store.audit(
            book.clock.now(),
            f"admin:{admin}",
            "burn" if burn else "mint",
            user_owner(body.user_id),
            {
                "token": body.token.value,
                "amount": to_decimal(amount),
                "reason": body.reason,
                "entry_id": receipt.entry_id,
            },
        )
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
    book = req.features.ledger
    now = book.clock.now()
    book.store.set_frozen(user_owner(user_id), body.frozen, now)
    book.store.audit(
        now,
        f"admin:{req.require_principal().user_id}",
        "freeze" if body.frozen else "unfreeze",
        user_owner(user_id),
        {"reason": body.reason},
    )
    return Reply({"user_id": user_id, "frozen": body.frozen})


def admin_supply(req: ApiRequest) -> Supply:
    store = req.features.ledger.store
    lines = []
    for token in Token:
        supply, minted, burned = store.supply(token)
        lines.append(
            SupplyLine(
                token=token,
                supply=to_decimal(supply),
                minted=to_decimal(minted),
                burned=to_decimal(burned),
                held=to_decimal(store.total_balance(token)),
                cap=to_decimal(CAPS[token]),
            )
        )
    return Supply(tokens=lines)


def admin_audit(req: ApiRequest) -> dict[str, Any]:
    return {"entries": req.features.ledger.store.audit_trail(200)}


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
        errors=(403, 409),
        description="Requires an Idempotency-Key header: a retried request returns the first "
        "result. AIA transfers burn 0.1 % on top of the amount, paid by the sender.",
        replays=True,
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
        errors=(409,),
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
        errors=(409,),
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
        "/v1/admin/ledger/audit",
        admin_audit,
        "The ledger's audit trail",
        "admin",
        auth="admin",
    ),
]
