"""HTTP routes of the agents feature: the registry (owners see and manage only their own
agents; another owner's agent is 404), performance records (idempotent per task id),
the public rankings, an agent's rewards, and the weekly report's chart."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.agents.events import TASK_TYPE
from shared.agents.performance_score import WEIGHTS, Period
from shared.agents.records import origin_of, record_task
from shared.agents.registry import list_agents, owned_agents, register_agent
from shared.agents.report import chart
from shared.agents.standing import agent_performance, ranked_agents, rewards_received
from shared.api.pagination import NEXT_CURSOR_DESCRIPTION, OffsetPageQuery, slice_page
from shared.api.spec import ApiRequest, Reply, route
from shared.errors import NotFound
from shared.money import to_decimal
from shared.ports.documents import Document

CAPABILITY = r"^[a-z0-9][a-z0-9_.-]{0,59}$"
PROVIDER = r"^[a-z0-9][a-z0-9_.-]{0,39}$"
_ORIGIN = (
    "observed: the platform ran the work (a venture report, a simulation) and it earns "
    "rewards by the AIA paid for it; self_reported: posted by the owner, shown in rankings "
    "but worth no reward"
)


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AgentCreate(_Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "Forecaster",
                    "capabilities": ["venture_report", "simulation"],
                    "model_provider": "anthropic",
                }
            ]
        }
    )

    name: str = Field(min_length=1, max_length=100, description="Shown in the rankings")
    capabilities: list[str] = Field(
        default_factory=list,
        max_length=20,
        description="Up to 20 slugs of what it does (a-z, 0-9, `_ . -`; up to 60 "
        "characters), e.g. venture_report; repeats are dropped",
    )
    model_provider: str = Field(pattern=PROVIDER, description="e.g. anthropic, openai, local")

    @field_validator("name")
    @classmethod
    def _printable(cls, value: str) -> str:
        value = value.strip()
        if not value or any(not ch.isprintable() for ch in value):
            raise ValueError("must be printable text")
        return value

    @field_validator("capabilities")
    @classmethod
    def _slugs(cls, value: list[str]) -> list[str]:
        for item in value:
            if not re.match(CAPABILITY, item):
                raise ValueError(f"{item!r} is not a capability slug (a-z, 0-9, _ . -)")
        return list(dict.fromkeys(value))


class Agent(BaseModel):
    agent_id: str = Field(description="The agent's id")
    name: str = Field(description="Shown in the rankings")
    capabilities: list[str] = Field(description="Slugs of what it does, as registered")
    model_provider: str = Field(description="Whose model it runs on, e.g. anthropic, local")
    created_at: datetime = Field(description="When it was registered (UTC)")


class AgentList(BaseModel):
    agents: list[Agent] = Field(description="This page of your agents, oldest first")
    next_cursor: str | None = Field(description=NEXT_CURSOR_DESCRIPTION)


class AgentPageQuery(OffsetPageQuery):
    limit: int = Field(default=50, ge=1, le=100, description="Agents per page")


class PerformanceDay(BaseModel):
    day: date = Field(description="A day of the window with tasks (UTC)")
    tasks: int = Field(description="Tasks recorded that day")
    observed_tasks: int = Field(description="Of the tasks, those the platform observed")
    self_reported_tasks: int = Field(
        description="Of the tasks, those the owner posted (no reward weight)"
    )
    mean_score: float = Field(description="The day's mean task score, 0 to 1, six decimals")


class Performance(BaseModel):
    period: Period = Field(
        description="The window the score is over: the reward period, a week ending `as_of`"
    )
    as_of: date = Field(description="The last day of the window (today, UTC)")
    score: float = Field(description="Decay-weighted mean task score over the period")
    tasks: int = Field(description="Tasks recorded in the window")
    observed_tasks: int = Field(description="Of the tasks, those the platform observed")
    self_reported_tasks: int = Field(description="Of the tasks, those the owner posted")
    rank: int | None = Field(description="None until the agent has min_tasks in the period")
    min_tasks: int = Field(description="Tasks in the window an agent needs to be ranked")
    days: list[PerformanceDay] = Field(
        default_factory=list, description="The window's days with tasks, oldest first"
    )


class AgentDetail(Agent):
    performance: Performance = Field(description="Its score and rank over the reward period")


class PerformanceRecord(_Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "task_id": "task-2026-05-01-001",
                    "task_type": "venture_report",
                    "accuracy": 0.9,
                    "completeness": 0.8,
                    "timeliness": 1.0,
                    "quality": 0.85,
                    "cost": 0.2,
                }
            ]
        }
    )

    task_id: str = Field(min_length=1, max_length=200, description="Idempotency: once per agent")
    task_type: str = Field(pattern=TASK_TYPE, description="e.g. venture_report, simulation")
    accuracy: float = Field(
        ge=0.0, le=1.0, allow_inf_nan=False, description="How correct the result was, 0 to 1"
    )
    completeness: float = Field(
        ge=0.0, le=1.0, allow_inf_nan=False, description="How much of the task it did, 0 to 1"
    )
    timeliness: float = Field(
        ge=0.0, le=1.0, allow_inf_nan=False, description="1 on time, lower the later, 0 to 1"
    )
    quality: float = Field(
        ge=0.0, le=1.0, allow_inf_nan=False, description="The result's quality, 0 to 1"
    )
    cost: float = Field(
        ge=0.0, le=1.0, allow_inf_nan=False, description="Normalised cost: 0 free, 1 dearest"
    )


class TaskRecord(BaseModel):
    agent_id: str = Field(description="The agent the task is recorded for")
    task_id: str = Field(description="The task's id, once per agent")
    task_type: str = Field(description="e.g. venture_report, simulation")
    accuracy: float = Field(description="As recorded, 0 to 1")
    completeness: float = Field(description="As recorded, 0 to 1")
    timeliness: float = Field(description="As recorded, 0 to 1")
    quality: float = Field(description="As recorded, 0 to 1")
    cost: float = Field(description="Normalised cost as recorded: 0 free, 1 dearest")
    score: float = Field(description="The task's weighted score (see the rankings' weights)")
    origin: Literal["observed", "self_reported"] = Field(description=_ORIGIN)
    recorded_at: datetime = Field(description="When it was first recorded (UTC)")
    replayed: bool = Field(
        description="True when this task id was already recorded: the first record is "
        "answered and nothing changes"
    )


class RankingsQuery(OffsetPageQuery):
    task_type: str | None = Field(
        default=None, pattern=TASK_TYPE, description="Rank on this type of task only"
    )
    period: Period = Field(default="week", description="The window scores are computed over")
    limit: int = Field(default=50, ge=1, le=100, description="Ranked agents per page")


class RankedAgent(BaseModel):
    rank: int = Field(description="1 is best; by score, then tasks, then agent id")
    agent_id: str = Field(description="The agent's id")
    name: str = Field(description="The agent's name")
    model_provider: str = Field(description="Whose model it runs on")
    capabilities: list[str] = Field(description="Slugs of what it does")
    score: float = Field(
        description="Decay-weighted mean task score over the period, 0 to 1, six decimals"
    )
    tasks: int = Field(description="Tasks recorded in the period (of the type asked, if any)")
    observed_tasks: int = Field(description="Of the tasks, those the platform observed")
    self_reported_tasks: int = Field(description="Of the tasks, those the owner posted")


class Rankings(BaseModel):
    period: Period = Field(description="The window ranked: day, week (7 days) or month (30)")
    task_type: str | None = Field(description="The task type ranked on; null: all tasks")
    as_of: date = Field(description="The last day of the window (today, UTC)")
    half_life_days: float = Field(
        description="Days after which a task counts half as much in the score"
    )
    min_tasks: int = Field(description="Tasks in the window an agent needs to be ranked")
    weights: dict[str, float] = Field(
        description="Each measure's weight in a task's score, adding to 1; `cost` weighs 1 - cost"
    )
    rankings: list[RankedAgent] = Field(description="This page of the ranking, best first")
    next_cursor: str | None = Field(description=NEXT_CURSOR_DESCRIPTION)


class RewardsQuery(BaseModel):
    days: int = Field(default=30, ge=1, le=90, description="Days of rewards back from today")


class RewardDay(BaseModel):
    day: date = Field(description="The day rewarded (UTC)")
    rank: int | None = Field(
        description="The agent's rank in the week ending that day; null if it was unranked"
    )
    score: float = Field(description="Its score over that week, 0 to 1, six decimals")
    paid_for: str | None = Field(
        description="AIA the owner paid for the agent's observed work that day, which the "
        "reward is for (none on rewards from before rewards followed paid work)"
    )
    amounts: dict[str, str] = Field(description="Tokens paid to the owner, by token")
    entries: dict[str, str] = Field(description="Ledger entry ids, by token")


class Rewards(BaseModel):
    agent_id: str = Field(description="The agent the rewards are for")
    rewards: list[RewardDay] = Field(description="Days it earned a reward, newest first")
    totals: dict[str, str] = Field(
        description="Tokens paid over these days, by token, as decimal strings with six decimals"
    )


def _agent(doc: Document) -> Agent:
    return Agent(
        agent_id=doc["agent_id"],
        name=doc["name"],
        capabilities=doc["capabilities"],
        model_provider=doc["model_provider"],
        created_at=datetime.fromisoformat(doc["created_at"]),
    )


def create_agent(req: ApiRequest[AgentCreate]) -> Reply:
    body = req.body
    owner = req.require_principal().user_id
    agents = req.features.agents
    doc = register_agent(
        agents.documents,
        owner,
        body.name,
        body.capabilities,
        body.model_provider,
        limit=agents.max_per_owner,
        now=agents.clock.now(),
    )
    return Reply(_agent(doc), status=201, headers={"Location": f"/v1/agents/{doc['agent_id']}"})


def get_agents(req: ApiRequest[None, AgentPageQuery]) -> AgentList:
    owner = req.require_principal().user_id
    docs, next_cursor = slice_page(list_agents(req.features.agents.documents, owner), req.query)
    return AgentList(agents=[_agent(d) for d in docs], next_cursor=next_cursor)


def get_agent(req: ApiRequest) -> AgentDetail:
    agent_id = req.path_params["agent_id"]
    agents = req.features.agents
    doc = owned_agents(agents.documents, req.require_principal()).require(agent_id, "agent")
    perf = agent_performance(agents, agent_id)
    return AgentDetail(
        **_agent(doc).model_dump(),
        performance=Performance(
            period=perf.period,
            as_of=perf.as_of,
            score=round(perf.score, 6),
            tasks=perf.tasks,
            observed_tasks=perf.observed_tasks,
            self_reported_tasks=perf.self_reported_tasks,
            rank=perf.rank,
            min_tasks=perf.min_tasks,
            days=[
                PerformanceDay(
                    day=t.day,
                    tasks=t.tasks,
                    observed_tasks=t.observed_tasks,
                    self_reported_tasks=t.tasks - t.observed_tasks,
                    mean_score=round(t.score_sum / t.tasks, 6),
                )
                for t in perf.days
            ],
        ),
    )


def record_performance(req: ApiRequest[PerformanceRecord]) -> Reply:
    body = req.body
    owner = req.require_principal().user_id
    agents = req.features.agents
    recorded = record_task(
        agents.documents,
        agents.clock.now(),
        agent_id=req.path_params["agent_id"],
        owner_id=owner,
        task_id=body.task_id,
        task_type=body.task_type,
        accuracy=body.accuracy,
        completeness=body.completeness,
        timeliness=body.timeliness,
        quality=body.quality,
        cost=body.cost,
        source="api",
    )
    r = recorded.record
    result = TaskRecord(
        agent_id=r["agent_id"],
        task_id=r["task_id"],
        task_type=r["task_type"],
        accuracy=r["accuracy"],
        completeness=r["completeness"],
        timeliness=r["timeliness"],
        quality=r["quality"],
        cost=r["cost"],
        score=round(r["score"], 6),
        origin=r.get("origin") or origin_of(r["source"]),
        recorded_at=datetime.fromisoformat(r["recorded_at"]),
        replayed=recorded.replayed,
    )
    return Reply(result, status=200 if recorded.replayed else 201)


def rankings(req: ApiRequest[None, RankingsQuery]) -> Rankings:
    query = req.query
    feature = req.features.agents
    scoring = feature.scoring
    ranked, next_cursor = slice_page(ranked_agents(feature, query.period, query.task_type), query)
    return Rankings(
        period=query.period,
        task_type=query.task_type,
        as_of=feature.clock.now().date(),
        half_life_days=scoring.half_life_days,
        min_tasks=scoring.min_tasks,
        weights=WEIGHTS,
        rankings=[
            RankedAgent(
                rank=s.rank or 0,
                agent_id=s.agent_id,
                name=doc["name"],
                model_provider=doc["model_provider"],
                capabilities=doc["capabilities"],
                score=round(s.score, 6),
                tasks=s.tasks,
                observed_tasks=s.observed_tasks,
                self_reported_tasks=s.tasks - s.observed_tasks,
            )
            for s, doc in ranked
        ],
        next_cursor=next_cursor,
    )


def agent_rewards(req: ApiRequest[None, RewardsQuery]) -> Rewards:
    query = req.query
    agent_id = req.path_params["agent_id"]
    agents = req.features.agents
    owned_agents(agents.documents, req.require_principal()).require(agent_id, "agent")
    docs, totals = rewards_received(agents, agent_id, query.days)
    return Rewards(
        agent_id=agent_id,
        rewards=[
            RewardDay(
                day=date.fromisoformat(d["day"]),
                rank=d["rank"],
                score=round(d["score"], 6),
                paid_for=to_decimal(int(d["paid_for_minor"])) if "paid_for_minor" in d else None,
                amounts={t: to_decimal(int(a)) for t, a in d["amounts"].items()},
                entries=d["entries"],
            )
            for d in docs
        ],
        totals={t: to_decimal(a) for t, a in totals.items()},
    )


def report_chart(req: ApiRequest) -> Reply:
    report_id = req.path_params["report_id"]
    svg = chart(req.features.agents.documents, report_id)
    if svg is None:
        raise NotFound("chart", report_id, detail="no such chart")
    return Reply(
        svg,
        media_type="image/svg+xml",
        # drawn here with escaped text; the policy keeps it inert even if it were not
        headers={"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"},
    )


ROUTES = [
    route(
        "POST",
        "/v1/agents",
        create_agent,
        "Register an agent owned by the caller",
        "agents",
        body=AgentCreate,
        response=Agent,
        status=201,
        auth="user",
        errors=(409,),
    ),
    route(
        "GET",
        "/v1/agents",
        get_agents,
        "The caller's agents",
        "agents",
        query=AgentPageQuery,
        response=AgentList,
        auth="user",
    ),
    route(
        "GET",
        "/v1/agents/rankings",
        rankings,
        "Agents ranked by performance score",
        "agents",
        query=RankingsQuery,
        response=Rankings,
        auth="user",
        description="Any signed-in user may read it; it shows agents, never their owners. "
        "Score: the decay-weighted mean of task scores over the period (a task one "
        "half-life old counts half); ranked only with at least min_tasks tasks. Each row "
        "says how many tasks the platform observed and how many the owner self-reported.",
    ),
    route(
        "GET",
        "/v1/agents/{agent_id}",
        get_agent,
        "One of the caller's agents, with its current weekly performance",
        "agents",
        response=AgentDetail,
        auth="user",
        errors=(404,),
    ),
    route(
        "POST",
        "/v1/agents/{agent_id}/performance",
        record_performance,
        "Record a task the agent finished",
        "agents",
        body=PerformanceRecord,
        response=TaskRecord,
        status=201,
        auth="user",
        errors=(404, 409),
        description="Idempotent per task_id: a replay returns the first record (200); the "
        "same task_id with other values is 409. Measures are in [0, 1]; cost is the "
        "normalised cost (lower is better). A record posted here is self-reported: it counts "
        "in the rankings, marked, and earns no reward (rewards follow observed paid work).",
        replays=True,
    ),
    route(
        "GET",
        "/v1/agents/{agent_id}/rewards",
        agent_rewards,
        "Rewards the agent earned its owner, newest first",
        "agents",
        query=RewardsQuery,
        response=Rewards,
        auth="user",
        errors=(404,),
    ),
    route(
        "GET",
        "/v1/agents/reports/{report_id}/chart.svg",
        report_chart,
        "The chart of a weekly agent performance report (linked from the email)",
        "agents",
        media_type="image/svg+xml",
        auth="none",
        errors=(404,),
    ),
]
