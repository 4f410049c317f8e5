"""MVP blueprint: features prioritised (RICE, MoSCoW), an architecture and stack, size
(function points or KSLOC), a COCOMO II.2000 estimate, cost by role and region, phases
and milestones, and the knowledge graph's view of the stack."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from shared.errors import Invalid
from shared.ports.stack_advice import StackAdvisor, TeamMember, graph_role_id
from shared.venture import cocomo
from shared.venture.architecture import ProductSpec, choose_stack
from shared.venture.assumptions import Assumption
from shared.venture.blueprint_answer import (
    BlueprintCost,
    BlueprintSize,
    CocomoAnswer,
    CostedPhase,
    Milestone,
    MoSCoW,
    MvpBlueprint,
    PrioritisedFeature,
)
from shared.venture.rates import ROLES, MonthlyRate, Role, monthly_rates
from shared.venture.sectors import RegionOrGlobal
from shared.venture.stack_advisor import consult, recommend_versions

RICE_IMPACT = (0.25, 0.5, 1, 2, 3)  # Intercom's scale: minimal .. massive
MUST_BUDGET, SHOULD_BUDGET = 0.60, 0.80  # DSDM: Must-haves at most 60 % of the effort

# MBASE/RUP phase distribution of COCOMO II (Boehm et al. 2000): effort and schedule as
# fractions of the model's PM and TDEV, which cover Elaboration plus Construction;
# Inception and Transition come on top.
PHASES: tuple[tuple[str, float, float], ...] = (
    ("inception", 0.06, 0.125),
    ("elaboration", 0.24, 0.375),
    ("construction", 0.76, 0.625),
    ("transition", 0.12, 0.125),
)
PHASE_SOURCE = "COCOMO II MBASE/RUP phase distribution (Boehm et al., 2000)"
# Our split of each phase's effort across roles (a typical small product team).
ROLE_MIX: dict[str, dict[Role, float]] = {
    "inception": {
        "role:product-manager": 0.35,
        "role:tech-lead": 0.25,
        "role:product-designer": 0.25,
        "role:backend-developer": 0.15,
    },
    "elaboration": {
        "role:product-manager": 0.15,
        "role:tech-lead": 0.20,
        "role:product-designer": 0.15,
        "role:backend-developer": 0.25,
        "role:frontend-developer": 0.15,
        "role:devops-engineer": 0.10,
    },
    "construction": {
        "role:product-manager": 0.08,
        "role:tech-lead": 0.10,
        "role:product-designer": 0.07,
        "role:backend-developer": 0.35,
        "role:frontend-developer": 0.25,
        "role:qa-engineer": 0.10,
        "role:devops-engineer": 0.05,
    },
    "transition": {
        "role:product-manager": 0.15,
        "role:tech-lead": 0.10,
        "role:backend-developer": 0.20,
        "role:frontend-developer": 0.15,
        "role:qa-engineer": 0.25,
        "role:devops-engineer": 0.15,
    },
}
ROLE_MIX_SOURCE = "AIA assumption: role split per phase for a small product team"


class Feature(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=120, description="The feature's name")
    reach: float = Field(ge=0, le=1e10, description="People or events affected per quarter")
    impact: float = Field(default=1, description="0.25, 0.5, 1, 2 or 3 (Intercom's RICE scale)")
    confidence: float = Field(default=80, gt=0, le=100, description="Percent")
    # RICE divides by effort: at least a hundredth of a person-month (about 1.5 hours)
    effort: float = Field(ge=0.01, le=10_000, description="Person-months")
    moscow: MoSCoW | None = Field(
        default=None,
        description="must, should, could or wont; null: set from the RICE order (must-haves "
        "up to 60 % of the effort, with should-haves up to 80 %)",
    )
    complexity: cocomo.Complexity = Field(
        default="average",
        description="low, average or high: sizes the feature when `function_points` is "
        "not given (1 internal file, 3 inputs, 2 outputs, 1 inquiry at IFPUG weights)",
    )
    function_points: int | None = Field(
        default=None,
        gt=0,
        le=1_000_000,
        description="Its unadjusted function points; null: counted from `complexity`",
    )

    @field_validator("impact")
    @classmethod
    def _scale(cls, value: float) -> float:
        if value not in RICE_IMPACT:
            raise ValueError("impact must be one of 0.25, 0.5, 1, 2, 3")
        return value


class EstimateInputs(BaseModel):
    """What sizing and costing need; shared by the blueprint and the resource plan."""

    model_config = ConfigDict(extra="forbid")

    product: ProductSpec = Field(
        description="What is built: picks the architecture and stack (a bare string is its name)"
    )
    features: list[Feature] = Field(
        default_factory=list,
        max_length=200,
        description="Up to 200 features, prioritised by RICE; sized unless `size_ksloc` or "
        "`function_points` is given",
    )
    # at least one line of code: COCOMO's Size^E underflows to 0 on subnormal sizes
    size_ksloc: float | None = Field(
        default=None,
        ge=0.001,
        le=100_000,
        description="The size in thousands of source lines; wins over function points",
    )
    function_points: int | None = Field(
        default=None,
        gt=0,
        le=10_000_000,
        description="The size in unadjusted function points; wins over the features' own",
    )
    language: str | None = Field(
        default=None,
        min_length=1,
        max_length=30,
        description="The main language, for lines per function point; null: the stack's",
    )
    sloc_per_fp: float | None = Field(
        default=None,
        ge=1,
        le=1000,
        description="Source lines per function point; null: the published ratio for "
        "`language` (Java's 53 when none is held)",
    )
    scope: Literal["must", "must_should", "all"] = Field(
        default="must",
        description="Which features are sized: must-haves, must and should, or all but wont",
    )
    scale_factors: cocomo.ScaleFactors = Field(
        default=cocomo.ScaleFactors(),
        description="COCOMO II scale factors (they set the size exponent); each nominal "
        "unless given",
    )
    cost_drivers: cocomo.EffortMultipliers = Field(
        default=cocomo.EffortMultipliers(),
        description="COCOMO II effort multipliers; each nominal (1.00) unless given",
    )
    region: RegionOrGlobal = Field(
        default="north_america",
        description="Where the team works: scales the US cost rates (e.g. europe 0.65)",
    )
    rates: dict[Role, float] | None = Field(
        default=None,
        description="Your monthly cost per full-time person, by the graph's role id "
        "(`role:backend-developer`, ...); it replaces the sourced default. Deprecated, "
        "accepted until the next release: the former keys (`backend_engineer`, ...).",
    )
    team: list[TeamMember] = Field(
        default_factory=list,
        max_length=200,
        description="Who you have, with their skills: the stack check reports the gaps",
    )

    @field_validator("rates", mode="before")
    @classmethod
    def _graph_role_ids(cls, rates: object) -> object:
        if isinstance(rates, dict):
            return {graph_role_id(k) if isinstance(k, str) else k: v for k, v in rates.items()}
        return rates

    @field_validator("rates")
    @classmethod
    def _positive(cls, rates: dict[Role, float] | None) -> dict[Role, float] | None:
        for role, value in (rates or {}).items():
            if not 0 < value <= 10_000_000:
                raise ValueError(f"monthly rate of {role} must be between 0 and 10,000,000 USD")
        return rates

    def has_size(self) -> bool:
        return (
            bool(self.features) or self.size_ksloc is not None or self.function_points is not None
        )


class MvpBlueprintRequest(EstimateInputs):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "product": {"name": "Acme", "kind": "web"},
                    "features": [
                        {"name": "sign-up", "reach": 1000, "effort": 1},
                        {"name": "forecasting", "reach": 800, "impact": 3, "effort": 3},
                    ],
                }
            ]
        }
    )

    @model_validator(mode="after")
    def _sized(self) -> MvpBlueprintRequest:
        if not self.has_size():
            raise ValueError("give features, function_points or size_ksloc")
        return self


@dataclass(frozen=True)
class Phase:
    name: str
    effort_person_months: float
    months: float
    start_month: float

    @property
    def end_month(self) -> float:
        return self.start_month + self.months


def prioritise(features: list[Feature]) -> list[PrioritisedFeature]:
    """RICE = reach x impact x confidence / effort; MoSCoW from the caller where given,
    else in RICE order within DSDM's budgets (Must <= 60 % of effort, Must+Should <= 80 %)."""
    scored = sorted(
        features,
        key=lambda f: (-(f.reach * f.impact * f.confidence / 100 / f.effort), f.name),
    )
    total = sum(f.effort for f in features if f.moscow != "wont")
    used = {"must": sum(f.effort for f in features if f.moscow == "must")}
    used["should"] = used["must"] + sum(f.effort for f in features if f.moscow == "should")
    budget = {"must": MUST_BUDGET * total, "should": SHOULD_BUDGET * total}
    tier: MoSCoW = "must"  # moves down only, so a lower RICE never outranks a higher one
    rows = []
    for rank, feature in enumerate(scored, start=1):
        label: MoSCoW
        origin: Literal["given", "rice"] = "given"
        if feature.moscow is not None:
            label = feature.moscow
        else:
            origin = "rice"
            if tier == "must" and used["must"] + feature.effort > budget["must"]:
                tier = "should"
            if tier == "should" and used["should"] + feature.effort > budget["should"]:
                tier = "could"
            label = tier
            if tier == "must":
                used["must"] += feature.effort
            if tier in ("must", "should"):
                used["should"] += feature.effort
        rows.append(
            PrioritisedFeature(
                rank=rank,
                name=feature.name,
                rice=round(
                    feature.reach * feature.impact * feature.confidence / 100 / feature.effort, 3
                ),
                moscow=label,
                moscow_from=origin,
                effort_person_months=feature.effort,
                function_points=feature.function_points
                or cocomo.feature_function_points(feature.complexity),
            )
        )
    if rows and not any(r.moscow == "must" for r in rows):
        first = next((r for r in rows if r.moscow_from == "rice"), None)
        if first is not None:
            first.moscow = "must"  # an MVP has at least one must-have
    return rows


