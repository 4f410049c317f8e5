"""The live economy's page (the monthly economic update links here) and the agents' weekly
page (the weekly agent report links here): what those emails summarise, read as the API
reads it (`GET /v1/economy/metrics`, `GET /v1/economy/policy`, the agents' report)."""

from __future__ import annotations

from typing import Any

from shared.agents.report import agent_weeks
from shared.agents.weeks import week_days, week_of
from shared.money import UNIT, Token
from shared.simulation.indicators import TickMetrics
from shared.simulation.live_policy import live_policy
from shared.simulation.report import economic_figures, month_a_year_before
from shared.simulation.store import LIVE_ID, PolicyChangeRecord
from shared.web.account_pages import sign_in_first
from shared.web.charts import ChartData, chart_data, series
from shared.web.render import render_page
from shared.web.report_pages import not_found
from shared.web.spec import Page, PageReply, PageRequest


def economy(req: PageRequest) -> PageReply:
    """Public, as the economy's API is: its headline figures and the policy in force."""
    store = req.features.simulations
    live = store.record(LIVE_ID)
    latest = store.latest_metrics(LIVE_ID) if live is not None else None
    year_ago = None if latest is None else month_a_year_before(store, latest)
    policy = live_policy(store)
    history = [] if latest is None else store.metrics(LIVE_ID, max(0, latest.tick - 119))
    html = render_page(
        "economy.html.j2",
        title="The live economy",
        month=None if latest is None else latest.tick,
        households=None if live is None else live.params.households,
        figures=[] if latest is None else economic_figures(latest, year_ago),
        policy=policy.policy,
        last_change=policy.last_change,
        history=_history_chart(history) if len(history) > 1 else None,
        changes=[_change_row(c) for c in reversed(store.policy_changes(LIVE_ID))],
        charts=True,
        user=req.principal,
        csrf_token=req.csrf_token,
    )
    return PageReply(html)


def _change_row(change: PolicyChangeRecord) -> dict[str, Any]:
    """A policy change as the governance history lists it: what changed, in words, and
    the proposal that decided it."""
    decided = change.decided_by
    return {
        "applied_at": change.applied_at,
        "month": change.tick,
        "what": "; ".join(
            f"{section}: " + ", ".join(f"{_words(k)} {v}" for k, v in fields.items())
            for section, fields in change.changes.items()
        ),
        "reason": change.reason,
        "proposal": None if decided is None else (decided.proposal_id, decided.title),
    }


def _words(name: str) -> str:
    return name.replace("_", " ")


def _history_chart(months: list[TickMetrics]) -> ChartData:
    """The last ten years' unemployment, inflation and policy rate, in per cent."""
    return chart_data(
        [m.tick for m in months],
        "Month",
        [
            series("Unemployment", [m.unemployment_rate * 100 for m in months], "%"),
            series("Inflation (a year)", [m.inflation * 100 for m in months], "%"),
            series("Policy rate", [m.policy_rate * 100 for m in months], "%"),
        ],
    )


def agents_week(req: PageRequest) -> PageReply:
    week = req.query.get("week", "")
    if req.principal is None:
        return sign_in_first(req, f"/agents?week={week}" if week else "/agents", "your agents")
    agents = req.features.agents
    today = agents.clock.now().date()
    week = week or week_of(today)
    try:
        monday, sunday = week_days(week)
    except ValueError:
        return not_found(req, f"{week[:20]!r} is not a week such as 2026-W02.")
    weeks = agent_weeks(
        agents.documents, req.principal.user_id, week, today=today, scoring=agents.scoring
    )
    rows = [
        (
            w.name,
            w.rank,
            w.rank_change,
            w.tasks,
            round(w.score, 4),
            w.rewards.get(Token.AIA.value, 0) / UNIT,
            w.rewards.get(Token.AIA_GOV.value, 0) / UNIT,
        )
        for w in sorted(weeks, key=lambda w: (w.rank is None, w.rank or 0, w.name))
    ]
    html = render_page(
        "agents_week.html.j2",
        title=f"Your agents, {week}",
        period=f"{monday:%d %b} - {sunday:%d %b %Y}",
        rows=rows,
        user=req.principal,
        csrf_token=req.csrf_token,
    )
    return PageReply(html)


PAGES = [Page("/economy", economy), Page("/agents", agents_week)]
