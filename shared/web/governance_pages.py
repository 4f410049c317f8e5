"""Governance pages: the proposals by state with the reader's voting power, a proposal's
page with its vote form (and queue, execute, cancel when the rules allow them) and its
impact preview (polled while it runs), the form to propose (with the preview's price),
and delegation. Each calls the governance service as `/v1/governance/...`
does, so the same rules answer (threshold, one vote per account, conviction locks)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import TypeAdapter, ValidationError

from shared.errors import DomainError, NotFound
from shared.governance.actions import Action, PolicyAction
from shared.governance.api import delegate_named, parameters_of, proposal_number
from shared.governance.impact_api import impact_quote_of, impact_report
from shared.governance.records import LiveProposalExists
from shared.governance.rules import GovernanceRules, ProposalState, Support
from shared.governance.service import InvalidActions
from shared.money import Token, in_tokens, to_minor
from shared.ports.impact import HORIZON_YEARS, ImpactFigure, ImpactReport
from shared.web.account_pages import sign_in_first
from shared.web.render import render_page
from shared.web.report_pages import not_found
from shared.web.spec import Page, PageReply, PageRequest

LISTED = 200  # the newest proposals the list reads

# the list's sections: what a reader asks ("what can I vote on?"), in the states' words
SECTIONS: list[tuple[str, str, tuple[ProposalState, ...]]] = [
    ("voting", "Open for voting", (ProposalState.ACTIVE,)),
    ("pending", "Voting opens soon", (ProposalState.PENDING,)),
    ("passed", "Passed, waiting to be executed", (ProposalState.SUCCEEDED, ProposalState.QUEUED)),
    ("executed", "Executed", (ProposalState.EXECUTED,)),
    (
        "closed",
        "Rejected, expired or canceled",
        (ProposalState.DEFEATED, ProposalState.EXPIRED, ProposalState.CANCELED),
    ),
]
STATE_WORDS = {
    ProposalState.PENDING: "Pending: voting opens after the snapshot",
    ProposalState.ACTIVE: "Active: voting is open",
    ProposalState.CANCELED: "Canceled",
    ProposalState.DEFEATED: "Defeated: it did not pass",
    ProposalState.SUCCEEDED: "Succeeded: it passed and can be queued",
    ProposalState.QUEUED: "Queued: waiting out the timelock",
    ProposalState.EXPIRED: "Expired: not executed in time",
    ProposalState.EXECUTED: "Executed: its policy change is published",
}


def _gov(minor: int) -> str:
    return in_tokens(minor, Token.AIA_GOV)


# -- the list --------------------------------------------------------------------------
def governance(req: PageRequest) -> PageReply:
    if req.principal is None:
        return sign_in_first(req, "/governance", "governance")
    service = req.features.governance
    views = service.views(service.store.proposals(LISTED, None))
    sections = [
        (key, label, [v for v in views if v.state in states]) for key, label, states in SECTIONS
    ]
    html = render_page(
        "governance.html.j2",
        title="Governance",
        sections=sections,
        power=_power(req),
        threshold=_gov(service.rules.proposal_threshold),
        rules=_rules(service.rules),
        state_words=STATE_WORDS,
        gov=_gov,
        wide=True,
        user=req.principal,
        csrf_token=req.csrf_token,
    )
    return PageReply(html)


QUORUM_WORDS = {
    "oz": "votes For and Abstain count towards it",
    "bravo": "only votes For count towards it",
}


def _rules(rules: GovernanceRules) -> list[tuple[str, str]]:
    """The rules in force, as `GET /v1/governance/parameters` gives them, in words."""
    p = parameters_of(rules)
    multipliers = ", ".join(
        f"{k} period{'' if k == '1' else 's'}: x{m}" for k, m in p.conviction_multipliers.items()
    )
    return [
        ("Proposal threshold", f"{_gov(rules.proposal_threshold)} of voting power to propose"),
        ("Voting delay", f"{_duration(p.voting_delay_seconds)} from proposing to the snapshot"),
        ("Voting period", f"{_duration(p.voting_period_seconds)} of voting"),
        (
            "Quorum",
            f"{p.quorum_percent} % of the AIA_GOV in circulation at the snapshot; "
            + QUORUM_WORDS.get(p.quorum_mode, p.quorum_mode),
        ),
        ("Timelock", f"{_duration(p.timelock_seconds)} between queueing and executing"),
        ("Grace period", f"{_duration(p.grace_period_seconds)} to execute, or it expires"),
        (
            "Conviction",
            f"lock your AIA_GOV for up to {p.conviction_max_periods} periods of "
            f"{_duration(p.conviction_period_seconds)} to weigh your vote more ({multipliers})",
        ),
    ]


@dataclass(frozen=True)
class PowerView:
    votes: str
    balance: str
    locked: str
    delegate: str | None  # None: nobody
    delegates_self: bool
    locks: list[tuple[int, str, datetime]]


def _power(req: PageRequest) -> PowerView:
    assert req.principal is not None
    power = req.features.governance.voting_power(req.principal.user_id)
    return PowerView(
        votes=_gov(power.votes),
        balance=_gov(power.balance),
        locked=_gov(power.locked),
        delegate=None if power.delegate is None else _who(req, power.delegate),
        delegates_self=power.delegate == req.principal.user_id,
        locks=[(lock.proposal_id, _gov(lock.amount), lock.release_at) for lock in power.locks],
    )


def _who(req: PageRequest, user_id: str) -> str:
    """A user as others may see them: their name and handle (never their address)."""
    if req.principal is not None and user_id == req.principal.user_id:
        return "you"
    account = req.features.directory.account(user_id)
    if account is None:
        return "a closed account"
    return f"{account.name} (@{account.handle})" if account.handle else account.name


# -- one proposal ----------------------------------------------------------------------
def proposal(req: PageRequest) -> PageReply:
    raw = req.path_params["proposal_id"]
    if req.principal is None:
        return sign_in_first(req, f"/governance/proposals/{raw}", "this proposal")
    service = req.features.governance
    try:
        number = proposal_number(raw)
        service.get(number)
    except NotFound:
        return not_found(req, f"There is no proposal {raw[:20]}.")
    errors: dict[str, str] = {}
    if req.method == "POST":
        done, errors = _act(req, number)
        if done:
            return PageReply(redirect=f"/governance/proposals/{number}?done={done}")
    return _proposal_page(req, number, errors, 400 if errors else 200)


DONE = {
    "voted": "Your vote is counted.",
    "queued": "The proposal is queued behind the timelock.",
    "executed": "The proposal is executed: its policy change is published.",
    "canceled": "The proposal is canceled.",
}


def _act(req: PageRequest, number: int) -> tuple[str | None, dict[str, str]]:
    """Do what the form asks; (what was done, None) or (None, errors by field)."""
    assert req.principal is not None
    service = req.features.governance
    user = req.principal
    action = req.field("do")
    try:
        if action == "vote":
            return _vote(req, number)
        if action == "queue":
            service.queue(number)
            return "queued", {}
        if action == "execute":
            service.execute(number)
            return "executed", {}
        if action == "cancel":
            service.cancel(user.user_id, user.is_admin, number)
            return "canceled", {}
    except DomainError as exc:
        return None, {"form": exc.detail}
    return None, {"form": "choose what to do with the buttons below"}


def _vote(req: PageRequest, number: int) -> tuple[str | None, dict[str, str]]:
    assert req.principal is not None
    errors: dict[str, str] = {}
    try:
        support = Support(req.field("support"))
    except ValueError:
        errors["support"] = "choose For, Against or Abstain"
    max_periods = req.features.governance.rules.conviction_max_periods
    text = req.field("conviction") or "0"
    conviction = int(text) if text.isascii() and text.isdigit() else -1
    if not 0 <= conviction <= max_periods:
        errors["conviction"] = f"choose 0 to {max_periods} lock periods"
    reason = req.field("reason")
    if len(reason) > 500:
        errors["reason"] = f"at most 500 characters (this is {len(reason)})"
    if errors:
        return None, errors
    try:
        req.features.governance.cast_vote(
            req.principal.user_id, number, support, conviction, reason
        )
    except DomainError as exc:
        return None, {exc.field if exc.field in ("conviction",) else "form": exc.detail}
    return "voted", {}


def _proposal_page(req: PageRequest, number: int, errors: dict[str, str], status: int) -> PageReply:
    assert req.principal is not None
    service = req.features.governance
    view = service.view(service.get(number))
    p, tally, state = view.proposal, view.tally, view.state
    user = req.principal.user_id
    mine = service.store.vote(p.id, user)
    now = service.clock.now()
    timeline = [
        ("Created", p.created_at),
        ("Voting opens", p.snapshot_at),
        ("Voting closes", p.deadline_at),
        ("Queued", p.queued_at),
        ("Executable from", p.eta),
        ("Must be executed by", None if p.eta is None else p.eta + p.grace_period),
        ("Executed", p.executed_at),
        ("Canceled", p.canceled_at),
    ]
    can_vote = state is ProposalState.ACTIVE and mine is None
    snapshot_power = service.store.voting_power(user, p.snapshot_at) if can_vote else 0
    rules = service.rules
    html = render_page(
        "proposal.html.j2",
        title=f"Proposal {p.id}: {p.title}",
        proposal=p,
        state=state,
        state_words=STATE_WORDS[state],
        proposer=_who(req, p.proposer_id),
        actions=[_in_words(a) for a in p.actions],
        votes=[
            ("For", _gov(tally.for_weight), _gov(tally.for_power)),
            ("Against", _gov(tally.against_weight), _gov(tally.against_power)),
            ("Abstain", _gov(tally.abstain_weight), _gov(tally.abstain_power)),
        ],
        voters=tally.voters,
        quorum=None if view.quorum is None else _gov(view.quorum),
        quorum_votes=_gov(tally.quorum_votes(p.quorum_mode)),
        quorum_percent=f"{p.quorum_bps / 100:g}",
        quorum_progress=_progress(tally.quorum_votes(p.quorum_mode), view.quorum),
        quorum_reached=view.quorum_reached,
        outcome=view.outcome.reason,
        timeline=[(label, when, when <= now) for label, when in timeline if when is not None],
        my_vote=mine,
        my_vote_weight=None if mine is None else _gov(mine.weight),
        can_vote=can_vote,
        snapshot_power=_gov(snapshot_power),
        has_power=snapshot_power > 0,
        convictions=[
            (
                k,
                f"{rules.multiplier_bps(k) / 10_000:g}",
                None if k == 0 else rules.lock_release(p.deadline_at, k),
            )
            for k in range(rules.conviction_max_periods + 1)
        ],
        period_days=f"{rules.conviction_period.total_seconds() / 86_400:g}",
        locks=service.conviction_locks(user),
        can_queue=state is ProposalState.SUCCEEDED,
        can_execute=state is ProposalState.QUEUED and p.eta is not None and now >= p.eta,
        can_cancel=state not in _FINAL and (p.proposer_id == user or req.principal.is_admin),
        form=req.form if req.method == "POST" else {},
        errors=errors,
        done=DONE.get(req.query.get("done", "")),
        impact=impact_view(impact_report(req.features, p.id)),
        proposal_id=p.id,
        user=req.principal,
        csrf_token=req.csrf_token,
    )
    return PageReply(html, status=status)


_FINAL = (
    ProposalState.EXECUTED,
    ProposalState.CANCELED,
    ProposalState.DEFEATED,
    ProposalState.EXPIRED,
)


def _progress(cast: int, needed: int | None) -> int:
    """Per cent of quorum reached, 0 to 100."""
    if not needed:
        return 100 if needed == 0 else 0
    return min(100, cast * 100 // needed)


# how each lever reads in plain words: its name, and whether its value is a share in per cent
WORDS: dict[str, tuple[str, bool]] = {
    "neutral_real_rate": ("neutral real rate", True),
    "inflation_response": ("response to inflation", False),
    "output_gap_response": ("response to the output gap", False),
    "smoothing": ("smoothing", False),
    "lower_bound": ("floor on the policy rate", True),
    "inflation_target": ("inflation target", True),
    "unemployment_benefit": ("unemployment benefit", True),
    "pension": ("pension", True),
    "basic_income": ("basic income", True),
}
UNITS = {
    "unemployment_benefit": " of the usual pay",
    "pension": " of the usual pay",
    "basic_income": " of the average wage a month",
    "neutral_real_rate": " a year",
    "lower_bound": " a year",
}
KINDS = {
    "tax_brackets": "Income tax",
    "taylor_rule": "Taylor rule",
    "inflation_target": "Inflation target",
    "transfer_policy": "Government transfers",
}


def _in_words(action: Action) -> str:
    """`SetInflationTarget(inflation_target=0.025)` -> "Inflation target: 2.5 %"."""
    fields = action.model_dump()
    kind = str(fields.pop("type", "change"))
    label = KINDS.get(kind, kind.replace("_", " ").capitalize())
    if kind == "tax_brackets":
        steps = [
            f"{_pct(b['rate'])} above {b['threshold']:g} average annual wages"
            for b in fields["tax_brackets"]
        ]
        return f"{label}: {'; '.join(steps)}"
    parts = []
    for name, value in fields.items():
        if value is None:  # a field left out changes nothing
            continue
        words, percent = WORDS.get(name, (name.replace("_", " "), False))
        shown = _pct(value) if percent else f"{value:g}"
        parts.append(f"{words} {shown}{UNITS.get(name, '')}")
    if kind == "inflation_target" and len(parts) == 1:
        return f"{label}: {parts[0].removeprefix('inflation target ')} a year"
    return f"{label}: {', '.join(parts)}" if parts else label


def _pct(share: float) -> str:
    return f"{share * 100:.4g} %"


# -- the impact preview ----------------------------------------------------------------
@dataclass(frozen=True)
class ImpactCell:
    mean: str
    low: str
    high: str
    t_low: str | None
    t_high: str | None


@dataclass(frozen=True)
class ImpactRow:
    title: str
    unit: str
    cells: list[ImpactCell]  # by horizon, in HORIZON_YEARS' order


def _signed(value: float) -> str:
    return f"{value:+.2f}".replace("-", "\u2212")


def impact_view(report: ImpactReport) -> dict[str, Any]:
    """The preview as the proposal page shows it: its state in words and, when ready, a
    row per measure with a cell per horizon."""
    rows: list[ImpactRow] = []
    by_measure: dict[str, dict[int, ImpactFigure]] = {}
    for figure in report.figures:
        by_measure.setdefault(figure.measure, {})[figure.years] = figure
    for found in by_measure.values():
        first = next(iter(found.values()))
        cells = [
            ImpactCell(
                _signed(f.mean),
                _signed(f.low),
                _signed(f.high),
                None if f.t_low is None else _signed(f.t_low),
                None if f.t_high is None else _signed(f.t_high),
            )
            for f in (found[y] for y in HORIZON_YEARS if y in found)
        ]
        rows.append(ImpactRow(first.title, first.unit, cells))
    return {
        "report": report,
        "percent": int(report.progress * 100),
        "live": report.status in ("queued", "running"),
        "paid": in_tokens(to_minor(report.charged_aia), Token.AIA),
        "years": HORIZON_YEARS,
        "rows": rows,
    }


def impact_fragment(req: PageRequest) -> PageReply:
    """The proposal page's impact section alone: htmx polls it while the runs go."""
    if req.principal is None:
        return PageReply("", status=401)
    raw = req.path_params["proposal_id"]
    try:
        number = proposal_number(raw)
        req.features.governance.get(number)
    except NotFound:
        return PageReply("", status=404)
    html = render_page(
        "proposal_impact.html.j2",
        proposal_id=number,
        impact=impact_view(impact_report(req.features, number)),
    )
    return PageReply(html)