def size_of(
    req: EstimateInputs, prioritised: list[PrioritisedFeature], language: str
) -> BlueprintSize:
    if req.size_ksloc is not None:
        return BlueprintSize(ksloc=req.size_ksloc, basis="given in KSLOC")
    in_scope = {
        "must": {"must"},
        "must_should": {"must", "should"},
        "all": {"must", "should", "could"},
    }
    if req.function_points is not None:
        ufp = req.function_points
        basis = "given in unadjusted function points"
    else:
        chosen = [r for r in prioritised if r.moscow in in_scope[req.scope]]
        if not chosen:  # e.g. every feature marked `wont`: nothing to size
            raise Invalid(
                f"no feature is in scope {req.scope!r}; widen the scope, change the "
                "features' moscow, or give size_ksloc or function_points",
                field="scope",
            )
        ufp = sum(r.function_points for r in chosen)
        basis = (
            f"{len(chosen)} {req.scope.replace('_', '+')} feature(s); a feature without a count "
            "is one internal file, 3 inputs, 2 outputs and 1 inquiry at its complexity "
            "(IFPUG weights)"
        )
    language = req.language or language
    if req.sloc_per_fp is not None:
        ratio, ratio_source = req.sloc_per_fp, "your input"
    else:
        ratio, ratio_source = cocomo.sloc_per_fp(language)
    return BlueprintSize(
        ksloc=ufp * ratio / 1000,
        unadjusted_function_points=ufp,
        language=language,
        sloc_per_fp=ratio,
        sloc_per_fp_source=ratio_source,
        basis=basis,
    )


