"""The port the knowledge graph plugs into: a blueprint asks it whether its stack fits
together, what pitfalls the stack and team carry, and how the team can close its skill
gaps. Until a graph is installed the answers say "not available" (never invented)."""

from __future__ import annotations

import threading
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
    def compatibility(self, stack: Sequence[StackItem]) -> Advice: ...

    def pitfalls(self, stack: Sequence[StackItem], team: Sequence[TeamMember]) -> Advice: ...

    def pathways(self, gaps: Sequence[str]) -> Advice: ...


class UnavailableStackAdvisor:
    """The default until the knowledge graph is installed."""

    REASON = "the knowledge graph is not available in this deployment"

    def compatibility(self, stack: Sequence[StackItem]) -> Advice:
        return Advice(False, reason=self.REASON)

    def pitfalls(self, stack: Sequence[StackItem], team: Sequence[TeamMember]) -> Advice:
        return Advice(False, reason=self.REASON)

    def pathways(self, gaps: Sequence[str]) -> Advice:
        return Advice(False, reason=self.REASON)


_lock = threading.Lock()
_advisor: StackAdvisor = UnavailableStackAdvisor()


def install_stack_advisor(advisor: StackAdvisor | None) -> None:
    """Plug in an advisor (the knowledge graph calls this at cold start); None resets."""
    global _advisor
    with _lock:
        _advisor = advisor or UnavailableStackAdvisor()


def current_stack_advisor() -> StackAdvisor:
    return _advisor


def consult(
    advisor: StackAdvisor, stack: Sequence[StackItem], team: Sequence[TeamMember]
) -> dict[str, Any]:
    """Ask all three questions. The team's gaps are the stack's skills nobody has; with
    no team given every stack skill is a gap."""
    have = {s.casefold() for member in team for s in member.skills}
    needed = sorted({s for item in stack for s in item.skills})
    gaps = [s for s in needed if s.casefold() not in have]
    return {
        "compatibility": advisor.compatibility(stack).as_dict(),
        "pitfalls": advisor.pitfalls(stack, team).as_dict(),
        "skill_gaps": gaps,
        "pathways": advisor.pathways(gaps).as_dict(),
    }