# -- proposing -------------------------------------------------------------------------
@dataclass(frozen=True)
class Lever:
    """One form field of an action: its name, label, unit, bounds, and how the form's
    number becomes the API's (per cent / 100, or as is)."""

    name: str
    label: str
    hint: str
    percent: bool = False


BRACKETS = 4  # rows of the tax schedule on the form (the API takes up to 12)
LEVERS: dict[str, list[Lever]] = {
    "taylor_rule": [
        Lever("neutral_real_rate", "Neutral real rate r* (% a year)", "-5 to 10", True),
        Lever("inflation_response", "Response to inflation a_pi", "0 to 5"),
        Lever("output_gap_response", "Response to the output gap a_y", "0 to 5"),
        Lever("smoothing", "Smoothing (monthly weight on last month's rate)", "0 to below 1"),
        Lever("lower_bound", "Floor on the policy rate (% a year)", "-5 to 10", True),
    ],
    "inflation_target": [
        Lever("inflation_target", "Inflation target pi* (% a year)", "-2 to 10", True),
    ],
    "transfer_policy": [
        Lever(
            "unemployment_benefit",
            "Unemployment benefit (% of the worker's usual pay)",
            "0 to 100",
            True,
        ),
        Lever("pension", "Pension (% of the usual pay, from 65)", "0 to 100", True),
        Lever("basic_income", "Basic income (monthly, % of the average wage)", "0 to 100", True),
    ],
}
ACTIONS = TypeAdapter(list[PolicyAction])


