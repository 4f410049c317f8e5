"""An MVP architecture and stack for a kind of product: a modular monolith on
serverless containers with a managed relational database, plus what realtime, AI or
personal data add. Choices are conventional on purpose; the reasons are returned."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.ports.stack_advice import StackItem

ProductKind = Literal["web", "mobile", "api", "data"]


class ProductSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=120, description="The product's name")
    kind: ProductKind = Field(
        default="web", description="web, mobile, api or data: sets the base stack"
    )
    realtime: bool = Field(
        default=False, description="Live updates to clients: adds Redis and websockets"
    )
    ai: bool = Field(
        default=False, description="Uses language models: adds pgvector and an LLM adapter"
    )
    handles_personal_data: bool = Field(
        default=False,
        description="Stores personal data: adds a secret manager, an audit log and retention",
    )
    expected_users: int | None = Field(
        default=None,
        ge=1,
        le=10_000_000_000,
        description="Users expected; over a million adds a CDN and read replicas",
    )

    @model_validator(mode="before")
    @classmethod
    def _from_name(cls, value: Any) -> Any:
        return {"name": value} if isinstance(value, str) else value


_TS = StackItem("typescript", "5", "language", ("typescript",))
# Versions here are defaults for a deployment without the knowledge graph; with it the
# blueprint recommends the graph's supported lines (venture.stack_advisor).
_NODE = StackItem("nodejs", "24", "API runtime (LTS)", ("nodejs", "typescript"))
_PG = StackItem("postgresql", "17", "system of record", ("sql", "postgresql"))
_RUN = StackItem("cloud-run", "gen2", "serverless containers", ("docker", "gcp"))
STACKS: dict[ProductKind, tuple[list[StackItem], str]] = {
    "web": (
        [_TS, _NODE, StackItem("react", "18", "web client", ("react",)), _PG, _RUN],
        "typescript",
    ),
    "api": ([_TS, _NODE, _PG, _RUN], "typescript"),
    "mobile": (
        [
            StackItem("flutter", "3", "iOS and Android client", ("dart", "flutter")),
            _TS,
            _NODE,
            _PG,
            _RUN,
        ],
        "typescript",
    ),
    "data": (
        [
            StackItem("python", "3.12", "pipelines and API", ("python",)),
            StackItem("fastapi", "0.115", "API framework", ("python", "fastapi")),
            _PG,
            StackItem("bigquery", "ga", "analytical warehouse", ("sql", "bigquery")),
            _RUN,
        ],
        "python",
    ),
}


class Architecture(BaseModel):
    style: str = Field(description="The architectural style chosen")
    components: list[str] = Field(description="The parts to build or run")
    reasons: list[str] = Field(description="Why, one reason a line")


def choose_stack(product: ProductSpec) -> tuple[Architecture, list[StackItem], str]:
    """The architecture, its stack, and the language that dominates the code (used to
    convert function points to lines of code)."""
    stack, language = STACKS[product.kind]
    stack = list(stack)
    components = {
        "web": [
            "web client (SPA)",
            "API service",
            "PostgreSQL",
            "background jobs (Pub/Sub)",
            "auth",
        ],
        "api": ["API service", "PostgreSQL", "background jobs (Pub/Sub)", "API keys and auth"],
        "mobile": ["mobile client", "API service", "PostgreSQL", "push notifications", "auth"],
        "data": ["ingestion jobs", "warehouse", "API service", "PostgreSQL for metadata", "auth"],
    }[product.kind]
    reasons = [
        "a modular monolith keeps an MVP team on one deployable; split services only where "
        "scaling or ownership demands it",
        "serverless containers scale to zero while usage is unknown",
        "a managed relational database covers transactions and reporting at MVP scale",
    ]
    if product.realtime:
        stack.append(StackItem("redis", "7", "pub/sub and cache for realtime", ("redis",)))
        components.append("websocket gateway")
        reasons.append("realtime updates need a fan-out channel (Redis pub/sub) and websockets")
    if product.ai:
        stack.append(
            StackItem("pgvector", "0.7", "embeddings in PostgreSQL", ("sql", "vector-search"))
        )
        components.append("LLM provider adapter (with timeout, retry and token budget)")
        reasons.append("keep embeddings next to the data; call models through one adapter")
    if product.handles_personal_data:
        components += ["secret manager", "audit log", "data retention jobs"]
        reasons.append("personal data needs secrets out of code, an audit trail and retention")
    if product.expected_users and product.expected_users > 1_000_000:
        components.append("CDN and read replicas")
        reasons.append("over a million users: cache at the edge and offload reads")
    architecture = Architecture(
        style="modular monolith on serverless containers"
        if product.kind != "data"
        else "batch pipelines feeding a warehouse, with a thin API",
        components=components,
        reasons=reasons,
    )
    return architecture, stack, language
