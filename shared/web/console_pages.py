"""The operators' console under /admin/ (issue 16, "The console"): users (search, admin
role, freeze = disable), token supply with mint and burn, the ledger's reconciliation,
dead letters (inspect, replay), the email suppression list and delivery figures, work in
flight and the system's health. Each page calls the service the matching `/v1/admin/...`
route calls, so a script can do whatever a page does (ADR 0028, 0031).

Every page needs a signed-in admin, the role read from the user's row on every request
(as the API reads it): signed out, the sign-in form; signed in without the role, 403.
Destructive actions (freeze, revoke admin, burn, replay, lift) answer a confirmation page
first and act only on its second POST (`confirmed=yes`)."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from shared.accounts.records import User, UserFilter
from shared.accounts.service import normalise_email
from shared.api.spec import ApiError, Principal
from shared.email.delivery_stats import LONGEST_WINDOW, delivery_stats
from shared.email.operator_api import suppression_record
from shared.errors import DomainError
from shared.ledger.operator import freeze_wallet, operator_move, supply_figures
from shared.ledger.postings import IdempotencyConflict, LedgerRejected, user_owner
from shared.ledger.reconciliation import reconcile
from shared.ledger.service import staked_owner
from shared.money import CAPS, AmountError, Token, in_tokens, to_minor
from shared.operations.api import MAX_IN_FLIGHT
from shared.operations.backlog_api import backlog_now
from shared.operations.dead_letters import DEAD_LETTERS, recent_dead_letters, replay_dead_letter
from shared.simulation.api import MAX_IN_FLIGHT as SIMULATIONS_IN_FLIGHT
from shared.web.account_pages import sign_in_first
from shared.web.render import render_page
from shared.web.spec import Page, PageReply, PageRequest

PER_PAGE = 50
BACKLOG_HOURS = 24
STATS_DAYS = 7
SECTIONS = (
    ("overview", "/admin/", "Overview"),
    ("users", "/admin/users", "Users"),
    ("tokens", "/admin/tokens", "Tokens"),
    ("ledger", "/admin/ledger", "Ledger"),
    ("dead-letters", "/admin/dead-letters", "Dead letters"),
    ("email", "/admin/email", "Email"),
    ("email-types", "/admin/email/templates", "Email types"),
    ("send-email", "/admin/email/send", "Send email"),
    ("graph", "/admin/graph", "Graph imports"),
    ("venture", "/admin/venture", "Venture usage"),
    ("runs", "/admin/runs", "Runs"),
    ("health", "/admin/health", "Health"),
)
NOT_AN_ADMIN = "The console is for the platform's administrators, and your account is not one."
TOKEN_FIELD = "token"  # noqa: S105 - the name of a form field, not a secret
_OPERATION = re.compile(r"[A-Za-z0-9_-]{8,64}")

AdminHandler = Callable[[PageRequest, Principal], PageReply]


def _admin_only(path: str, handler: AdminHandler) -> Callable[[PageRequest], PageReply]:
    @wraps(handler)
    def page(req: PageRequest) -> PageReply:
        if req.principal is None:
            return sign_in_first(req, path.format(**req.path_params), "the operators' console")
        if not req.principal.is_admin:  # read from the user's row on this request
            raise ApiError(403, NOT_AN_ADMIN)
        return handler(req, req.principal)

    return page


def _render(
    req: PageRequest, template: str, title: str, section: str, status: int = 200, **values: Any
) -> PageReply:
    html = render_page(
        template,
        title=title,
        section=section,
        sections=SECTIONS,
        user=req.principal,
        csrf_token=req.csrf_token,
        wide=True,
        **values,
    )
    return PageReply(html, status=status)


def _confirm(
    req: PageRequest,
    section: str,
    *,
    title: str,
    message: str,
    action: str,
    button: str,
    back: str,
    fields: dict[str, str],
) -> PageReply:
    """The second step of a destructive action: what it does, in words, and one button
    that sends the same form again with `confirmed=yes`."""
    return _render(
        req,
        "console_confirm.html.j2",
        title,
        section,
        message=message,
        action=action,
        button=button,
        back=back,
        fields={**fields, "confirmed": "yes"},
    )


def _confirmed(req: PageRequest) -> bool:
    return req.form.get("confirmed") == "yes"


def _page_number(req: PageRequest) -> int:
    try:
        number = int(req.query.get("page", "1"))
    except ValueError:
        return 1
    return min(max(number, 1), 10_000)


# -- overview and health -----------------------------------------------------------------
def _health_figures(req: PageRequest) -> dict[str, Any]:
    platform = req.features.platform
    now = platform.clock.now()
    readiness = platform.readiness()
    backlog = backlog_now(req.features.outbox, platform.documents, now, BACKLOG_HOURS)
    return {
        "checked_at": now,
        "readiness": sorted(readiness.items()),
        "ready": all(v == "ok" for v in readiness.values()),
        "backlog": backlog,
        "dead_letters_open": sum(c.not_replayed for c in backlog.dead_letters.by_type),
        "backlog_hours": BACKLOG_HOURS,
    }


def overview(req: PageRequest, _: Principal) -> PageReply:
    figures = _health_figures(req)
    store = req.features.accounts.service.store
    ledger = req.features.ledger
    reconciliation = reconcile(ledger.store, ledger.clock.now())
    counts = [
        ("Administrators", _count(store.list_users(101, 0, UserFilter(role="admin")))),
        ("Frozen accounts", _count(store.list_users(101, 0, UserFilter(disabled=True)))),
        ("Workflow executions in flight", str(len(_in_flight(req)))),
        ("Simulations in flight", str(len(req.features.simulations.unfinished(1000)))),
        (f"Dead letters not replayed ({BACKLOG_HOURS} h)", str(figures["dead_letters_open"])),
        ("Events waiting in the outbox", str(figures["backlog"].outbox.unpublished)),
    ]
    return _render(
        req,
        "console_overview.html.j2",
        "Operators' console",
        "overview",
        counts=counts,
        balanced=not reconciliation.failures,
        failures=len(reconciliation.failures),
        **figures,
    )


def _count(users: list[User]) -> str:
    return "more than 100" if len(users) > 100 else str(len(users))


def health(req: PageRequest, _: Principal) -> PageReply:
    return _render(req, "console_health.html.j2", "System health", "health", **_health_figures(req))


# -- users ---------------------------------------------------------------------------------
def users(req: PageRequest, _: Principal) -> PageReply:
    email = req.query.get("email", "").strip()[:320]
    role = req.query.get("role", "")
    status = req.query.get("status", "")
    matching = UserFilter(
        email_contains=email or None,
        role=role if role in ("user", "admin") else None,
        disabled={"active": False, "disabled": True}.get(status),
    )
    number = _page_number(req)
    found = req.features.accounts.service.store.list_users(
        PER_PAGE + 1, (number - 1) * PER_PAGE, matching
    )
    query = {"email": email, "role": matching.role or "", "status": status}
    return _render(
        req,
        "console_users.html.j2",
        "Users",
        "users",
        users=found[:PER_PAGE],
        filters=query,
        page=number,
        more=len(found) > PER_PAGE,
        paging=urlencode({k: v for k, v in query.items() if v}),
    )


def _user_or_404(req: PageRequest, user_id: str) -> User:
    user = req.features.accounts.service.store.user_by_id(user_id)
    if user is None:
        raise ApiError(404, f"no user with id {user_id[:64]}")
    return user


def user_page(req: PageRequest, admin: Principal) -> PageReply:
    user_id = req.path_params["user_id"]
    user = _user_or_404(req, user_id)
    errors: dict[str, str] = {}
    back = f"/admin/users/{user.id}"
    if req.method == "POST":
        action = req.field("action")
        reason = req.field("reason")
        service = req.features.accounts.service
        try:
            if action == "freeze":
                if not reason:
                    errors["reason"] = "say why (kept with the account and shown to admins)"
                elif len(reason) > 300:
                    errors["reason"] = "at most 300 characters"
                # one's own account: no confirmation, the service refuses (as the API's)
                elif admin.user_id != user.id and not _confirmed(req):
                    return _confirm(
                        req,
                        "users",
                        title="Freeze this account?",
                        message=f"{user.email} will be signed out everywhere, its API keys "
                        "will stop working, and it will not be able to sign in until an "
                        f"admin unfreezes it. Reason: {reason}",
                        action=back,
                        button="Yes, freeze the account",
                        back=back,
                        fields={"action": "freeze", "reason": reason},
                    )
                else:
                    service.set_disabled(admin, user.id, True, reason)
                    return PageReply(redirect=f"{back}?done=frozen")
            elif action == "unfreeze":
                service.set_disabled(admin, user.id, False, "")
                return PageReply(redirect=f"{back}?done=unfrozen")
            elif action in ("freeze-wallet", "unfreeze-wallet"):
                reply = _wallet_freeze(req, admin, user, action == "freeze-wallet", errors)
                if reply is not None:
                    return reply
            elif action == "grant-admin":
                service.set_roles(admin, user.id, tuple(sorted({*user.roles, "admin"})))
                return PageReply(redirect=f"{back}?done=granted")
            elif action == "revoke-admin":
                roles = tuple(sorted({*user.roles} - {"admin"})) or ("user",)
                if admin.user_id != user.id and not _confirmed(req):
                    return _confirm(
                        req,
                        "users",
                        title="Revoke the admin role?",
                        message=f"{user.email} will lose the console and every admin route "
                        "from its next request on.",
                        action=back,
                        button="Yes, revoke admin",
                        back=back,
                        fields={"action": "revoke-admin"},
                    )
                service.set_roles(admin, user.id, roles)
                return PageReply(redirect=f"{back}?done=revoked")
            else:
                errors["action"] = "choose one of the buttons on this page"
        except DomainError as exc:
            errors["action"] = exc.detail
    return _user_view(req, admin, user, errors, status=400 if errors else 200)


def _wallet_freeze(
    req: PageRequest, admin: Principal, user: User, frozen: bool, errors: dict[str, str]
) -> PageReply | None:
    """Freeze or unfreeze the wallet as `POST /v1/admin/wallets/{user_id}/freeze` does (the
    same `freeze_wallet`); a freeze is confirmed first. None: `errors` says what to fix."""
    reason = req.field("wallet_reason")
    back = f"/admin/users/{user.id}"
    if not reason:
        errors["wallet_reason"] = "say why (kept in the audit trail)"
    elif len(reason) > 300:
        errors["wallet_reason"] = "at most 300 characters"
    if errors:
        return None
    if frozen and not _confirmed(req):
        return _confirm(
            req,
            "users",
            title="Freeze this wallet?",
            message=f"No tokens will move into or out of {user.email}'s wallet (payments, "
            "transfers, stakes, rewards) until an admin unfreezes it; the account itself "
            f"stays signed in. Reason: {reason}",
            action=back,
            button="Yes, freeze the wallet",
            back=back,
            fields={"action": "freeze-wallet", "wallet_reason": reason},
        )
    freeze_wallet(req.features.ledger, admin.user_id, user.id, frozen, reason)
    return PageReply(redirect=f"{back}?done={'wallet-frozen' if frozen else 'wallet-unfrozen'}")


_DONE = {
    "wallet-frozen": "The wallet is frozen: no tokens move into or out of it.",
    "wallet-unfrozen": "The wallet is unfrozen: its tokens move again.",
    "frozen": "The account is frozen: its sessions and keys stopped working.",
    "unfrozen": "The account is unfrozen: it may sign in again.",
    "granted": "The account is an admin now.",
    "revoked": "The account is no longer an admin.",
    "mint": "Minted.",
    "burn": "Burned.",
    "replayed": "Published again: its subscribers receive it now.",
    "lifted": "The suppression is lifted: the address receives mail again.",
}


def _user_view(
    req: PageRequest, admin: Principal, user: User, errors: dict[str, str], status: int
) -> PageReply:
    store = req.features.ledger.store
    available = store.balances(user_owner(user.id))
    staked = store.balances(staked_owner(user.id))
    balances = [
        (
            token.value,
            in_tokens(available.get(token, 0), token),
            in_tokens(staked.get(token, 0), token),
        )
        for token in Token
    ]
    return _render(
        req,
        "console_user.html.j2",
        user.email,
        "users",
        status=status,
        account=user,
        is_self=admin.user_id == user.id,
        balances=balances,
        wallet_frozen=store.is_frozen(user_owner(user.id)),
        errors=errors,
        reason=req.field("reason") if errors else "",
        wallet_reason=req.field("wallet_reason") if errors else "",
        done=_DONE.get(req.query.get("done", ""), ""),
    )


# -- tokens and the ledger -----------------------------------------------------------------
def tokens(req: PageRequest, admin: Principal) -> PageReply:
    errors: dict[str, str] = {}
    form = {k: req.field(k) for k in ("account", "token", "amount", "reason", "operation")}
    if req.method == "POST":
        reply = _move(req, admin, form, errors)
        if reply is not None:
            return reply
    number = _page_number(req)
    ledger = req.features.ledger
    trail = ledger.store.audit_trail(PER_PAGE + 1, (number - 1) * PER_PAGE)
    if not form["operation"] or not errors:
        form["operation"] = secrets.token_urlsafe(16)  # a retried form moves tokens once
    return _render(
        req,
        "console_tokens.html.j2",
        "Tokens",
        "tokens",
        status=400 if errors else 200,
        supply=[
            (
                f.token.value,
                in_tokens(f.supply, f.token),
                in_tokens(f.minted, f.token),
                in_tokens(f.burned, f.token),
                in_tokens(f.held, f.token),
                in_tokens(f.cap, f.token),
            )
            for f in supply_figures(ledger.store)
        ],
        trail=trail[:PER_PAGE],
        page=number,
        more=len(trail) > PER_PAGE,
        form=form,
        errors=errors,
        tokens=[t.value for t in Token],
        done=_DONE.get(req.query.get("done", ""), ""),
    )


def _move(
    req: PageRequest, admin: Principal, form: dict[str, str], errors: dict[str, str]
) -> PageReply | None:
    """Mint or burn as `POST /v1/admin/mint|burn` does (the same `operator_move`); a burn
    is confirmed first. None: `errors` says what to fix."""
    burn = req.field("action") == "burn"
    user = _account(req, form["account"])
    if user is None:
        errors["account"] = "no account with this email address or user id"
    token = form["token"] if form["token"] in Token.__members__ else ""
    if not token:
        errors[TOKEN_FIELD] = "choose AIA or AIA_GOV"
    amount = 0
    try:
        amount = to_minor(form["amount"])
    except AmountError as exc:
        errors["amount"] = str(exc)
    else:
        if amount <= 0:
            errors["amount"] = "more than 0"
        elif token and amount > CAPS[Token(token)]:
            errors["amount"] = "more than the token's cap"
    if not form["reason"]:
        errors["reason"] = "say why (kept in the audit trail)"
    elif len(form["reason"]) > 300:
        errors["reason"] = "at most 300 characters"
    if not _OPERATION.fullmatch(form["operation"]):
        errors["amount"] = "this form has expired: reload the page"
    if errors or user is None:
        return None
    shown = in_tokens(amount, token)
    if burn and not _confirmed(req):
        return _confirm(
            req,
            "tokens",
            title="Burn these tokens?",
            message=f"{shown} will be taken from {user.email}'s wallet and destroyed. "
            f"Reason: {form['reason']}",
            action="/admin/tokens",
            button="Yes, burn",
            back="/admin/tokens",
            fields={**form, "account": user.id, "action": "burn"},
        )
    key = f"admin:{admin.user_id}:web-{form['operation']}"
    try:
        operator_move(
            req.features.ledger, admin.user_id, user.id, Token(token), amount, key,
            form["reason"], burn=burn,
        )  # fmt: skip
    except LedgerRejected as exc:
        errors["amount"] = exc.detail
        return None
    except IdempotencyConflict:
        errors["amount"] = "this form was already sent with other values: reload the page"
        return None
    return PageReply(redirect=f"/admin/tokens?done={'burn' if burn else 'mint'}")


def _account(req: PageRequest, text: str) -> User | None:
    store = req.features.accounts.service.store
    if not text:
        return None
    if "@" in text:
        return store.user_by_email(normalise_email(text))
    return store.user_by_id(text[:64])


def ledger(req: PageRequest, _: Principal) -> PageReply:
    book = req.features.ledger
    result = reconcile(book.store, book.clock.now())
    return _render(
        req,
        "console_ledger.html.j2",
        "Ledger reconciliation",
        "ledger",
        result=result,
        balanced=not result.failures,
    )


# -- dead letters ------------------------------------------------------------------------
def dead_letters(req: PageRequest, _: Principal) -> PageReply:
    number = _page_number(req)
    rows = recent_dead_letters(
        req.features.platform.documents, PER_PAGE + 1, (number - 1) * PER_PAGE
    )
    return _render(
        req,
        "console_dead_letters.html.j2",
        "Dead letters",
        "dead-letters",
        letters=rows[:PER_PAGE],
        page=number,
        more=len(rows) > PER_PAGE,
        done=_DONE.get(req.query.get("done", ""), ""),
    )


def dead_letter(req: PageRequest, _: Principal) -> PageReply:
    doc_id = req.path_params["dead_letter_id"]
    platform = req.features.platform
    doc = platform.documents.get(DEAD_LETTERS, doc_id)
    if doc is None:
        raise ApiError(404, f"no dead letter with id {doc_id[:64]}")
    here = f"/admin/dead-letters/{doc_id}"
    error = ""
    if req.method == "POST":
        if not _confirmed(req):
            return _confirm(
                req,
                "dead-letters",
                title="Replay this dead letter?",
                message=f"The {doc.get('event_type')} message will be published again, as "
                "it was kept, to every subscriber of its topic. Fix its cause first: a "
                "message that fails again is dead-lettered again.",
                action=here,
                button="Yes, replay",
                back=here,
                fields={},
            )
        try:
            replay_dead_letter(
                doc_id, platform.documents, platform.events, platform.manifest, platform.clock
            )
        except DomainError as exc:
            error = exc.detail
        else:
            return PageReply(redirect=f"{here}?done=replayed")
    attributes = doc.get("attributes") or {}
    return _render(
        req,
        "console_dead_letter.html.j2",
        f"Dead letter: {doc.get('event_type', 'unknown')}",
        "dead-letters",
        status=409 if error else 200,
        letter=doc,
        letter_id=doc_id,
        attempts=attributes.get("CloudPubSubDeadLetterSourceDeliveryCount", "not recorded"),
        attributes=sorted(attributes.items()),
        error=error,
        done=_DONE.get(req.query.get("done", ""), ""),
    )


# -- email ---------------------------------------------------------------------------------
def email(req: PageRequest, _: Principal) -> PageReply:
    feature = req.features.email
    error = ""
    if req.method == "POST":
        doc_id = req.field("suppression_id")[:64]
        if not _confirmed(req):
            return _confirm(
                req,
                "email",
                title="Lift this suppression?",
                message=f"{req.field('address')[:320] or 'The address'} will receive mail "
                "again: its bounces and spam complaint are cleared. Its owner's own "
                "unsubscribes stay.",
                action="/admin/email",
                button="Yes, lift it",
                back="/admin/email",
                fields={"suppression_id": doc_id, "address": req.field("address")[:320]},
            )
        if feature.suppressions.lift(doc_id, feature.clock.now()) is None:
            error = f"no suppression with id {doc_id}"
        else:
            return PageReply(redirect="/admin/email?done=lifted")
    try:
        days = min(max(int(req.query.get("days", STATS_DAYS)), 1), LONGEST_WINDOW.days)
    except ValueError:
        days = STATS_DAYS
    end = feature.clock.now()
    stats = delivery_stats(feature.ledger, feature.suppressions, end - timedelta(days=days), end)
    number = _page_number(req)
    rows = feature.suppressions.listed(PER_PAGE + 1, (number - 1) * PER_PAGE)
    return _render(
        req,
        "console_email.html.j2",
        "Email",
        "email",
        status=404 if error else 200,
        stats=stats,
        days=days,
        suppressions=[suppression_record(i, d) for i, d in rows[:PER_PAGE]],
        page=number,
        more=len(rows) > PER_PAGE,
        error=error,
        done=_DONE.get(req.query.get("done", ""), ""),
    )


# -- work in flight ----------------------------------------------------------------------
def _in_flight(req: PageRequest) -> list[Any]:
    return list(req.features.platform.workflows.unfinished(MAX_IN_FLIGHT))


def runs(req: PageRequest, _: Principal) -> PageReply:
    return _render(
        req,
        "console_runs.html.j2",
        "Runs in flight",
        "runs",
        executions=_in_flight(req),
        simulations=req.features.simulations.unfinished(SIMULATIONS_IN_FLIGHT),
        limit=MAX_IN_FLIGHT,
    )


def _page(path: str, handler: AdminHandler, post: bool = False) -> Page:
    methods: tuple[Any, ...] = ("GET", "POST") if post else ("GET",)
    return Page(path, _admin_only(path, handler), methods)


PAGES = [
    _page("/admin/", overview),
    _page("/admin/health", health),
    _page("/admin/users", users),
    _page("/admin/users/{user_id}", user_page, post=True),
    _page("/admin/tokens", tokens, post=True),
    _page("/admin/ledger", ledger),
    _page("/admin/dead-letters", dead_letters),
    _page("/admin/dead-letters/{dead_letter_id}", dead_letter, post=True),
    _page("/admin/email", email, post=True),
    _page("/admin/runs", runs),
]