def new_proposal(req: PageRequest) -> PageReply:
    if req.principal is None:
        return sign_in_first(req, "/governance/proposals/new", "the proposal form")
    form: Mapping[str, str] = req.form if req.method == "POST" else {}
    errors: dict[str, str] = {}
    if req.method == "POST":
        proposal_id, errors = _propose(req)
        if proposal_id is not None:
            return PageReply(redirect=f"/governance/proposals/{proposal_id}")
    service = req.features.governance
    power = service.voting_power(req.principal.user_id)
    rules = service.rules
    html = render_page(
        "proposal_new.html.j2",
        title="Propose a policy change",
        form=form,
        errors=errors,
        brackets=range(BRACKETS),
        levers=LEVERS,
        threshold=_gov(rules.proposal_threshold),
        votes=_gov(power.votes),
        enough=power.votes >= rules.proposal_threshold,
        delay=_duration(rules.voting_delay.total_seconds()),
        period=_duration(rules.voting_period.total_seconds()),
        timelock=_duration(rules.timelock.total_seconds()),
        quorum_percent=f"{rules.quorum_bps / 100:g}",
        impact_quote=_quote_words(req),
        user=req.principal,
        csrf_token=req.csrf_token,
    )
    return PageReply(html, status=400 if errors else 200)


