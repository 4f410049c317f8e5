"""The weekly agent performance report of one owner: each agent's score, rank and rank
change (weekly standings at the close of this Sunday and the one before), the rewards it
earned during the week, and an SVG chart of its daily scores.

The chart is stored with the report under an unguessable id and served at
`GET /v1/agents/reports/<id>/chart.svg` (mail clients do not show inline SVG and cannot
send a bearer token, so the link itself is the capability, like an unsubscribe link).
Preparing the same (owner, week) again reuses the id and rewrites the same content.

The report is the context of the email type `report` (kind `agent_performance`), as
plain JSON: the email feature types it (`ReportContext`) when the workflow sends it."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from shared.agents.performance_score import Scoring
from shared.agents.rankings import closed_day_standing
from shared.agents.records import agent_tallies
from shared.agents.registry import list_agents, owners_page
from shared.agents.rewards import earned
from shared.agents.weeks import week_days
from shared.charts import CategorySeries, category_line_chart
from shared.money import UNIT, Token
from shared.ports.documents import Document, DocumentStore, DocumentTransaction

REPORTS = "agent_reports"
REPORT_INDEX = "agent_report_index"
OWNERS_PAGE = 100
REPORT_ID = re.compile(r"^[a-f0-9]{32}$")


@dataclass(frozen=True)
class ReportLinks:
    """Where a report links to: the web app (the owner's agents page) and the API (the
    chart)."""

    app_base_url: str
    api_base_url: str


def owners(store: DocumentStore, cursor: str) -> dict[str, Any]:
    """One page of owners with agents, after `cursor` (the last owner of the page before)."""
    page = owners_page(store, cursor, OWNERS_PAGE)
    more = len(page) == OWNERS_PAGE
    return {"owners": page, "next_cursor": page[-1] if page else cursor, "more": more}


@dataclass(frozen=True)
class AgentWeek:
    agent_id: str
    name: str
    score: float
    rank: int | None
    rank_change: int
    tasks: int
    daily: list[float | None]  # mean task score per day, Monday first
    rewards: dict[str, int]  # minor units by token


def agent_weeks(
    store: DocumentStore, owner_id: str, week: str, *, today: date, scoring: Scoring
) -> list[AgentWeek]:
    monday, sunday = week_days(week)
    now = closed_day_standing(store, sunday, today, scoring).by_agent()
    before = closed_day_standing(store, sunday - timedelta(days=7), today, scoring).by_agent()
    weeks = []
    for agent in list_agents(store, owner_id):
        agent_id = agent["agent_id"]
        days = {t.day: t for t in agent_tallies(store, agent_id, monday, sunday)}
        daily = [
            (t.score_sum / t.tasks) if (t := days.get(monday + timedelta(days=i))) else None
            for i in range(7)
        ]
        rewards: dict[str, int] = {}
        for doc in earned(store, agent_id, monday, sunday):
            for token, amount in doc["amounts"].items():
                rewards[token] = rewards.get(token, 0) + int(amount)
        standing, previous = now.get(agent_id), before.get(agent_id)
        rank = standing.rank if standing else None
        prior = previous.rank if previous else None
        weeks.append(
            AgentWeek(
                agent_id=agent_id,
                name=agent["name"],
                score=standing.score if standing else 0.0,
                rank=rank,
                rank_change=(prior - rank) if rank is not None and prior is not None else 0,
                tasks=sum(t.tasks for t in days.values()),
                daily=daily,
                rewards=rewards,
            )
        )
    return weeks


def prepare(
    store: DocumentStore,
    owner_id: str,
    week: str,
    *,
    now: datetime,
    scoring: Scoring,
    links: ReportLinks,
) -> dict[str, Any]:
    """The owner's report for `week`: `{send, report_id, context}`, where `context` is
    the email's report context (kind agent_performance). `send` is false when no agent
    of the owner worked or earned during the week."""
    monday, sunday = week_days(week)
    weeks = agent_weeks(store, owner_id, week, today=now.date(), scoring=scoring)
    active = [w for w in weeks if w.tasks or any(w.rewards.values())]
    if not active:
        return {"send": False, "report_id": None, "context": {}}
    labels = [(monday + timedelta(days=i)).strftime("%a %d") for i in range(7)]
    svg = category_line_chart(
        f"Daily task score, {week}",
        labels,
        [CategorySeries(w.name, w.daily) for w in active if w.tasks],
        y_range=(0.0, 1.0),
        y_format=lambda score: f"{score:.2f}",
        no_data_text="no tasks this week",
    )
    aia = sum(w.rewards.get(Token.AIA.value, 0) for w in weeks)
    gov = sum(w.rewards.get(Token.AIA_GOV.value, 0) for w in weeks)
    tasks = sum(w.tasks for w in weeks)
    report_id = _report_id(store, owner_id, week)
    context: dict[str, Any] = {
        "kind": "agent_performance",
        "title": "Your agents this week",
        "period": f"{week}, {monday:%d %b} - {sunday:%d %b %Y}",
        "summary": (
            f"Your {len(weeks)} agent{'s' if len(weeks) != 1 else ''} completed {tasks} "
            f"task{'s' if tasks != 1 else ''} and earned {aia / UNIT:,.2f} AIA and "
            f"{gov / UNIT:,.2f} AIA_GOV in rewards."
        ),
        "agents": [
            _agent_score(w)
            for w in sorted(weeks, key=lambda w: (w.rank is None, w.rank or 0, w.name))[:100]
        ],
        "total_reward_aia": aia / UNIT,
        "report_url": f"{links.app_base_url.rstrip('/')}/agents?week={week}",
        "chart_url": f"{links.api_base_url.rstrip('/')}/v1/agents/reports/{report_id}/chart.svg",
    }
    store.set(
        REPORTS,
        report_id,
        {
            "report_id": report_id,
            "owner_id": owner_id,
            "week": week,
            "svg": svg,
            "context": context,
            "prepared_at": now.isoformat(),
        },
    )
    return {"send": True, "report_id": report_id, "context": context}


def _agent_score(w: AgentWeek) -> dict[str, Any]:
    """One agent's line of the report (an unranked agent has no `rank`)."""
    line: dict[str, Any] = {"name": w.name, "score": round(w.score, 4)}
    if w.rank is not None:
        line["rank"] = w.rank
    line["rank_change"] = w.rank_change
    line["reward_aia"] = w.rewards.get(Token.AIA.value, 0) / UNIT
    return line


def _report_id(store: DocumentStore, owner_id: str, week: str) -> str:
    """The report's id for (owner, week): made once, reused on every re-run."""
    fresh = secrets.token_hex(16)
    key = f"{owner_id}:{week}"

    def claim(tx: DocumentTransaction) -> str:
        index = tx.get(REPORT_INDEX, key)
        if index is not None:
            return str(index["report_id"])
        tx.create(REPORT_INDEX, key, {"owner_id": owner_id, "week": week, "report_id": fresh})
        return fresh

    return store.run_transaction(claim)


def chart(store: DocumentStore, report_id: str) -> str | None:
    if not REPORT_ID.match(report_id):
        return None
    doc: Document | None = store.get(REPORTS, report_id)
    return None if doc is None else str(doc["svg"])