def phases_of(effort_pm: float, schedule_months: float) -> list[Phase]:
    phases, start = [], 0.0
    for name, effort_share, schedule_share in PHASES:
        months = schedule_months * schedule_share
        phases.append(Phase(name, effort_pm * effort_share, months, start))
        start += months
    return phases


def role_mix(phase: str, kind: str) -> dict[Role, float]:
    mix = dict(ROLE_MIX[phase])
    if kind in ("api", "data"):  # no client to build: that effort goes to the back end
        moved = mix.pop("role:frontend-developer", 0.0) + mix.pop("role:product-designer", 0.0)
        mix["role:backend-developer"] = mix.get("role:backend-developer", 0.0) + moved
    return mix


def costed_phases(
    phases: list[Phase], kind: str, rates: dict[Role, MonthlyRate]
) -> tuple[list[CostedPhase], dict[Role, float]]:
    by_role: dict[Role, float] = dict.fromkeys(ROLES, 0.0)
    rows = []
    for phase in phases:
        mix = role_mix(phase.name, kind)
        cost = 0.0
        for role, share in mix.items():
            role_cost = phase.effort_person_months * share * rates[role].monthly_usd
            by_role[role] += role_cost
            cost += role_cost
        rows.append(
            CostedPhase(
                name=phase.name,
                effort_person_months=round(phase.effort_person_months, 2),
                months=round(phase.months, 2),
                start_month=round(phase.start_month, 2),
                end_month=round(phase.end_month, 2),
                cost_usd=round(cost, 2),
                effort_by_role={
                    r: round(phase.effort_person_months * s, 2) for r, s in mix.items()
                },
            )
        )
    return rows, {r: round(c, 2) for r, c in by_role.items() if c}