def _quote_words(req: PageRequest) -> str:
    """What proposing costs now, in words: the impact preview's price (or why free)."""
    quote = impact_quote_of(req.features)
    if not quote.available:
        return f"No impact preview would run now ({quote.reason}): proposing costs nothing."
    price = in_tokens(to_minor(quote.price_aia), Token.AIA)
    return (
        f"A proposal that changes the live policy is previewed before the vote: the live "
        f"economy ({quote.households:,} households) run {quote.months // 12} years on, with "
        f"and without your change, over {quote.seeds} seeds. You pay {price} when you "
        f"propose (the simulation's price for {quote.household_months:,} "
        f"household-months), given back if the runs fail through the platform's fault."
    )


def _duration(seconds: float) -> str:
    if seconds >= 86_400 and seconds % 86_400 == 0:
        days = int(seconds // 86_400)
        return f"{days} day{'' if days == 1 else 's'}"
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{int(seconds // 3600)} h"
    if seconds >= 60 and seconds % 60 == 0:
        return f"{int(seconds // 60)} min"
    return f"{seconds:g} s"


def _propose(req: PageRequest) -> tuple[int | None, dict[str, str]]:
    assert req.principal is not None
    errors: dict[str, str] = {}
    title, description = req.field("title"), req.field("description")
    if not 3 <= len(title) <= 200:
        errors["title"] = "3 to 200 characters"
    if not 1 <= len(description) <= 5000:
        errors["description"] = "say what it changes and why (up to 5,000 characters)"
    actions, kinds = _actions(req.form, errors)
    if not actions and not errors:
        errors["actions"] = "change at least one lever below"
    if errors:
        return None, errors
    try:
        parsed = ACTIONS.validate_python(actions)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            kind = (
                kinds[int(err["loc"][0])]
                if err["loc"] and isinstance(err["loc"][0], int)
                else "actions"
            )
            errors.setdefault(kind, _message(err["msg"], err["loc"][2:]))
        return None, errors
    try:
        view, _ = req.features.governance.propose(req.principal.user_id, title, description, parsed)
    except InvalidActions as exc:
        for problem in exc.problems:
            parts = problem.field.split(".")
            kind = kinds[int(parts[1])] if len(parts) > 1 and parts[1].isdigit() else "actions"
            errors.setdefault(kind, _message(problem.message, parts[2:]))
        return None, errors
    except LiveProposalExists as exc:
        return None, {"form": f"{exc.detail}: wait until its voting closes"}
    except DomainError as exc:
        return None, {"form": exc.detail}
    return view.proposal.id, {}


def _message(message: str, where: Any) -> str:
    path = " ".join(str(p).replace("_", " ") for p in where if str(p) not in ("fiscal", "monetary"))
    path = path.replace("tax brackets ", "bracket ")
    return f"{path}: {message}" if path else message


def _number(form: Mapping[str, str], name: str, errors: dict[str, str], key: str) -> float | None:
    text = form.get(name, "").strip().replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        errors.setdefault(key, f"{text[:20]!r} is not a number")
        return None
    if value != value or value in (float("inf"), float("-inf")):
        errors.setdefault(key, "must be a finite number")
        return None
    return value


def _actions(
    form: Mapping[str, str], errors: dict[str, str]
) -> tuple[list[dict[str, Any]], list[str]]:
    """The form's levers as the API's actions (only those changed), and each action's
    form section, to put an error beside it."""
    actions: list[dict[str, Any]] = []
    kinds: list[str] = []
    brackets = []
    for i in range(BRACKETS):
        threshold = _number(form, f"bracket_{i}_threshold", errors, "tax_brackets")
        rate = _number(form, f"bracket_{i}_rate", errors, "tax_brackets")
        if threshold is None and rate is None:
            continue
        if threshold is None or rate is None:
            errors.setdefault(
                "tax_brackets", f"bracket {i + 1}: give both its threshold and its rate"
            )
            continue
        brackets.append({"threshold": threshold, "rate": round(rate / 100, 6)})
    if brackets:
        actions.append({"type": "tax_brackets", "tax_brackets": brackets})
        kinds.append("tax_brackets")
    for kind, levers in LEVERS.items():
        values: dict[str, float] = {}
        for lever in levers:
            value = _number(form, lever.name, errors, kind)
            if value is not None:
                values[lever.name] = round(value / 100, 6) if lever.percent else value
        if values:
            actions.append({"type": kind, **values})
            kinds.append(kind)
    return actions, kinds


# -- delegation ------------------------------------------------------------------------
def delegation(req: PageRequest) -> PageReply:
    if req.principal is None:
        return sign_in_first(req, "/governance/delegation", "your delegation")
    user = req.principal.user_id
    errors: dict[str, str] = {}
    to = ""
    if req.method == "POST":
        choice = req.field("do")
        to = req.field("to")
        try:
            if choice == "self":
                req.features.governance.delegate(user, user)
                return PageReply(redirect="/governance/delegation?done=self")
            if choice == "none":
                req.features.governance.delegate(user, None)
                return PageReply(redirect="/governance/delegation?done=none")
            if not to:
                errors["to"] = "give an email address, a handle such as @grace, or a user id"
            elif len(to) > 320:
                errors["to"] = "at most 320 characters"
            else:
                target = delegate_named(req.features, user, to)
                req.features.governance.delegate(user, target)
                return PageReply(redirect="/governance/delegation?done=other")
        except DomainError as exc:
            errors["to" if exc.field == "to" else "form"] = exc.detail
    done = {
        "self": "You vote yourself now: your AIA_GOV is your voting power.",
        "none": "You delegate to nobody now: your AIA_GOV has no votes.",
        "other": "Your votes are delegated.",
    }.get(req.query.get("done", ""))
    html = render_page(
        "delegation.html.j2",
        title="Delegate your votes",
        power=_power(req),
        to=to,
        errors=errors,
        done=done,
        user=req.principal,
        csrf_token=req.csrf_token,
    )
    return PageReply(html, status=400 if errors else 200)


PAGES = [
    Page("/governance", governance),
    Page("/governance/proposals/new", new_proposal, ("GET", "POST")),
    Page("/governance/proposals/{proposal_id}", proposal, ("GET", "POST")),
    Page("/governance/proposals/{proposal_id}/impact", impact_fragment),
    Page("/governance/delegation", delegation, ("GET", "POST")),
]
