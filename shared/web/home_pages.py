"""The workspace's front door. Signed out: what AIA is, sign in or register. Signed in:
the wallet's balances (as `GET /v1/wallet`), the flagship economy's current indicators with
24-month sparklines (as `GET /v1/economy/metrics`), recent activity (ledger entries as
`GET /v1/wallet/history`, proposals as `GET /v1/governance/proposals`, runs as
`GET /v1/simulations`) and the first things to try, which follow what the user has done."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared.api.spec import Principal
from shared.errors import DomainError
from shared.ledger.api import HistoryQuery, history_page, wallet_of
from shared.money import Token, in_tokens, to_minor
from shared.simulation.indicators import TickMetrics
from shared.simulation.store import LIVE_ID
from shared.tenancy import OwnedCollection
from shared.venture.report import REPORTS
from shared.web.charts import ChartData, chart_data, series
from shared.web.render import render_page
from shared.web.spec import Page, PageReply, PageRequest
from shared.web.wallet_pages import entry_rows

SPARK_MONTHS = 24
RECENT = 5
# (metric, label): the indicators the home page shows, each in per cent
INDICATORS = (
    ("unemployment_rate", "Unemployment"),
    ("inflation", "Inflation (a year)"),
    ("policy_rate", "Policy rate"),
    ("gdp_growth", "Real GDP growth (a year)"),
)


@dataclass(frozen=True)
class Step:
    """One of the first things to try: done or not, and where to do it."""

    key: str
    title: str
    done: bool
    href: str
    action: str  # the link's words when not done yet
    done_note: str


@dataclass(frozen=True)
class Indicator:
    label: str
    value: str
    spark: ChartData | None


def home(req: PageRequest) -> PageReply:
    values: dict[str, Any] = {
        "title": "Your AIA workspace",
        "user": req.principal,
        "csrf_token": req.csrf_token,
        "notice": None,
    }
    if req.principal is None:
        return PageReply(render_page("home.html.j2", **values))
    if req.method == "POST":  # the one action of the page: a new verification link
        try:
            req.features.accounts.service.resend_verification(req.principal.user_id)
            values["notice"] = "A new confirmation link is on its way: open it from your inbox."
        except DomainError as exc:
            values["notice"] = exc.detail
    values.update(_signed_in(req, req.principal))
    return PageReply(render_page("home.html.j2", **values))


def _signed_in(req: PageRequest, user: Principal) -> dict[str, Any]:
    features = req.features
    wallet = wallet_of(features, user.user_id)
    aia, gov = wallet.tokens[Token.AIA], wallet.tokens[Token.AIA_GOV]
    staked = wallet.staked.get(Token.AIA.value, "0")
    balances = [
        ("AIA available", in_tokens(to_minor(aia.available), Token.AIA)),
        ("AIA staked", in_tokens(to_minor(staked), Token.AIA)),
        ("AIA_GOV available", in_tokens(to_minor(gov.available), Token.AIA_GOV)),
    ]
    if to_minor(gov.locked):
        balances.append(("AIA_GOV locked by votes", in_tokens(to_minor(gov.locked), Token.AIA_GOV)))
    entries = entry_rows(
        history_page(features, user.user_id, HistoryQuery.model_validate({"limit": RECENT})).entries
    )
    governance = features.governance
    proposals = governance.views(governance.store.proposals(RECENT, None))
    runs = features.simulations.owned_by(user.user_id, RECENT)
    reports = OwnedCollection(features.venture.documents, REPORTS, user.user_id).query(limit=1)
    voted = any(governance.store.vote(v.proposal.id, user.user_id) for v in proposals)
    open_ids = [v.proposal.id for v in proposals if v.state.value == "Active"]
    month, indicators = _indicators(req)
    return {
        "balances": balances,
        "frozen": wallet.frozen,
        "entries": entries,
        "proposals": proposals,
        "runs": runs,
        "month": month,
        "indicators": indicators,
        "charts": any(i.spark for i in indicators),
        "steps": _steps(user, bool(runs), bool(reports), voted, open_ids),
    }


def _steps(user: Principal, ran: bool, sized: bool, voted: bool, open_ids: list[int]) -> list[Step]:
    """What a new user tries first, the ones not done yet first."""
    vote_href = f"/governance/proposals/{open_ids[0]}" if open_ids else "/governance"
    steps = [
        Step(
            "verify",
            "Confirm your email address",
            user.verified,
            "",
            "Send me a new confirmation link",
            "Your address is confirmed: you can send and receive AIA.",
        ),
        Step(
            "simulate",
            "Run a simulation",
            ran,
            "/simulations",
            "Start a simulation",
            "You have run a simulation.",
        ),
        Step(
            "size",
            "Size a market",
            sized,
            "/venture",
            "Size a market",
            "You have sized a market.",
        ),
        Step(
            "vote",
            "Vote on a proposal",
            voted,
            vote_href,
            "Vote on the open proposal" if open_ids else "See the proposals",
            "You have voted.",
        ),
    ]
    return sorted(steps, key=lambda s: s.done)


def _indicators(req: PageRequest) -> tuple[int | None, list[Indicator]]:
    store = req.features.simulations
    latest = store.latest_metrics(LIVE_ID) if store.record(LIVE_ID) is not None else None
    if latest is None:
        return None, []
    months = store.metrics(LIVE_ID, max(0, latest.tick - SPARK_MONTHS))
    shown = []
    for metric, label in INDICATORS:
        now = getattr(latest, metric)
        if now is None:
            continue
        shown.append(Indicator(label, f"{float(now) * 100:.1f} %", _spark(months, metric, label)))
    return latest.tick, shown


def _spark(months: list[TickMetrics], metric: str, label: str) -> ChartData | None:
    values = [getattr(m, metric) for m in months]
    if sum(v is not None for v in values) < 2:
        return None
    percent = [None if v is None else float(v) * 100 for v in values]
    return chart_data([m.tick for m in months], "Month", [series(label, percent, "%")])


PAGES = [Page("/", home, ("GET", "POST"), rate_limit="auth")]
