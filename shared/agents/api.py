"""HTTP routes of the agents feature: the registry (owners see and manage only their own
agents; another owner's agent is 404), performance records (idempotent per task id),
the public rankings, an agent's rewards, and the weekly report's chart."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.agents.events import TASK_TYPE
from shared.agents.performance_score import WEIGHTS, Period, agent_score, window
from shared.agents.rankings import REWARD_PERIOD, live_standings
from shared.agents.records import agent_tallies, origin_of, record_task
from shared.agents.registry import agent_names, list_agents, owned_agents, register_agent
from shared.agents.report import chart
from shared.agents.rewards import earned
from shared.api.spec import ApiRequest, Reply, route
from shared.errors import NotFound
from shared.money import to_decimal
from shared.ports.documents import Document

CAPABILITY = r"^[a-z0-9][a-z0-9_.-]{0,59}$"
PROVIDER = r"^[a-z0-9][a-z0-9_.-]{0,39}$"
_Score = Field(ge=0.0, le=1.0, allow_inf_nan=False)
_ORIGIN = (
    "observed: the platform ran the work (a venture report, a simulation) and it earns "
    "rewards by the AIA paid for it; self_reported: posted by the owner, shown in rankings "
    "but worth no reward"
)


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AgentCreate(_Body):
    name: str = Field(min_length=1, max_length=100, description="Shown in the rankings")
    capabilities: list[str] = Field(default_factory=list, max_length=20)
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
    agent_id: str
    name: str
    capabilities: list[str]
    model_provider: str
    created_at: datetime


class AgentList(BaseModel):
    agents: list[Agent]


class Performance(BaseModel):
    period: Period
    as_of: date
    score: float = Field(description="Decay-weighted mean task score over the period")
    tasks: int
    observed_tasks: int = Field(description="Of the tasks, those the platform observed")
    self_reported_tasks: int = Field(description="Of the tasks, those the owner posted")
    rank: int | None = Field(description="None until the agent has min_tasks in the period")
    min_tasks: int


class AgentDetail(Agent):
    performance: Performance


class PerformanceRecord(_Body):
    task_id: str = Field(min_length=1, max_length=200, description="Idempotency: once per agent")
    task_type: str = Field(pattern=TASK_TYPE, description="e.g. venture_report, simulation")
    accuracy: float = _Score
    completeness: float = _Score
    timeliness: float = _Score
    quality: float = _Score
    cost: float = Field(
        ge=0.0, le=1.0, allow_inf_nan=False, description="Normalised cost: 0 free, 1 dearest"
    )


class TaskRecord(BaseModel):
    agent_id: str
    task_id: str
    task_type: str
    accuracy: float
    completeness: float
    timeliness: float
    quality: float
    cost: float
    score: float = Field(description="The task's weighted score (see the rankings' weights)")
    origin: Literal["observed", "self_reported"] = Field(description=_ORIGIN)
    recorded_at: datetime
    replayed: bool


class RankingsQuery(BaseModel):
    task_type: str | None = Field(default=None, pattern=TASK_TYPE)
    period: Period = "week"
    limit: int = Field(default=50, ge=1, le=100)


class RankedAgent(BaseModel):
    rank: int
    agent_id: str
    name: str
    model_provider: str
    capabilities: list[str]
    score: float
    tasks: int
    observed_tasks: int = Field(description="Of the tasks, those the platform observed")
    self_reported_tasks: int = Field(description="Of the tasks, those the owner posted")


class Rankings(BaseModel):
    period: Period
    task_type: str | None
    as_of: date
    half_life_days: float
    min_tasks: int
    weights: dict[str, float]
    rankings: list[RankedAgent]


class RewardsQuery(BaseModel):
    days: int = Field(default=30, ge=1, le=90)


class RewardDay(BaseModel):
    day: date
    rank: int | None
    score: float
    paid_for: str | None = Field(
        description="AIA the owner paid for the agent's observed work that day, which the "
        "reward is for (none on rewards from before rewards followed paid work)"
    )
    amounts: dict[str, str] = Field(description="Tokens paid to the owner, by token")
    entries: dict[str, str] = Field(description="Ledger entry ids, by token")


class Rewards(BaseModel):
    agent_id: str
    rewards: list[RewardDay]
    totals: dict[str, str]


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


def get_agents(req: ApiRequest) -> AgentList:
    owner = req.require_principal().user_id
    return AgentList(agents=[_agent(d) for d in list_agents(req.features.agents.documents, owner)])


def get_agent(req: ApiRequest) -> AgentDetail:
    agent_id = req.path_params["agent_id"]
    agents = req.features.agents
    doc = owned_agents(agents.documents, req.require_principal()).require(agent_id, "agent")
    scoring = agents.scoring
    today = agents.clock.now().date()
    first, last = window(today, REWARD_PERIOD)
    own = agent_tallies(agents.documents, agent_id, first, last)
    score, tasks = agent_score(own, today, scoring.half_life_days)
    observed = sum(t.observed_tasks for t in own)
    rank = next(
        (
            s.rank
            for s in live_standings(agents.documents, today, REWARD_PERIOD, scoring)
            if s.agent_id == agent_id
        ),
        None,
    )
    return AgentDetail(
        **_agent(doc).model_dump(),
        performance=Performance(
            period=REWARD_PERIOD,
            as_of=today,
            score=round(score, 6),
            tasks=tasks,
            observed_tasks=observed,
            self_reported_tasks=tasks - observed,
            rank=rank,
            min_tasks=scoring.min_tasks,
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
    today = feature.clock.now().date()
    ranked = [
        s
        for s in live_standings(feature.documents, today, query.period, scoring, query.task_type)
        if s.rank is not None
    ][: query.limit]
    agents = agent_names(feature.documents, [s.agent_id for s in ranked])
    return Rankings(
        period=query.period,
        task_type=query.task_type,
        as_of=today,
        half_life_days=scoring.half_life_days,
        min_tasks=scoring.min_tasks,
        weights=WEIGHTS,
        rankings=[
            RankedAgent(
                rank=s.rank or 0,
                agent_id=s.agent_id,
                name=agents[s.agent_id]["name"],
                model_provider=agents[s.agent_id]["model_provider"],
                capabilities=agents[s.agent_id]["capabilities"],
                score=round(s.score, 6),
                tasks=s.tasks,
                observed_tasks=s.observed_tasks,
                self_reported_tasks=s.tasks - s.observed_tasks,
            )
            for s in ranked
            if s.agent_id in agents
        ],
    )


def agent_rewards(req: ApiRequest[None, RewardsQuery]) -> Rewards:
    query = req.query
    agent_id = req.path_params["agent_id"]
    agents = req.features.agents
    owned_agents(agents.documents, req.require_principal()).require(agent_id, "agent")
    today = agents.clock.now().date()
    docs = earned(agents.documents, agent_id, today - timedelta(days=query.days), today)
    totals: dict[str, int] = {}
    for doc in docs:
        for token, amount in doc["amounts"].items():
            totals[token] = totals.get(token, 0) + int(amount)
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
            for d in reversed(docs)
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
