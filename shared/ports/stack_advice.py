"""The stack advisor port: a venture blueprint asks whether its stack fits together, what
pitfalls the stack and team carry, and how the team can close its skill gaps. The
knowledge graph answers it (`shared.knowledge.advisor`); without a graph the answers say
"not available" (never invented). The composition root plugs one in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator


@dataclass(frozen=True)
class StackItem:
    id: str
    version: str
    role: str = ""
    skills: tuple[str, ...] = ()


# The role ids the venture API used before it took the graph's (one release of grace):
# each is read as the graph's role it always meant.
LEGACY_ROLE_IDS: dict[str, str] = {
    "product_manager": "role:product-manager",
    "tech_lead": "role:tech-lead",
    "backend_engineer": "role:backend-developer",
    "frontend_engineer": "role:frontend-developer",
    "designer": "role:product-designer",
    "qa_engineer": "role:qa-engineer",
    "devops_engineer": "role:devops-engineer",
}
ROLE_DESCRIPTION = (
    "A role id of the knowledge graph (`GET /v1/graph/nodes?kind=role`), e.g. "
    "`role:backend-developer`. Deprecated, accepted until the next release: the venture "
    "API's former ids (`backend_engineer`, `frontend_engineer`, `tech_lead`, `designer`, "
    "`product_manager`, `qa_engineer`, `devops_engineer`), read as the graph's."
)


def graph_role_id(role: str) -> str:
    """A former venture role id as the graph's id; anything else as given."""
    return LEGACY_ROLE_IDS.get(role, role)


class TeamMember(BaseModel):
    """A member of a team, the one shape the knowledge graph's pitfalls and the venture
    blueprint both take: who (`name`), in which role (`role`), knowing what (`skills`).
    The pitfalls' former `{name, skills}` and the blueprint's former `{role, skills}` are
    both still this shape."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str | None = Field(
        default=None,
        min_length=1,
        max_length=120,
        description="Who; findings name members by it (`Only Ada knows SQL`).",
    )
    role: str | None = Field(
        default=None, min_length=1, max_length=60, description=ROLE_DESCRIPTION
    )
    skills: tuple[str, ...] = Field(
        default=(),
        max_length=200,
        description="Skills or technologies, by id, alias or name (`sql`, `TypeScript`).",
    )

    @field_validator("role")
    @classmethod
    def _graph_id(cls, role: str | None) -> str | None:
        return None if role is None else graph_role_id(role)

    def label(self, position: int) -> str:
        """How findings name the member: by name, else by role, else by position."""
        return self.name or self.role or f"member {position + 1}"


@dataclass(frozen=True)
class RecommendedVersion:
    """The release line the graph recommends for a technology today, and why."""

    version: str
    basis: str  # e.g. "newest supported LTS line; support ends 2028-04-30"
    source: str  # the support policy the line's dates come from


@dataclass(frozen=True)
class Advice:
    """One answer of the advisor. `detail` is the advisor's own JSON-able payload:
    for compatibility a 0-100 `score` with its parts and fixes; for pitfalls a list of
    findings with severity and prevention; for pathways ordered learning plans."""

    available: bool
    detail: dict[str, Any] = field(default_factory=dict)
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"available": self.available, **self.detail}
        if self.reason:
            out["reason"] = self.reason
        return out


class StackAdvisor(Protocol):
    def recommended_versions(self, ids: Sequence[str]) -> dict[str, RecommendedVersion]:
        """For each technology id whose release lines the graph tracks, the line to
        recommend today; ids it does not track are absent."""
        ...

    def compatibility(self, stack: Sequence[StackItem]) -> Advice: ...

    def pitfalls(self, stack: Sequence[StackItem], team: Sequence[TeamMember]) -> Advice: ...

    def pathways(self, gaps: Sequence[str]) -> Advice: ...


class UnavailableStackAdvisor:
    """The answer where no knowledge graph is deployed."""

    REASON = "the knowledge graph is not available in this deployment"

    def recommended_versions(self, ids: Sequence[str]) -> dict[str, RecommendedVersion]:
        return {}

    def compatibility(self, stack: Sequence[StackItem]) -> Advice:
        return Advice(False, reason=self.REASON)

    def pitfalls(self, stack: Sequence[StackItem], team: Sequence[TeamMember]) -> Advice:
        return Advice(False, reason=self.REASON)

    def pathways(self, gaps: Sequence[str]) -> Advice:
        return Advice(False, reason=self.REASON)