def milestones(phases: list[Phase], prioritised: list[PrioritisedFeature]) -> list[Milestone]:
    by_name = {p.name: p for p in phases}
    musts = [r.name for r in prioritised if r.moscow == "must"]
    shoulds = [r.name for r in prioritised if r.moscow == "should"]
    return [
        Milestone(name="Kick-off", month=0.0, deliverable="team and backlog in place"),
        Milestone(
            name="Lifecycle objectives",
            month=round(by_name["inception"].end_month, 1),
            deliverable="scope, MoSCoW backlog and business case agreed",
        ),
        Milestone(
            name="Lifecycle architecture",
            month=round(by_name["elaboration"].end_month, 1),
            deliverable="architecture proven end to end; risks retired",
        ),
        Milestone(
            name="MVP release",
            month=round(by_name["construction"].end_month, 1),
            deliverable="must-have features live" + (f": {', '.join(musts[:8])}" if musts else ""),
        ),
        Milestone(
            name="Product release",
            month=round(by_name["transition"].end_month, 1),
            deliverable="hardened and handed over"
            + (f"; next: {', '.join(shoulds[:5])}" if shoulds else ""),
        ),
    ]


def build_blueprint(req: MvpBlueprintRequest, advisor: StackAdvisor) -> MvpBlueprint:
    architecture, defaults, language = choose_stack(req.product)
    stack, choices = recommend_versions(advisor, defaults)
    prioritised = prioritise(req.features)
    size = size_of(req, prioritised, language)
    est = cocomo.estimate(size.ksloc, req.scale_factors, req.cost_drivers)
    phases = phases_of(est.effort_person_months, est.schedule_months)
    rates = monthly_rates(req.region, req.rates)
    phase_rows, by_role = costed_phases(phases, req.product.kind, rates)
    cost = sum(by_role.values())
    model_cost = sum(p.cost_usd for p in phase_rows if p.name in ("elaboration", "construction"))
    return MvpBlueprint(
        product=req.product,
        features=prioritised,
        architecture=architecture,
        stack=choices,
        size=size.model_copy(update={"ksloc": round(size.ksloc, 3)}),
        effort_person_months=round(est.effort_person_months, 2),
        schedule_months=round(est.schedule_months, 2),
        cocomo=CocomoAnswer(
            **est.figures().model_dump(),
            scale_factors=req.scale_factors,
            cost_drivers=req.cost_drivers,
            model="COCOMO II.2000 Post-Architecture",
        ),
        lifecycle_effort_person_months=round(sum(p.effort_person_months for p in phases), 2),
        lifecycle_months=round(phases[-1].end_month, 2),
        phases=phase_rows,
        cost_usd=round(cost, 2),
        cost=BlueprintCost(
            currency="USD",
            total_usd=round(cost, 2),
            elaboration_and_construction_usd=round(model_cost, 2),
            by_role_usd=by_role,
            region=req.region,
            monthly_rates=rates,
        ),
        milestones=milestones(phases, prioritised),
        stack_check=consult(advisor, stack, req.team),
        assumptions=[
            Assumption(
                name="phase distribution",
                value={n: [e, s] for n, e, s in PHASES},
                unit="[effort, schedule] fraction of PM, TDEV",
                source=PHASE_SOURCE,
            ),
            Assumption(
                name="role mix per phase",
                value={phase: dict(mix) for phase, mix in ROLE_MIX.items()},
                unit="fraction of phase effort",
                source=ROLE_MIX_SOURCE,
            ),
            Assumption(
                name="person-month",
                value=cocomo.HOURS_PER_PERSON_MONTH,
                unit="hours",
                source="COCOMO II.2000 manual",
            ),
            Assumption(
                name="MoSCoW budgets",
                value={"must": MUST_BUDGET, "must_should": SHOULD_BUDGET},
                unit="fraction of effort",
                source="DSDM Agile Project Framework (MoSCoW prioritisation)",
            ),
        ],
    )


def effort_split(effort_pm: float, schedule_months: float) -> list[Phase]:
    """The phases for an effort and schedule given directly (resource planning)."""
    if not (effort_pm > 0 and schedule_months > 0 and math.isfinite(effort_pm + schedule_months)):
        raise ValueError("effort and schedule must be positive")
    return phases_of(effort_pm, schedule_months)
