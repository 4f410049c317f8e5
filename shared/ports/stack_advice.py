"""The stack advisor port: a venture blueprint asks whether its stack fits together, what
pitfalls the stack and team carry, and how the team can close its skill gaps. The
knowledge graph answers it (`shared.knowledge.advisor`); without a graph the answers say
"not available" (never invented). The composition root plugs one in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class StackItem:
    id: str
    version: str
    role: str = ""
    skills: tuple[str, ...] = ()


@dataclass(frozen=True)
class TeamMember:
    role: str
    skills: tuple[str, ...] = ()


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
