"""Agents pages: the owner's agents with the register form and their week (the weekly
agent report links to `/agents?week=YYYY-Www`), one agent's records, scores and rewards
(platform-observed work apart from self-reported, ADR 0011), and the public rankings.
Each calls the agents feature as `/v1/agents...` does."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from pydantic import ValidationError

from shared.agents.api import AgentCreate, PerformanceRecord
from shared.agents.events import TASK_TYPE
from shared.agents.performance_score import PERIOD_DAYS, WEIGHTS, Period
from shared.agents.records import record_task
from shared.agents.registry import list_agents, owned_agents, register_agent
from shared.agents.report import agent_weeks
from shared.agents.standing import agent_performance, ranked_agents, rewards_received
from shared.agents.weeks import week_days, week_of
from shared.errors import DomainError, NotFound
from shared.money import Token, in_tokens
from shared.web.account_pages import sign_in_first
from shared.web.render import render_page
from shared.web.report_pages import not_found
from shared.web.spec import Page, PageReply, PageRequest

REWARD_DAYS = 30
MEASURES = [
    ("accuracy", "Accuracy", "How correct the result was"),
    ("completeness", "Completeness", "How much of the task it did"),
    ("timeliness", "Timeliness", "1 on time, lower the later"),
    ("quality", "Quality", "The result's quality"),
    ("cost", "Cost", "Normalised: 0 free, 1 dearest (lower is better)"),
]


def _tokens(amounts: Mapping[str, int]) -> str:
    shown = [in_tokens(amount, token) for token, amount in sorted(amounts.items()) if amount]
    return ", ".join(shown) or "none"


def _errors(exc: ValidationError) -> dict[str, str]:
    found: dict[str, str] = {}
    for err in exc.errors(include_url=False):
        name = str(err["loc"][0]) if err["loc"] else "form"
        found.setdefault(name, err["msg"].removeprefix("Value error, "))
    return found


# -- the owner's agents and their week -------------------------------------------------
def agents(req: PageRequest) -> PageReply:
    week = asked = req.query.get("week", "")
    if req.principal is None:
        return sign_in_first(req, f"/agents?week={week}" if week else "/agents", "your agents")
    feature = req.features.agents
    owner = req.principal.user_id
    form: Mapping[str, str] = req.form if req.method == "POST" else {}
    errors: dict[str, str] = {}
    if req.method == "POST":
        capabilities = [c.strip() for c in req.field("capabilities").replace(",", " ").split()]
        try:
            body = AgentCreate(
                name=req.field("name"),
                capabilities=capabilities,
                model_provider=req.field("model_provider"),
            )
            doc = register_agent(
                feature.documents,
                owner,
                body.name,
                body.capabilities,
                body.model_provider,
                limit=feature.max_per_owner,
                now=feature.clock.now(),
            )
        except ValidationError as exc:
            errors = _errors(exc)
        except DomainError as exc:
            errors = {"form": exc.detail}
        else:
            return PageReply(redirect=f"/agents/{doc['agent_id']}?done=registered")
    today = feature.clock.now().date()
    week = week or week_of(today)
    try:
        monday, sunday = week_days(week)
    except ValueError:
        return not_found(req, f"{week[:20]!r} is not a week such as 2026-W02.")
    weeks = agent_weeks(feature.documents, owner, week, today=today, scoring=feature.scoring)
    rows = [
        (
            w.agent_id,
            w.name,
            w.rank,
            w.rank_change,
            w.tasks,
            round(w.score, 4),
            in_tokens(w.rewards.get(Token.AIA.value, 0), Token.AIA),
            in_tokens(w.rewards.get(Token.AIA_GOV.value, 0), Token.AIA_GOV),
        )
        for w in sorted(weeks, key=lambda w: (w.rank is None, w.rank or 0, w.name))
    ]
    html = render_page(
        "agents.html.j2",
        title=f"Your agents, {week}" if asked else "Your agents",
        week=week,
        period=f"{monday:%d %b} - {sunday:%d %b %Y}",
        previous_week=week_of(monday - timedelta(days=7)),
        next_week=week_of(monday + timedelta(days=7)) if sunday < today else None,
        mine=list_agents(feature.documents, owner),
        rows=rows,
        form=form,
        errors=errors,
        limit=feature.max_per_owner,
        wide=True,
        user=req.principal,
        csrf_token=req.csrf_token,
    )
    return PageReply(html, status=400 if errors else 200)


# -- one agent -------------------------------------------------------------------------
def agent(req: PageRequest) -> PageReply:
    agent_id = req.path_params["agent_id"]
    if req.principal is None:
        return sign_in_first(req, f"/agents/{agent_id}", "this agent")
    feature = req.features.agents
    try:
        doc = owned_agents(feature.documents, req.principal).require(agent_id, "agent")
    except NotFound:
        return not_found(req, "No agent of yours has this address.")
    form: Mapping[str, str] = req.form if req.method == "POST" else {}
    errors: dict[str, str] = {}
    if req.method == "POST":
        errors = _record(req, agent_id)
        if not errors:
            return PageReply(redirect=f"/agents/{agent_id}?done=recorded")
    perf = agent_performance(feature, agent_id)
    rewards, totals = rewards_received(feature, agent_id, REWARD_DAYS)
    html = render_page(
        "agent.html.j2",
        title=doc["name"],
        agent=doc,
        perf=perf,
        days=[
            (t.day, t.tasks, t.observed_tasks, t.tasks - t.observed_tasks, t.score_sum / t.tasks)
            for t in perf.days
        ],
        rewards=[
            (
                r["day"],
                r["rank"],
                round(r["score"], 4),
                in_tokens(int(r["paid_for_minor"]), Token.AIA) if "paid_for_minor" in r else "",
                _tokens({t: int(a) for t, a in r["amounts"].items()}),
            )
            for r in rewards
        ],
        totals=_tokens(totals),
        reward_days=REWARD_DAYS,
        measures=MEASURES,
        form=form,
        errors=errors,
        done={
            "registered": "Your agent is registered.",
            "recorded": "The task is recorded, as self-reported.",
        }.get(req.query.get("done", "")),
        user=req.principal,
        csrf_token=req.csrf_token,
    )
    return PageReply(html, status=400 if errors else 200)


def _record(req: PageRequest, agent_id: str) -> dict[str, str]:
    """A self-reported task, as `POST /v1/agents/{id}/performance` records it."""
    assert req.principal is not None
    feature = req.features.agents
    values: dict[str, Any] = {"task_id": req.field("task_id"), "task_type": req.field("task_type")}
    for name, _, _ in MEASURES:
        values[name] = req.field(name)
    try:
        body = PerformanceRecord.model_validate(values)
        record_task(
            feature.documents,
            feature.clock.now(),
            agent_id=agent_id,
            owner_id=req.principal.user_id,
            task_id=body.task_id,
            task_type=body.task_type,
            accuracy=body.accuracy,
            completeness=body.completeness,
            timeliness=body.timeliness,
            quality=body.quality,
            cost=body.cost,
            source="api",
        )
    except ValidationError as exc:
        return _errors(exc)
    except DomainError as exc:
        return {"task_id" if exc.problem == "task-conflict" else "form": exc.detail}
    return {}


# -- the rankings ----------------------------------------------------------------------
def rankings(req: PageRequest) -> PageReply:
    if req.principal is None:
        return sign_in_first(req, "/agents/rankings", "the agents' rankings")
    feature = req.features.agents
    period_text = req.query.get("period", "week")
    period: Period = period_text if period_text in PERIOD_DAYS else "week"  # type: ignore[assignment]
    task_type = req.query.get("task_type", "").strip()
    if task_type and not re.match(TASK_TYPE, task_type):
        task_type = ""
    ranked = ranked_agents(feature, period, task_type or None)
    mine = {d["agent_id"] for d in list_agents(feature.documents, req.principal.user_id)}
    html = render_page(
        "agent_rankings.html.j2",
        title="Agent rankings",
        period=period,
        task_type=task_type,
        periods=[(p, f"{days} day{'' if days == 1 else 's'}") for p, days in PERIOD_DAYS.items()],
        rows=[
            (
                s.rank,
                doc["agent_id"],
                doc["name"],
                doc["model_provider"],
                ", ".join(doc["capabilities"]),
                round(s.score, 4),
                s.tasks,
                s.observed_tasks,
                s.tasks - s.observed_tasks,
                doc["agent_id"] in mine,
            )
            for s, doc in ranked
        ],
        min_tasks=feature.scoring.min_tasks,
        half_life=f"{feature.scoring.half_life_days:g}",
        weights=WEIGHTS,
        wide=True,
        user=req.principal,
        csrf_token=req.csrf_token,
    )
    return PageReply(html)


PAGES = [
    Page("/agents", agents, ("GET", "POST")),
    Page("/agents/rankings", rankings),
    Page("/agents/{agent_id}", agent, ("GET", "POST")),
]
