"""MVP blueprint: prioritisation, sizing, COCOMO, cost, milestones, and the stack
advisor port the knowledge graph plugs into."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from pydantic import ValidationError

from shared.ports.stack_advice import (
    Advice,
    RecommendedVersion,
    StackItem,
    TeamMember,
    UnavailableStackAdvisor,
)
from shared.venture.blueprint import MvpBlueprintRequest, build_blueprint, prioritise
from shared.venture.cocomo import estimate
from shared.venture.rates import monthly_rates

FEATURES = [
    {"name": "sign-up", "reach": 1000, "impact": 1, "confidence": 100, "effort": 1},
    {"name": "billing", "reach": 500, "impact": 2, "confidence": 80, "effort": 2},
    {
        "name": "reports",
        "reach": 300,
        "impact": 1,
        "confidence": 50,
        "effort": 3,
        "complexity": "high",
    },
    {
        "name": "dark mode",
        "reach": 100,
        "impact": 0.25,
        "confidence": 100,
        "effort": 1,
        "complexity": "low",
    },
    {
        "name": "audit log",
        "reach": 10,
        "impact": 1,
        "confidence": 100,
        "effort": 1,
        "moscow": "must",
    },
]


def blueprint(**body: Any) -> dict[str, Any]:
    request = MvpBlueprintRequest.model_validate(body)
    # as the API sends it
    return build_blueprint(request, UnavailableStackAdvisor()).model_dump(mode="json")


def test_rice_scores_and_moscow_within_dsdm_budgets() -> None:
    rows = {
        r.name: r.model_dump()
        for r in prioritise(
            MvpBlueprintRequest.model_validate({"product": "x", "features": FEATURES}).features
        )
    }
    # RICE = reach x impact x confidence / effort
    assert rows["sign-up"]["rice"] == 1000 * 1 * 1.0 / 1 == 1000
    assert rows["billing"]["rice"] == 500 * 2 * 0.8 / 2 == 400
    assert rows["reports"]["rice"] == 50.0  # 300 x 1 x 0.5 / 3
    assert rows["dark mode"]["rice"] == 25.0
    assert [r["rank"] for r in (rows["sign-up"], rows["billing"], rows["reports"])] == [1, 2, 3]
    # total effort 8: must budget 60 % = 4.8, must+should 80 % = 6.4. The given must
    # (audit log, 1) counts first; sign-up (1) and billing (2) fit (4 <= 4.8); reports (3)
    # does not fit as must or should (7 > 6.4): could; from then on nothing ranks higher
    assert rows["audit log"]["moscow"] == "must" and rows["audit log"]["moscow_from"] == "given"
    assert (rows["sign-up"]["moscow"], rows["billing"]["moscow"]) == ("must", "must")
    assert rows["reports"]["moscow"] == "could"
    assert rows["dark mode"]["moscow"] == "could"


def test_size_from_must_have_function_points_then_cocomo() -> None:
    result = blueprint(product={"name": "Acme", "kind": "web"}, features=FEATURES)
    # musts: sign-up 36 + billing 36 + audit log 36 = 108 UFP; TypeScript 47 SLOC/FP
    # -> 108 x 47 = 5,076 SLOC = 5.076 KSLOC
    assert result["size"]["unadjusted_function_points"] == 108
    assert result["size"]["ksloc"] == 5.076
    expected = estimate(5.076)
    assert result["effort_person_months"] == round(expected.effort_person_months, 2)
    assert result["schedule_months"] == round(expected.schedule_months, 2)
    wider = blueprint(product="Acme", features=FEATURES, scope="all")
    assert wider["size"]["unadjusted_function_points"] == 108 + 53 + 27


def test_size_ksloc_alone_is_a_valid_request() -> None:
    result = blueprint(product="Acme", size_ksloc=10)
    assert result["effort_person_months"] == 36.99  # all nominal, see test_cocomo
    assert result["schedule_months"] == 11.57
    assert result["features"] == []
    assert result["size"] == {"ksloc": 10, "basis": "given in KSLOC"}


def test_cost_is_effort_by_phase_and_role_at_regional_rates() -> None:
    result = blueprint(product="Acme", size_ksloc=10, region="europe")
    rates = monthly_rates("europe")
    expected = sum(
        pm * rates[role].monthly_usd
        for phase in result["phases"]
        for role, pm in phase["effort_by_role"].items()
    )
    assert result["cost_usd"] == pytest.approx(expected, rel=1e-3)  # efforts shown rounded
    # MBASE/RUP: inception 6 %, elaboration 24 %, construction 76 %, transition 12 % of PM
    efforts = [p["effort_person_months"] for p in result["phases"]]
    assert efforts == pytest.approx([36.99 * x for x in (0.06, 0.24, 0.76, 0.12)], abs=0.01)
    assert result["lifecycle_months"] == pytest.approx(11.57 * 1.25, abs=0.01)
    us = blueprint(product="Acme", size_ksloc=10)
    assert us["cost_usd"] > result["cost_usd"]  # Europe's stated factor is 0.65
    own = blueprint(product="Acme", size_ksloc=10, rates={r: 10_000 for r in rates})
    # every role at 10,000/month: cost = lifecycle effort x 10,000
    assert own["cost_usd"] == pytest.approx(
        own["lifecycle_effort_person_months"] * 10_000, rel=1e-3
    )


def test_milestones_follow_the_phases_and_name_the_must_haves() -> None:
    result = blueprint(product="Acme", features=FEATURES)
    months = {m["name"]: m["month"] for m in result["milestones"]}
    phases = {p["name"]: p["end_month"] for p in result["phases"]}
    assert months["MVP release"] == round(phases["construction"], 1)
    assert months["Kick-off"] < months["Lifecycle objectives"] < months["Lifecycle architecture"]
    mvp = next(m for m in result["milestones"] if m["name"] == "MVP release")
    assert "sign-up" in mvp["deliverable"] and "reports" not in mvp["deliverable"]


def test_architecture_and_stack_follow_the_product() -> None:
    web = blueprint(
        product={"name": "a", "kind": "web", "realtime": True, "ai": True}, size_ksloc=5
    )
    ids = [s["id"] for s in web["stack"]]
    assert {"react", "postgresql", "redis", "pgvector"} <= set(ids)
    api = blueprint(product={"name": "a", "kind": "api"}, size_ksloc=5)
    assert "react" not in [s["id"] for s in api["stack"]]
    assert all("role:frontend-developer" not in p["effort_by_role"] for p in api["phases"])


class RecordingAdvisor:
    """A stand-in knowledge graph that answers from what it is asked."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, Any]] = []

    def recommended_versions(self, ids: Sequence[str]) -> dict[str, RecommendedVersion]:
        self.asked.append(("versions", list(ids)))
        return {"nodejs": RecommendedVersion("99", "a stand-in's pick", "https://example.org")}

    def compatibility(self, stack: Sequence[StackItem]) -> Advice:
        self.asked.append(("compatibility", [(s.id, s.version) for s in stack]))
        return Advice(True, {"score": 90, "parts": {}})

    def pitfalls(self, stack: Sequence[StackItem], team: Sequence[TeamMember]) -> Advice:
        self.asked.append(("pitfalls", [m.role for m in team]))
        return Advice(True, {"findings": []})

    def pathways(self, gaps: Sequence[str]) -> Advice:
        self.asked.append(("pathways", list(gaps)))
        return Advice(True, {"plans": [{"skill": g} for g in gaps]})


