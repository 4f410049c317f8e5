"""The wallet's pages: balances and history with filters (`GET /v1/wallet`,
`GET /v1/wallet/history`), transfers by email address with a confirmation step
(`POST /v1/wallet/transfers`, ADR 0024), staking (`POST /v1/wallet/stake|unstake`) and
buying AIA through Stripe Checkout (`POST /v1/payments/checkout`, then
`GET /v1/payments/checkout/{session_id}` on the return page). Each calls the same function
the API route calls, with the same checks: tokens are money."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from pydantic import ValidationError

from shared.api.spec import ApiError
from shared.errors import DomainError
from shared.ledger.api import (
    HistoryEntry,
    HistoryQuery,
    StakeRequest,
    TransferRequest,
    history_page,
    move_stake,
    send_transfer,
    wallet_of,
)
from shared.ledger.holdings import STAKE_REASON
from shared.ledger.payments.api import SESSION_ID, checkout_status
from shared.ledger.payments.gateway import PaymentsNotConfigured
from shared.ledger.payments.service import UnknownPack
from shared.ledger.service import UNVERIFIED_SENDER
from shared.money import Token, in_tokens, percent, to_minor
from shared.web.account_pages import sign_in_first
from shared.web.render import render_page
from shared.web.spec import Page, PageReply, PageRequest

PAGE_SIZE = 20
# The kinds of ledger entry a wallet sees, as the history filter offers them
KINDS = {
    "transfer": "Transfers",
    "purchase": "Purchases (card)",
    "purchase_refund": "Purchase refunds",
    "signup_grant": "Welcome grant",
    "charge": "Charges for work",
    "refund": "Refunds of charges",
    "stake": "Stakes",
    "unstake": "Unstakes",
    "staking_reward": "Staking rewards",
    "agent_reward": "Agent rewards",
    "governance_lock": "Conviction locks",
    "governance_unlock": "Conviction releases",
    "mint": "Minted to you",
    "burn": "Burned from you",
}
# ... and one entry of each kind, as a history row names it
ENTRY_NAMES = {
    "transfer": "Transfer",
    "purchase": "Purchase (card)",
    "purchase_refund": "Purchase refund",
    "signup_grant": "Welcome grant",
    "charge": "Charge for work",
    "refund": "Refund of a charge",
    "stake": "Stake",
    "unstake": "Unstake",
    "staking_reward": "Staking reward",
    "agent_reward": "Agent reward",
    "governance_lock": "Conviction lock",
    "governance_unlock": "Conviction release",
    "mint": "Minted to you",
    "burn": "Burned from you",
}
_STATUS_OF_KIND = {
    "invalid": 400,
    "payment_required": 402,
    "forbidden": 403,
    "not_found": 404,
    "conflict": 409,
    "too_many": 429,
    "unavailable": 503,
}
PICK_AIA_OR_GOV = "choose AIA or AIA_GOV"
AMOUNT_HINT = "In tokens, e.g. 12.5 (at most 6 decimals)"


@dataclass(frozen=True)
class EntryRow:
    """A ledger entry as a person reads it."""

    at: datetime
    kind: str
    amount: str  # signed, in tokens: "+12.5 AIA", "-0.5 AIA_GOV"
    incoming: bool
    balance_after: str
    memo: str


def entry_rows(entries: list[HistoryEntry]) -> list[EntryRow]:
    rows = []
    for e in entries:
        minor = to_minor(e.amount)
        sign = "+" if minor > 0 else "-" if minor < 0 else ""
        rows.append(
            EntryRow(
                at=e.created_at,
                kind=ENTRY_NAMES.get(e.kind, e.kind.replace("_", " ").capitalize()),
                amount=sign + in_tokens(abs(minor), e.token),
                incoming=minor > 0,
                balance_after=in_tokens(to_minor(e.balance_after), e.token),
                memo=e.memo,
            )
        )
    return rows


def _common(req: PageRequest, title: str, **values: Any) -> dict[str, Any]:
    return {"title": title, "user": req.principal, "csrf_token": req.csrf_token, **values}


def _key(req: PageRequest) -> str:
    """The Idempotency-Key of a form's one operation: made when the form is shown and
    sent back with it, so a double click or a resent POST moves the tokens once."""
    given = req.field("key")
    return given if 8 <= len(given) <= 64 and given.replace("-", "").isalnum() else ""


def _status(exc: DomainError) -> int:
    return _STATUS_OF_KIND.get(exc.kind, 400)


# -- /wallet ---------------------------------------------------------------------------


def wallet(req: PageRequest) -> PageReply:
    if req.principal is None:
        return sign_in_first(req, _here("/wallet", req.query), "your wallet")
    user = req.principal.user_id
    filters, errors, query = _history_filters(req.query)
    history = None if query is None else history_page(req.features, user, query)
    more = None
    if history is not None and history.next_cursor:
        more = "/wallet?" + urlencode({**_filter_params(filters), "cursor": history.next_cursor})
    values = _common(
        req,
        "Your wallet",
        holdings=_holdings(req, user),
        frozen=wallet_of(req.features, user).frozen,
        filters=filters,
        errors=errors,
        kinds=KINDS,
        token_options=[(t.value, t.value) for t in Token],
        rows=[] if history is None else entry_rows(history.entries),
        more=more,
        filtered=any(filters.values()),
        first_page=not req.query.get("cursor"),
        wide=True,
    )
    return PageReply(render_page("wallet.html.j2", **values), status=400 if errors else 200)


def _here(path: str, query: Any) -> str:
    return f"{path}?{urlencode(dict(query))}" if query else path


def _holdings(req: PageRequest, user: str) -> list[dict[str, Any]]:
    wallet = wallet_of(req.features, user)
    shown = []
    for token, holding in wallet.tokens.items():
        shown.append(
            {
                "token": token.value,
                "available": in_tokens(to_minor(holding.available), token),
                "locked": in_tokens(to_minor(holding.locked), token),
                "balance": in_tokens(to_minor(holding.balance), token),
                "locks": [
                    {
                        "amount": in_tokens(to_minor(lock.amount), token),
                        "kind": lock.kind,
                        "reason": lock.reason,
                        "releases_at": lock.releases_at,
                    }
                    for lock in holding.locks
                ],
            }
        )
    return shown


def _filter_params(filters: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in filters.items() if v}


def _history_filters(
    params: Any,
) -> tuple[dict[str, str], dict[str, str], HistoryQuery | None]:
    """The filter form's values, errors beside its fields, and the API's own query built
    from them (None when a value is wrong). Days are whole UTC days: `to` includes its day."""
    filters = {
        name: str(params.get(name, "")).strip()[:40] for name in ("token", "kind", "from", "to")
    }
    errors: dict[str, str] = {}
    if filters["token"] and filters["token"] not in {t.value for t in Token}:
        errors["token"] = PICK_AIA_OR_GOV
    if filters["kind"] and filters["kind"] not in KINDS:
        errors["kind"] = "choose a kind from the list"
    since, until = _day(filters["from"], "from", errors), _day(filters["to"], "to", errors)
    raw: dict[str, Any] = {"limit": PAGE_SIZE}
    if filters["token"]:
        raw["token"] = filters["token"]
    if filters["kind"]:
        raw["kind"] = filters["kind"]
    if since is not None:
        raw["from"] = datetime.combine(since, time(0), tzinfo=UTC)
    if until is not None:
        raw["to"] = datetime.combine(until + timedelta(days=1), time(0), tzinfo=UTC)
    if params.get("cursor"):
        raw["cursor"] = str(params["cursor"])[:400]
    if since is not None and until is not None and until < since:
        errors["to"] = "the last day must be on or after the first"
    if errors:
        return filters, errors, None
    try:
        return filters, errors, HistoryQuery.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else "cursor"
            field = {"from_": "from", "cursor": "token"}.get(name, name)
            errors[field] = (
                "this page link is out of date: filter again"
                if name == "cursor"
                else str(error["msg"]).removeprefix("Value error, ")
            )
        return filters, errors, None


def _day(text: str, name: str, errors: dict[str, str]) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[name] = "a day such as 2026-01-31"
        return None


# -- /wallet/transfer ------------------------------------------------------------------


def transfer(req: PageRequest) -> PageReply:
    """A form, then "Send 12.5 AIA to grace@example.com?" and the burn, then done. The
    recipient is looked up only when sending (as the API does): the confirmation step
    says nothing about who has an account."""
    if req.principal is None:
        return sign_in_first(req, "/wallet/transfer", "your wallet")
    values = _common(
        req,
        "Send tokens",
        to=req.field("to"),
        token=req.field("token") or Token.AIA.value,
        amount=req.field("amount"),
        token_options=[(t.value, t.value) for t in Token],
        errors={},
        problem=None,
        key=_key(req) or uuid.uuid4().hex,
        hint=AMOUNT_HINT,
        verified=req.principal.verified,
        available=[
            in_tokens(to_minor(h.available), token)
            for token, h in wallet_of(req.features, req.principal.user_id).tokens.items()
        ],
    )
    step = req.field("step") if req.method == "POST" else ""
    if step not in ("review", "send"):
        return PageReply(render_page("wallet_transfer.html.j2", **values))
    if not req.principal.verified:  # the API's words, before anything else is read
        values["problem"] = UNVERIFIED_SENDER
        return PageReply(render_page("wallet_transfer.html.j2", **values), status=403)
    try:
        body = TransferRequest.model_validate(
            {"to": values["to"], "token": values["token"], "amount": values["amount"]}
        )
    except ValidationError as exc:
        values["errors"] = _transfer_errors(exc)
        return PageReply(render_page("wallet_transfer.html.j2", **values), status=400)
    minor = to_minor(body.amount)
    burn = req.features.ledger.transfer_burn(body.token, minor)
    values.update(
        shown_amount=in_tokens(minor, body.token),
        burn=in_tokens(burn, body.token) if burn else None,
        burn_rate=percent(req.features.ledger.policy.transfer_burn_bps),
        total=in_tokens(minor + burn, body.token),
    )
    if step == "review":
        values["title"] = "Confirm the transfer"
        return PageReply(render_page("wallet_transfer_confirm.html.j2", **values))
    key = _key(req)
    if not key:
        values["problem"] = "this form has expired: check the transfer and send it again"
        return PageReply(render_page("wallet_transfer.html.j2", **values), status=400)
    try:
        receipt = send_transfer(req.features, req.principal, body, key)
    except ApiError as exc:
        return _transfer_refused(values, exc.status, exc.detail, exc.problem)
    except DomainError as exc:
        return _transfer_refused(values, _status(exc), exc.detail, exc.problem or "", exc.field)
    values.update(
        title="Sent" if not receipt.replayed else "Already sent",
        receipt=receipt,
        balance=in_tokens(to_minor(receipt.balance), body.token),
    )
    return PageReply(render_page("wallet_transfer_done.html.j2", **values))


def _transfer_errors(exc: ValidationError) -> dict[str, str]:
    words = {
        "to": "enter the recipient's email address",
        "token": PICK_AIA_OR_GOV,
        "amount": "enter an amount in tokens greater than 0, with at most 6 decimals",
    }
    return {str(e["loc"][0]): words.get(str(e["loc"][0]), str(e["msg"])) for e in exc.errors()}


def _transfer_refused(
    values: dict[str, Any], status: int, detail: str, problem: str, field: str | None = None
) -> PageReply:
    """The form again with the refusal beside the field it concerns; nothing was sent."""
    if field == "to" or problem == "same-account":
        values["errors"] = {"to": detail}
    elif problem in ("insufficient-funds", "invalid-amount"):
        values["errors"] = {"amount": detail}
    else:
        values["problem"] = detail
    values["key"] = uuid.uuid4().hex  # a new attempt is a new operation
    return PageReply(render_page("wallet_transfer.html.j2", **values), status=status)


# -- /wallet/staking -------------------------------------------------------------------


def staking(req: PageRequest) -> PageReply:
    if req.principal is None:
        return sign_in_first(req, "/wallet/staking", "your stake")
    user = req.principal.user_id
    errors: dict[str, str] = {}
    status = 200
    notice = _done_notice(req)
    if req.method == "POST":
        action = "unstake" if req.field("action") == "unstake" else "stake"
        field = f"{action}_amount"
        key = _key(req)
        try:
            amount = StakeRequest.model_validate({"amount": req.field(field)}).amount
        except ValidationError:
            errors[field] = "enter an amount in tokens greater than 0, with at most 6 decimals"
        else:
            if not key:
                errors[field] = "this form has expired: send it again"
            else:
                try:
                    move_stake(req.features, user, amount, key, unstake=action == "unstake")
                except ApiError as exc:
                    errors[field], status = exc.detail, exc.status
                except DomainError as exc:
                    errors[field], status = exc.detail, _status(exc)
                else:
                    done = "unstaked" if action == "unstake" else "staked"
                    return PageReply(redirect=f"/wallet/staking?{done}={amount}")
        status = status if status != 200 else 400
    wallet = wallet_of(req.features, user)
    policy = req.features.ledger.policy
    rewards = history_page(
        req.features,
        user,
        HistoryQuery.model_validate({"limit": 5, "kind": "staking_reward"}),
    ).entries
    values = _common(
        req,
        "Staking",
        available=in_tokens(to_minor(wallet.tokens[Token.AIA].available), Token.AIA),
        staked=in_tokens(to_minor(wallet.staked.get(Token.AIA.value, "0")), Token.AIA),
        yield_rate=percent(policy.staking_yield_bps_per_year),
        stake_reason=STAKE_REASON,
        rewards=entry_rows(rewards),
        locks=next(h for h in _holdings(req, user) if h["token"] == Token.AIA_GOV.value)["locks"],
        errors=errors,
        values={k: req.field(k) for k in ("stake_amount", "unstake_amount")} if errors else {},
        notice=notice,
        key=uuid.uuid4().hex,
        hint=AMOUNT_HINT,
    )
    return PageReply(render_page("wallet_staking.html.j2", **values), status=status)


def _done_notice(req: PageRequest) -> str | None:
    for done, words in (("staked", "Staked"), ("unstaked", "Unstaked")):
        text = req.query.get(done, "")
        if text:
            try:
                return f"{words} {in_tokens(to_minor(Decimal(text)), Token.AIA)}."
            except (InvalidOperation, ValueError):
                return None
    return None


# -- /wallet/buy -----------------------------------------------------------------------


def buy(req: PageRequest) -> PageReply:
    if req.principal is None:
        return sign_in_first(req, "/wallet/buy", "how to buy AIA")
    payments = req.features.payments
    packs = payments.packs
    values = _common(
        req,
        "Buy AIA",
        packs=[
            {
                "id": pack_id,
                "name": pack.name,
                "aia": in_tokens(to_minor(pack.aia), Token.AIA),
                "price": f"{pack.price_cents / 100:,.2f} {pack.currency.upper()}",
            }
            for pack_id, pack in packs.items()
        ],
        chosen=req.field("pack"),
        errors={},
        problem=None,
        cancelled=bool(req.query.get("cancelled")),
        key=_key(req) or uuid.uuid4().hex,
    )
    # the form's answer sends the browser to Stripe's Checkout page
    targets = (payments.checkout_origin,)
    if req.method != "POST":
        return PageReply(render_page("wallet_buy.html.j2", **values), form_targets=targets)
    key = _key(req)
    if not key:
        values["problem"] = "this form has expired: choose your pack again"
        values["key"] = uuid.uuid4().hex
        return PageReply(
            render_page("wallet_buy.html.j2", **values), status=400, form_targets=targets
        )
    try:
        session = payments.checkout(req.principal.user_id, values["chosen"], key)
    except UnknownPack:
        values["errors"] = {"pack": "choose one of the packs"}
        return PageReply(
            render_page("wallet_buy.html.j2", **values), status=400, form_targets=targets
        )
    except PaymentsNotConfigured:
        values["problem"] = (
            "Card payments are not set up on this server yet: ask its operator, or try later."
        )
        return PageReply(
            render_page("wallet_buy.html.j2", **values), status=503, form_targets=targets
        )
    # a URL Stripe made (never one from the request): the buyer pays there
    return PageReply(redirect_away=session.url)


def buy_return(req: PageRequest) -> PageReply:
    """Where Stripe sends the buyer back. The AIA is credited by the signed webhook, which
    may land a little later: the page polls (htmx) until it has."""
    session_id = req.query.get("session_id", "")
    if req.principal is None:
        return sign_in_first(req, _here("/wallet/buy/return", req.query), "your purchase")
    if not SESSION_ID.fullmatch(session_id):
        values = _common(req, "Purchase not found", message="This link names no Checkout session.")
        return PageReply(render_page("message.html.j2", **values), status=404)
    status = checkout_status(req.features, req.principal.user_id, session_id)
    if req.query.get("poll") and status.status == "pending":
        return PageReply(status=204)  # htmx swaps nothing: the page stays as it is
    values = _common(
        req,
        "Your purchase",
        status=status,
        aia=None if status.aia is None else in_tokens(to_minor(status.aia), Token.AIA),
        here="/wallet/buy/return?" + urlencode({"session_id": session_id}),
        poll="/wallet/buy/return?" + urlencode({"session_id": session_id, "poll": 1}),
    )
    return PageReply(render_page("wallet_buy_return.html.j2", **values))


PAGES = [
    Page("/wallet", wallet),
    Page("/wallet/transfer", transfer, ("GET", "POST")),
    Page("/wallet/staking", staking, ("GET", "POST")),
    Page("/wallet/buy", buy, ("GET", "POST")),
    Page("/wallet/buy/return", buy_return),
]
