"""Request and result models of the knowledge-graph queries (the API's bodies, and what
the venture blueprint's advisor returns)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.ports.stack_advice import TeamMember

Severity = Literal["info", "low", "medium", "high", "critical"]
Support = Literal["supported", "ending-soon", "end-of-life", "untracked", "unknown-version"]
Outcome = Literal["satisfied", "upgrade-within-line", "violated", "missing", "unknown"]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StackItem(Model):
    id: str = Field(min_length=1, max_length=120, description="Technology id, alias or name.")
    version: str | None = Field(
        default=None,
        max_length=40,
        description="An exact version (`3.12.4`) or a release line (`3.12`, `20`); "
        "omitted: the newest supported line is assumed.",
    )


class CompatibilityRequest(Model):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "stack": [
                        {"id": "python", "version": "3.12"},
                        {"id": "postgres", "version": "16"},
                    ]
                }
            ]
        }
    )

    stack: list[StackItem] = Field(min_length=1, max_length=100)


class PitfallsRequest(Model):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "stack": [{"id": "python", "version": "3.12"}, {"id": "postgres"}],
                    "team": [{"name": "Ada", "skills": ["python"]}],
                }
            ]
        }
    )

    stack: list[StackItem] = Field(min_length=1, max_length=100)
    team: list[TeamMember] = Field(default=[], max_length=200)


class PathwaysRequest(Model):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"have": ["python"], "target": "postgres"}]}
    )

    have: list[str] = Field(default=[], max_length=500, description="Skills already held.")
    target: str = Field(min_length=1, max_length=120, description="A role, skill or technology.")


class NodeRef(Model):
    id: str
    kind: str
    name: str


class StackEntry(Model):
    input: str
    node: NodeRef
    version: str | None
    version_assumed: bool
    matched_by: str
    confidence: float
    release_line: str | None
    support: Support
    eol: date | None
    eol_source: str | None


class ConstraintCheck(Model):
    source: NodeRef
    source_version: str | None
    target: NodeRef
    target_version: str | None
    constraint: str | None
    outcome: Outcome
    optional: bool
    note: str | None
    reference: str | None


class ScorePart(Model):
    name: Literal["versions", "conflicts", "end_of_life", "overlap", "maturity"]
    weight: int
    score: float = Field(ge=0, le=1)
    points: float
    explanation: str
    details: list[str]


class Fix(Model):
    action: Literal["pick-version", "add", "replace", "remove"]
    node: NodeRef
    version: str | None = None
    replace_with: NodeRef | None = None
    reason: str


class CompatibilityReport(Model):
    score: int = Field(ge=0, le=100)
    parts: list[ScorePart]
    stack: list[StackEntry]
    constraints: list[ConstraintCheck]
    fixes: list[Fix]
    evaluated_on: date
    generation: int


class Pitfall(Model):
    kind: Literal[
        "missing-prerequisite",
        "incompatible-version",
        "conflict",
        "end-of-life",
        "deprecated",
        "dependency-cycle",
        "overlapping-tools",
        "single-point-of-failure",
        "skill-gap",
    ]
    severity: Severity
    title: str
    detail: str
    nodes: list[NodeRef]
    prevention: str
    evidence: list[str] = []


class PitfallReport(Model):
    findings: list[Pitfall]
    summary: dict[str, int]
    compatibility_score: int
    unrecognised_skills: list[str]
    evaluated_on: date
    generation: int


class ResourceRef(Model):
    id: str
    name: str
    provider: str
    url: str
    hours: float
    hours_basis: str
    level: str
    format: str
    free: bool


class PathwayStep(Model):
    order: int
    level: int = Field(description="Steps of the same level can be learnt in parallel.")
    skill: NodeRef
    prerequisites: list[NodeRef]
    resource: ResourceRef | None
    hours: float = Field(description="Hours this step adds (a resource is counted once).")
    alternatives: list[ResourceRef]


class AlternativePlan(Model):
    without: ResourceRef
    total_hours: float
    resources: list[ResourceRef]


class Pathway(Model):
    target: NodeRef
    have: list[NodeRef]
    goal_skills: list[NodeRef]
    steps: list[PathwayStep]
    total_hours: float
    optimal: bool
    method: str
    uncovered: list[NodeRef]
    alternatives: list[AlternativePlan]
    unrecognised: list[str]
    generation: int


class NodeSummary(NodeRef):
    aliases: list[str]


class NodeList(Model):
    items: list[NodeSummary]
    truncated: bool
    generation: int


class NodeDetail(NodeSummary):
    attributes: dict[str, Any]
    releases: list[dict[str, Any]]
    provenance: list[dict[str, Any]]
    degree: dict[str, int]
    generation: int


class Neighbor(Model):
    edge: str
    direction: Literal["out", "in"]
    node: NodeRef
    confidence: float
    inferred: bool
    constraint: str | None = None
    when: str | None = None
    optional: bool = False
    note: str | None = None
    reference: str | None = None
    provenance: dict[str, Any] | None = None


class Neighbors(Model):
    node: NodeRef
    neighbors: list[Neighbor]
    total: int
    truncated: bool
    generation: int


class PathStep(Model):
    edge: str
    source: NodeRef
    target: NodeRef
    traversed: Literal["forward", "backward"]
    inferred: bool


class GraphPath(Model):
    source: NodeRef
    target: NodeRef
    length: int
    nodes: list[NodeRef]
    steps: list[PathStep]
    generation: int