def test_the_blueprint_consults_the_stack_advisor_it_is_given() -> None:
    advisor = RecordingAdvisor()
    request = MvpBlueprintRequest.model_validate(
        {
            "product": {"name": "a", "kind": "api"},
            "size_ksloc": 3,
            "team": [{"role": "dev", "skills": ["TypeScript", "nodejs", "sql", "docker"]}],
        }
    )
    result = build_blueprint(request, advisor).model_dump(mode="json")
    check = result["stack_check"]
    assert check["compatibility"] == {"available": True, "score": 90, "parts": {}}
    assert check["skill_gaps"] == [
        "gcp",
        "postgresql",
    ]  # what the api stack needs, minus the team's
    assert ("pathways", ["gcp", "postgresql"]) in advisor.asked
    # the versions come from the advisor, and the stack it checks is the one recommended
    assert ("versions", ["typescript", "nodejs", "postgresql", "cloud-run"]) in advisor.asked
    node = next(s for s in result["stack"] if s["id"] == "nodejs")
    assert (node["version"], node["version_from"]) == ("99", "knowledge-graph")
    assert node["version_basis"] == "a stand-in's pick"
    [checked] = [a[1] for a in advisor.asked if a[0] == "compatibility"]
    assert ("nodejs", "99") in checked
    run = next(s for s in result["stack"] if s["id"] == "cloud-run")
    assert (run["version"], run["version_from"]) == ("gen2", "default")
    assert ("pitfalls", ["dev"]) in advisor.asked
    default = blueprint(product="a", size_ksloc=3)["stack_check"]
    assert default["compatibility"]["available"] is False
    assert "not available" in default["compatibility"]["reason"]


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"product": "a"}, ()),
        ({"product": "a", "size_ksloc": -5}, ("size_ksloc",)),
        (
            {"product": "a", "size_ksloc": 5, "cost_drivers": {"data": "very_low"}},
            ("cost_drivers", "data"),
        ),
        (
            {"product": "a", "size_ksloc": 5, "scale_factors": {"prec": "huge"}},
            ("scale_factors", "prec"),
        ),
        (
            {"product": "a", "features": [{"name": "x", "reach": 1, "effort": 1, "impact": 7}]},
            ("features", 0, "impact"),
        ),
        (
            {"product": "a", "features": [{"name": "x", "reach": 1, "effort": 0}]},
            ("features", 0, "effort"),
        ),
        ({"product": "a", "size_ksloc": 5, "rates": {"role:backend-developer": -1}}, ("rates",)),
        ({"product": "a", "size_ksloc": 5, "rates": {"backend_engineer": -1}}, ("rates",)),
        (
            {"product": "a", "size_ksloc": 5, "rates": {"role:astronaut": 1}},
            ("rates", "role:astronaut", "[key]"),
        ),
        ({"product": "a", "size_ksloc": 5, "region": "atlantis"}, ("region",)),
    ],
)
def test_nonsense_is_rejected_naming_the_field(body: dict[str, Any], loc: tuple[Any, ...]) -> None:
    with pytest.raises(ValidationError) as info:
        MvpBlueprintRequest.model_validate(body)
    assert info.value.errors()[0]["loc"] == loc
