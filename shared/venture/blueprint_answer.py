"""The shape of an MVP blueprint (POST /v1/venture/mvp-blueprint, and the `blueprint`
section of a venture report). Effort is in person-months of 152 hours, time in months
from the start, money in US dollars."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.api.absent import absent_when_none
from shared.venture.architecture import Architecture, ProductSpec
from shared.venture.assumptions import Assumption
from shared.venture.cocomo import CocomoFigures, EffortMultipliers, ScaleFactors
from shared.venture.rates import MonthlyRate, Role
from shared.venture.sectors import RegionOrGlobal

MoSCoW = Literal["must", "should", "could", "wont"]


class PrioritisedFeature(BaseModel):
    rank: int = Field(description="1 for the highest RICE score")
    name: str = Field(description="The feature's name, as given")
    rice: float = Field(description="Reach x impact x confidence / effort, 3 decimals")
    moscow: MoSCoW = Field(description="Its MoSCoW priority")
    moscow_from: Literal["given", "rice"] = Field(
        description="given: yours; rice: set from the RICE order within DSDM's budgets"
    )
    effort_person_months: float = Field(description="Its effort, as given")
    function_points: int = Field(
        description="Its unadjusted function points: given, or counted from its complexity"
    )


class StackChoice(BaseModel):
    id: str = Field(description="The technology's id in the knowledge graph, e.g. `nodejs`")
    version: str = Field(description="The version or release line recommended")
    role: str = Field(description="What it does in the architecture")
    skills: list[str] = Field(description="The skills a team needs for it")
    version_from: Literal["knowledge-graph", "default"] = Field(
        description="knowledge-graph: a line the graph supports today; default: ours"
    )
    version_basis: str = Field(description="Why this version")
    version_source: str | None = Field(
        default=None,
        exclude_if=absent_when_none,
        description="The support policy the graph's dates come from; absent for a default",
    )


class BlueprintSize(BaseModel):
    ksloc: float = Field(description="Thousands of source lines, 3 decimals")
    unadjusted_function_points: int | None = Field(
        default=None,
        exclude_if=absent_when_none,
        description="The unadjusted function points sized; absent when KSLOC was given",
    )
    language: str | None = Field(
        default=None,
        exclude_if=absent_when_none,
        description="The language lines are counted in; absent when KSLOC was given",
    )
    sloc_per_fp: float | None = Field(
        default=None,
        exclude_if=absent_when_none,
        description="Source lines per function point; absent when KSLOC was given",
    )
    sloc_per_fp_source: str | None = Field(
        default=None,
        exclude_if=absent_when_none,
        description="Where that ratio comes from; absent when KSLOC was given",
    )
    basis: str = Field(description="How the size was arrived at")


class CocomoAnswer(CocomoFigures):
    scale_factors: ScaleFactors = Field(description="The scale factor ratings used")
    cost_drivers: EffortMultipliers = Field(description="The effort multiplier ratings used")
    model: str = Field(description="The model applied: COCOMO II.2000 Post-Architecture")


class CostedPhase(BaseModel):
    name: str = Field(description="inception, elaboration, construction or transition")
    effort_person_months: float = Field(description="The phase's effort, person-months")
    months: float = Field(description="The phase's length, months")
    start_month: float = Field(description="When it starts, months from the start")
    end_month: float = Field(description="When it ends, months from the start")
    cost_usd: float = Field(description="Its cost at the roles' monthly rates, USD")
    effort_by_role: dict[Role, float] = Field(description="Its effort by role, person-months")


class BlueprintCost(BaseModel):
    currency: Literal["USD"] = Field(description="The currency of every amount: USD")
    total_usd: float = Field(description="The whole lifecycle's cost, USD")
    elaboration_and_construction_usd: float = Field(
        description="The part COCOMO's estimate covers (elaboration and construction), USD"
    )
    by_role_usd: dict[Role, float] = Field(description="The cost by role (staffed roles), USD")
    region: RegionOrGlobal = Field(description="Where the team works (sets the rates)")
    monthly_rates: dict[Role, MonthlyRate] = Field(description="The rate used for each role")


class AdvisorAnswer(BaseModel):
    """One answer of the knowledge graph's stack advisor. Beside `available` and
    `reason` it carries the graph's own payload unchanged: for compatibility the
    0-100 `score`, its `parts`, the `stack` entries and fixes (as POST
    /v1/graph/compatibility); for pitfalls the `findings` (as POST /v1/graph/pitfalls);
    for pathways the learning `plans` (as POST /v1/graph/pathways)."""

    model_config = ConfigDict(extra="allow")

    available: bool = Field(description="false where no knowledge graph is deployed")
    reason: str | None = Field(
        default=None,
        exclude_if=absent_when_none,
        description="Why the answer is not available; absent when it is",
    )


class StackCheck(BaseModel):
    compatibility: AdvisorAnswer = Field(description="Whether the stack holds together")
    pitfalls: AdvisorAnswer = Field(description="Pitfalls of the stack and the team")
    skill_gaps: list[str] = Field(description="Stack skills nobody on the team has")
    pathways: AdvisorAnswer = Field(description="How the team can close those gaps")


class MvpBlueprint(BaseModel):
    product: ProductSpec = Field(description="The product, as understood")
    features: list[PrioritisedFeature] = Field(description="The features in RICE order")
    architecture: Architecture = Field(description="The architecture and why")
    stack: list[StackChoice] = Field(description="The stack, at the versions recommended")
    size: BlueprintSize = Field(description="The size estimated")
    effort_person_months: float = Field(description="COCOMO II effort, person-months")
    schedule_months: float = Field(description="COCOMO II schedule, months")
    cocomo: CocomoAnswer = Field(description="The COCOMO II estimate in full")
    lifecycle_effort_person_months: float = Field(
        description="Effort over all four phases (inception and transition on top of "
        "COCOMO's), person-months"
    )
    lifecycle_months: float = Field(description="Months from the start to the product release")
    phases: list[CostedPhase] = Field(description="The four phases, costed")
    cost_usd: float = Field(description="The lifecycle's cost, USD (as `cost.total_usd`)")
    cost: BlueprintCost = Field(description="The cost and the rates behind it")
    milestones: list[Milestone] = Field(description="The milestones, in order")
    stack_check: StackCheck = Field(description="The knowledge graph's view of the stack")
    assumptions: list[Assumption] = Field(description="What the blueprint assumes, with sources")


class Milestone(BaseModel):
    name: str = Field(description="The milestone, e.g. `MVP release`")
    month: float = Field(description="When, months from the start, 1 decimal")
    deliverable: str = Field(description="What is delivered")


MvpBlueprint.model_rebuild()
