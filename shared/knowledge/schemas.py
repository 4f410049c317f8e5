"""Request and result models of the knowledge-graph queries (the API's bodies, and what
the venture blueprint's advisor returns)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.knowledge.provenance import EdgeProvenance, NodeProvenance
from shared.ports.stack_advice import TeamMember

Severity = Literal["info", "low", "medium", "high", "critical"]
Support = Literal["supported", "ending-soon", "end-of-life", "untracked", "unknown-version"]
Outcome = Literal["satisfied", "upgrade-within-line", "violated", "missing", "unknown"]
GENERATION = "The graph generation the answer was read from (each import or removal adds one)"
EVALUATED_ON = "The day support status and end-of-life dates were judged as of (UTC)"


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

    stack: list[StackItem] = Field(
        min_length=1, max_length=100, description="The technologies used together, 1 to 100"
    )


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

    stack: list[StackItem] = Field(
        min_length=1, max_length=100, description="The technologies used together, 1 to 100"
    )
    team: list[TeamMember] = Field(
        default=[],
        max_length=200,
        description="Who works on it, with their skills; empty: skill gaps are not assessed",
    )


class PathwaysRequest(Model):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"have": ["python"], "target": "postgres"}]}
    )

    have: list[str] = Field(default=[], max_length=500, description="Skills already held.")
    target: str = Field(min_length=1, max_length=120, description="A role, skill or technology.")


class NodeRef(Model):
    id: str = Field(description="The node's key, `kind:id`, e.g. `technology:postgres`")
    kind: str = Field(description="technology, skill, role, resource or sector")
    name: str = Field(description="Its display name")


class StackEntry(Model):
    input: str = Field(description="The stack item's `id` as sent")
    node: NodeRef = Field(description="The technology it was matched to")
    version: str | None = Field(
        description="The version or release line judged; null when none is known"
    )
    version_assumed: bool = Field(
        description="True when no version was sent and the newest supported line is assumed"
    )
    matched_by: str = Field(description="How the input was matched: id, alias or name")
    confidence: float = Field(description="The match's confidence: 1.0 id, 0.9 alias, 0.8 name")
    release_line: str | None = Field(
        description="The tracked release line the version falls in; null if none is tracked"
    )
    support: Support = Field(
        description="supported; ending-soon (end of life within 180 days); end-of-life; "
        "untracked (no release line known); unknown-version"
    )
    eol: date | None = Field(description="The release line's end of life; null if none is known")
    eol_source: str | None = Field(description="Where the end-of-life date comes from")


class ConstraintCheck(Model):
    source: NodeRef = Field(description="The item that requires another")
    source_version: str | None = Field(description="Its version judged; null if unknown")
    target: NodeRef = Field(description="What it requires")
    target_version: str | None = Field(
        description="The required item's version in the stack; null if absent or unknown"
    )
    constraint: str | None = Field(
        description="The version range required, e.g. `>=3.9`; null: any version"
    )
    outcome: Outcome = Field(
        description="satisfied; upgrade-within-line (a later patch of the chosen line meets "
        "it); violated; missing (the required item is not in the stack); unknown (a "
        "version is not known)"
    )
    optional: bool = Field(description="True when the requirement is optional")
    note: str | None = Field(description="The registry's note on the requirement")
    reference: str | None = Field(description="Where the requirement is documented (a URL)")


class ScorePart(Model):
    name: Literal["versions", "conflicts", "end_of_life", "overlap", "maturity"] = Field(
        description="The part of the score"
    )
    weight: int = Field(
        description="Its most points: versions 35, conflicts 20, end_of_life 20, overlap "
        "10, maturity 15 (adding to 100)"
    )
    score: float = Field(ge=0, le=1, description="How well the stack does on it, 0 to 1")
    points: float = Field(description="weight x score, two decimals")
    explanation: str = Field(description="The score in one line")
    details: list[str] = Field(description="Each finding behind the score")


class Fix(Model):
    action: Literal["pick-version", "add", "replace", "remove"] = Field(
        description="pick-version: use `version` of `node`; add: add `node`; replace: "
        "swap `node` for `replace_with`; remove: drop `node`"
    )
    node: NodeRef = Field(description="The item the fix is about")
    version: str | None = Field(
        default=None, description="The version or release line to pick; null if none applies"
    )
    replace_with: NodeRef | None = Field(
        default=None, description="The alternative to use instead; null unless replace"
    )
    reason: str = Field(description="Why, in one line")


class CompatibilityReport(Model):
    score: int = Field(ge=0, le=100, description="0-100: the sum of the parts' points, rounded")
    parts: list[ScorePart] = Field(description="The five parts the score is made of")
    stack: list[StackEntry] = Field(description="Each item as placed on the graph")
    constraints: list[ConstraintCheck] = Field(
        description="Every requirement between the items, judged"
    )
    fixes: list[Fix] = Field(description="Changes that would raise the score; empty if none")
    evaluated_on: date = Field(description=EVALUATED_ON)
    generation: int = Field(description=GENERATION)


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
    ] = Field(description="What kind of problem it is")
    severity: Severity = Field(description="info, low, medium, high or critical")
    title: str = Field(description="The finding in one line")
    detail: str = Field(description="What was found, with the numbers")
    nodes: list[NodeRef] = Field(description="The items it is about")
    prevention: str = Field(description="What to do about it")
    evidence: list[str] = Field(
        default=[], description="Where the facts come from (URLs); empty if none"
    )


class PitfallReport(Model):
    findings: list[Pitfall] = Field(description="Every finding, most severe first")
    summary: dict[str, int] = Field(
        description="How many findings of each severity (every severity, zeros too)"
    )
    compatibility_score: int = Field(
        description="The stack's 0-100 compatibility score (as POST .../compatibility)"
    )
    unrecognised_skills: list[str] = Field(
        description="Team skills the graph does not know (left out of the assessment)"
    )
    evaluated_on: date = Field(description=EVALUATED_ON)
    generation: int = Field(description=GENERATION)


class ResourceRef(Model):
    id: str = Field(description="The resource's node key, `resource:id`")
    name: str = Field(description="Its title")
    provider: str = Field(description="Who publishes it; empty if not known")
    url: str = Field(description="Where to find it; empty if not known")
    hours: float = Field(description="Hours to work through it")
    hours_basis: str = Field(description="provider: the publisher's figure; estimate: ours")
    level: str = Field(description="e.g. beginner, intermediate, advanced; empty if not known")
    format: str = Field(description="e.g. documentation, course, book, video; empty if not known")
    free: bool = Field(description="True when it costs nothing")


class PathwayStep(Model):
    order: int = Field(description="The step's place in the plan, from 1")
    level: int = Field(description="Steps of the same level can be learnt in parallel.")
    skill: NodeRef = Field(description="The skill this step learns")
    prerequisites: list[NodeRef] = Field(
        description="Its prerequisites that the plan teaches (earlier steps)"
    )
    resource: ResourceRef | None = Field(
        description="The resource chosen to learn it; null when none teaches it"
    )
    hours: float = Field(description="Hours this step adds (a resource is counted once).")
    alternatives: list[ResourceRef] = Field(
        description="Up to 3 other resources that teach it, shortest first"
    )


class AlternativePlan(Model):
    without: ResourceRef = Field(description="The resource this plan does without")
    total_hours: float = Field(description="The plan's total hours")
    resources: list[ResourceRef] = Field(description="The resources it uses instead")


class Pathway(Model):
    target: NodeRef = Field(description="The role, skill or technology to reach")
    have: list[NodeRef] = Field(description="The skills held, as recognised")
    goal_skills: list[NodeRef] = Field(description="The skills the target needs")
    steps: list[PathwayStep] = Field(
        description="What to learn, in order: every prerequisite comes before the skill "
        "that needs it"
    )
    total_hours: float = Field(description="Hours of all the chosen resources (each counted once)")
    optimal: bool = Field(
        description="True when the resources are proven the fewest hours; false when a "
        "greedy search was used"
    )
    method: str = Field(description="How the resources were chosen")
    uncovered: list[NodeRef] = Field(description="Skills needed that no resource teaches")
    alternatives: list[AlternativePlan] = Field(
        description="The best plans without each of the two largest resources chosen"
    )
    unrecognised: list[str] = Field(description="Entries of `have` the graph does not know")
    generation: int = Field(description=GENERATION)


class NodeSummary(NodeRef):
    aliases: list[str] = Field(description="Other names it is known by")


class NodeHit(NodeSummary):
    description: str = Field(
        description="What it is in a few words, e.g. `Language, since 1991` or "
        "`Course by Harvard University, 80 h, beginner, free`"
    )
    registries: list[str] = Field(
        description="The registries its records come from (`curated`: the dataset shipped "
        "with the platform)"
    )


class NodeList(Model):
    items: list[NodeHit] = Field(description="The nodes found, up to `limit`")
    truncated: bool = Field(description="True when more nodes matched than `limit`")
    generation: int = Field(description=GENERATION)


class ReleaseLine(Model):
    version: str = Field(description="The release line, e.g. `22` or `3.12`")
    released: date | None = Field(description="When it was released; null: not known")
    eol: date | None = Field(description="When its support ends; null: not announced")
    lts: bool = Field(description="Whether it is a long-term support line")
    source: str = Field(description="Where the dates come from (a URL)")


class NodeDetail(NodeHit):
    attributes: dict[str, Any] = Field(
        description="The node's attributes from its registries (category, url, hours, ...)"
    )
    releases: list[ReleaseLine] = Field(
        description="A technology's release lines, in version order; empty for other kinds"
    )
    provenance: list[NodeProvenance] = Field(
        description="Each registry record that made or merged into it"
    )
    degree: dict[str, int] = Field(description="Its edges: `out` going out, `in` coming in")
    generation: int = Field(description=GENERATION)


class Neighbor(Model):
    edge: str = Field(
        description="The edge kind: requires, conflicts-with, alternative-to, "
        "prerequisite-of, teaches, needs-skill, used-in-sector or learning-route"
    )
    direction: Literal["out", "in"] = Field(
        description="out: from the node to this neighbour; in: from the neighbour to it"
    )
    node: NodeRef = Field(description="The neighbour")
    confidence: float = Field(description="How sure the edge is, 0 to 1 (1 when stated)")
    inferred: bool = Field(description="True when a rule inferred the edge")
    constraint: str | None = Field(
        default=None, description="On requires: the version range required; null: any"
    )
    when: str | None = Field(
        default=None,
        description="The source's versions the edge holds for; null: all of them",
    )
    optional: bool = Field(default=False, description="True when the requirement is optional")
    note: str | None = Field(default=None, description="The registry's note on the edge")
    reference: str | None = Field(default=None, description="Where it is documented (a URL)")
    provenance: EdgeProvenance | None = Field(
        default=None,
        description="On an inferred edge: the rule and the edges it was inferred from; "
        "null on a stated edge",
    )


class Neighbors(Model):
    node: NodeRef = Field(description="The node asked about")
    neighbors: list[Neighbor] = Field(description="Its neighbours, up to `limit`")
    total: int = Field(description="How many neighbours match, before `limit`")
    truncated: bool = Field(description="True when `total` is more than listed")
    generation: int = Field(description=GENERATION)


class PathStep(Model):
    edge: str = Field(description="The edge kind followed")
    source: NodeRef = Field(description="Where the step starts")
    target: NodeRef = Field(description="Where it ends")
    traversed: Literal["forward", "backward"] = Field(
        description="forward: along the edge's direction; backward: against it"
    )
    inferred: bool = Field(description="True when a rule inferred the edge")


class GraphPath(Model):
    source: NodeRef = Field(description="Where the path starts")
    target: NodeRef = Field(description="Where it ends")
    length: int = Field(description="The number of edges on it (the fewest possible)")
    nodes: list[NodeRef] = Field(description="Every node on it, source to target")
    steps: list[PathStep] = Field(description="Each edge followed, in order")
    generation: int = Field(description=GENERATION)
