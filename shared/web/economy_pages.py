"""The live economy's page (the monthly economic update links here): what that email
summarises, read as the API reads it (`GET /v1/economy/metrics`, `GET /v1/economy/policy`).
The agents' weekly page is in agent_pages.py."""

from __future__ import annotations

from typing import Any

from shared.simulation.indicators import TickMetrics
from shared.simulation.live_model import live_model
from shared.simulation.live_policy import live_policy
from shared.simulation.report import economic_figures, month_a_year_before
from shared.simulation.store import LIVE_ID, PolicyChangeRecord
from shared.web.charts import ChartData, chart_data, series
from shared.web.render import render_page
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
        model=None if live is None else live_model(store, live),
        figures=[] if latest is None else economic_figures(latest, year_ago),
        policy=policy.policy,
        last_change=policy.last_change,
        history=_history_chart(history) if len(history) > 1 else None,
        changes=[change_row(c) for c in reversed(store.policy_changes(LIVE_ID))],
        charts=True,
        user=req.principal,
        csrf_token=req.csrf_token,
    )
    return PageReply(html)


def change_row(change: PolicyChangeRecord) -> dict[str, Any]:
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


PAGES = [Page("/economy", economy)]
