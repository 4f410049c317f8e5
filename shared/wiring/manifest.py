"""The wiring manifest: the one place that says which function listens to which topic,
which functions answer HTTP, what is scheduled, and which workflows exist. The local
runtime and Terraform (`infra/`, via `yamldecode`) both read `manifest.yaml`."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_NAME = r"^[a-z][a-z0-9-]{1,48}[a-z0-9]$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Topic(_Strict):
    name: str = Field(pattern=_NAME)
    description: str
    events: list[str] = Field(default_factory=list)
    dead_letter: bool = False


class RetryPolicy(_Strict):
    minimum_backoff_seconds: float = Field(default=10, ge=0, le=600)
    maximum_backoff_seconds: float = Field(default=600, ge=0, le=600)

    @model_validator(mode="after")
    def _ordered(self) -> RetryPolicy:
        if self.maximum_backoff_seconds < self.minimum_backoff_seconds:
            raise ValueError("maximum_backoff_seconds must be >= minimum_backoff_seconds")
        return self

    def delay(self, failures: int) -> float:
        """Exponential backoff after `failures` failed attempts (Pub/Sub's shape)."""
        base = self.minimum_backoff_seconds * (2 ** max(failures - 1, 0))
        return float(min(self.maximum_backoff_seconds, base))


class TopicTrigger(_Strict):
    topic: str
    max_delivery_attempts: int = Field(default=5, ge=5, le=100)
    retry: RetryPolicy = RetryPolicy()
    ordering: bool = False
    ack_deadline_seconds: int = Field(default=60, ge=10, le=600)


_REFUSABLE = r"/[a-z0-9][a-z0-9/_-]*"


class HttpTrigger(_Strict):
    """`public`: served through the load balancer (and by `aia serve` on its port); a
    private function is reached only by Workflows and Cloud Tasks (OIDC), locally
    in-process. `container_only`: routes of a public function for Cloud Run's probes and
    the in-container metrics scrape, which the edge refuses (docs/decisions/0017)."""

    public: bool = False
    local_path: str = Field(pattern=r"^/")
    routes: list[str] = Field(default_factory=list)
    container_only: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _surface(self) -> HttpTrigger:
        if self.container_only and not self.public:
            raise ValueError("container_only is for public functions: a private one is all that")
        for path in self.edge_refused:
            # lower-case and regex-safe: the edge matches them in a Cloud Armor expression
            if not re.fullmatch(_REFUSABLE, path):
                raise ValueError(f"path {path!r} the edge refuses: lower-case /a-z0-9_- only")
        for path in self.container_only:
            if path not in self.routes:
                raise ValueError(f"container_only path {path} is not one of the routes")
        return self

    @property
    def edge_refused(self) -> list[str]:
        """Path prefixes the public edge answers 404 for: this function's container-only
        routes if public, its whole local path if private."""
        return list(self.container_only) if self.public else [self.local_path]


class Service(_Strict):
    min_instances: int = Field(default=0, ge=0)
    max_instances: int = Field(default=10, ge=1)
    concurrency: int = Field(default=80, ge=1, le=1000)
    cpu: str = "1"
    memory: str = "512Mi"
    timeout_seconds: int = Field(default=60, ge=1, le=3600)


class Function(_Strict):
    name: str = Field(pattern=_NAME)
    target: str = Field(pattern=r"^[a-z_][a-z0-9_]*$")
    description: str
    http: HttpTrigger | None = None
    pubsub: TopicTrigger | None = None
    service: Service = Service()
    uses: list[Literal["documents", "sql", "secrets", "tasks", "events", "workflows"]] = Field(
        default_factory=list
    )
    # Least privilege (docs/decisions/0034): the Secret Manager secrets it reads through
    # the Secrets port and the topics it publishes to. Terraform grants exactly these
    # (secretAccessor on each secret, pubsub.publisher on each topic); forwarding poison
    # to the dead-letter topic is granted to every event function apart from these.
    secrets: list[str] = Field(default_factory=list)
    emits: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_trigger(self) -> Function:
        if (self.http is None) == (self.pubsub is None):
            raise ValueError(f"function {self.name}: exactly one of http or pubsub")
        if self.emits and "events" not in self.uses:
            raise ValueError(f"function {self.name} emits {self.emits}: add `events` to uses")
        if self.secrets and "secrets" not in self.uses:
            raise ValueError(f"function {self.name} reads secrets: add `secrets` to uses")
        return self

    @property
    def source(self) -> str:
        return f"functions/{self.target}.py"

    @property
    def subscription(self) -> str:
        return f"{self.name}-sub"


class Schedule(_Strict):
    name: str = Field(pattern=_NAME)
    description: str
    cron: str
    time_zone: str = "Etc/UTC"
    event: str
    data: dict[str, Any] = Field(default_factory=dict)

    @field_validator("cron")
    @classmethod
    def _cron(cls, value: str) -> str:
        from croniter import croniter

        if not croniter.is_valid(value):
            raise ValueError(f"invalid cron expression {value!r}")
        return value


class Queue(_Strict):
    name: str = Field(pattern=_NAME)
    description: str
    function: str
    max_dispatches_per_second: float = Field(default=10, gt=0, le=500)
    max_concurrent_dispatches: int = Field(default=10, ge=1, le=5000)
    max_attempts: int = Field(default=5, ge=1, le=100)
    retry: RetryPolicy = RetryPolicy(minimum_backoff_seconds=1, maximum_backoff_seconds=300)


class Workflow(_Strict):
    name: str = Field(pattern=_NAME)
    description: str
    calls: list[str] = Field(default_factory=list)

    @property
    def source(self) -> str:
        return f"workflows/{self.name}.workflows.yaml"


class Manifest(_Strict):
    version: Literal[1]
    topics: list[Topic]
    functions: list[Function]
    schedules: list[Schedule] = Field(default_factory=list)
    queues: list[Queue] = Field(default_factory=list)
    workflows: list[Workflow] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Manifest:
        for kind, names in (
            ("topic", [t.name for t in self.topics]),
            ("function", [f.name for f in self.functions]),
            ("function target", [f.target for f in self.functions]),
            ("schedule", [s.name for s in self.schedules]),
            ("queue", [q.name for q in self.queues]),
            ("workflow", [w.name for w in self.workflows]),
        ):
            dupes = {n for n in names if names.count(n) > 1}
            if dupes:
                raise ValueError(f"duplicate {kind} names: {sorted(dupes)}")
        dead = [t for t in self.topics if t.dead_letter]
        if len(dead) != 1:
            raise ValueError("exactly one topic must be the dead-letter topic")
        if dead[0].events:
            raise ValueError("the dead-letter topic carries no event types of its own")
        seen: dict[str, str] = {}
        for topic in self.topics:
            for event_type in topic.events:
                if event_type in seen:
                    raise ValueError(
                        f"{event_type} is on topics {seen[event_type]} and {topic.name}"
                    )
                seen[event_type] = topic.name
        topics = {t.name for t in self.topics}
        functions = {f.name: f for f in self.functions}
        for fn in self.functions:
            if fn.pubsub and fn.pubsub.topic not in topics:
                raise ValueError(f"function {fn.name} listens to unknown topic {fn.pubsub.topic}")
            for emitted in fn.emits:
                if emitted not in topics or emitted == dead[0].name:
                    raise ValueError(f"function {fn.name} emits to {emitted}: not an event topic")
        for schedule in self.schedules:
            if schedule.event not in seen:
                raise ValueError(f"schedule {schedule.name} publishes {schedule.event}: no topic")
        for queue in self.queues:
            target = functions.get(queue.function)
            if target is None or target.http is None:
                raise ValueError(
                    f"queue {queue.name} targets {queue.function}: not an HTTP function"
                )
        for workflow in self.workflows:
            for called in workflow.calls:
                if called not in functions or functions[called].http is None:
                    raise ValueError(
                        f"workflow {workflow.name} calls {called}: not an HTTP function"
                    )
        return self

    @property
    def dead_letter_topic(self) -> str:
        return next(t.name for t in self.topics if t.dead_letter)

    def topic_for(self, event_type: str) -> str:
        for topic in self.topics:
            if event_type in topic.events:
                return topic.name
        raise LookupError(f"event type {event_type} has no topic in the manifest")

    def subscribers(self, topic: str) -> list[Function]:
        return [f for f in self.functions if f.pubsub and f.pubsub.topic == topic]

    def function(self, name: str) -> Function:
        for fn in self.functions:
            if fn.name == name:
                return fn
        raise LookupError(f"no function named {name} in the manifest")

    def edge_refused_paths(self) -> list[str]:
        """What the load balancer refuses on every host (infra/modules/platform's output
        `edge_refused_paths` computes the same list with Terraform)."""
        return sorted({p for f in self.functions if f.http for p in f.http.edge_refused})

    def queue(self, name: str) -> Queue:
        for queue in self.queues:
            if queue.name == name:
                return queue
        raise LookupError(f"no queue named {name} in the manifest")


def manifest_path() -> Path:
    return Path(str(resources.files("shared.wiring").joinpath("manifest.yaml")))


@lru_cache(maxsize=4)
def load_manifest(path: Path | None = None) -> Manifest:
    text = (path or manifest_path()).read_text()
    return Manifest.model_validate(yaml.safe_load(text))
