"""The venture blueprint's StackAdvisor (`shared.venture.stack_advisor`), answered by the
knowledge graph: compatibility score and fixes, pitfalls with the team, and learning
plans for the team's gaps. Lenient where the API is strict: a stack item the graph
does not know is reported, not an error, and a version like `gen2` counts as unknown."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from shared.knowledge.compatibility import compatibility
from shared.knowledge.index import GraphIndex
from shared.knowledge.pathways import plan_for_skills
from shared.knowledge.pitfalls import pitfalls
from shared.knowledge.schemas import StackItem, TeamMember
from shared.knowledge.service import current_graph
from shared.knowledge.stack import place
from shared.platform import Platform, current_platform
from shared.venture.stack_advisor import Advice, StackAdvisor, install_stack_advisor
from shared.venture.stack_advisor import StackItem as VentureStackItem
from shared.venture.stack_advisor import TeamMember as VentureTeamMember


def _stack(stack: Sequence[VentureStackItem]) -> list[StackItem]:
    return [StackItem(id=s.id, version=s.version or None) for s in stack]


class GraphStackAdvisor:
    """Implements shared.venture.stack_advisor.StackAdvisor."""

    def __init__(self, platform: Callable[[], Platform] = current_platform) -> None:
        self._platform = platform

    def _context(self) -> tuple[GraphIndex, date]:
        platform = self._platform()
        return current_graph(platform), platform.clock.now().date()

    def _unknown(
        self, graph: GraphIndex, stack: list[StackItem], today: date
    ) -> list[dict[str, Any]]:
        _, problems = place(graph, stack, today, strict=False)
        return [{"item": stack[i].id, "problem": message} for i, message in problems]

    def compatibility(self, stack: Sequence[VentureStackItem]) -> Advice:
        graph, today = self._context()
        items = _stack(stack)
        report = compatibility(graph, items, today, strict=False)
        detail = report.model_dump(mode="json")
        detail["not_assessed"] = self._unknown(graph, items, today)
        return Advice(True, detail)

    def pitfalls(
        self, stack: Sequence[VentureStackItem], team: Sequence[VentureTeamMember]
    ) -> Advice:
        graph, today = self._context()
        items = _stack(stack)
        members = [
            TeamMember(name=m.role or f"member {i + 1}", skills=list(m.skills))
            for i, m in enumerate(team)
        ]
        report = pitfalls(graph, items, members, today, strict=False)
        detail = report.model_dump(mode="json")
        detail["not_assessed"] = self._unknown(graph, items, today)
        return Advice(True, detail)

    def pathways(self, gaps: Sequence[str]) -> Advice:
        """One learning plan covering every gap (prerequisites and resources they
        share are counted once)."""
        graph, _ = self._context()
        if not gaps:
            return Advice(True, {"plans": [], "total_hours": 0.0, "unknown_gaps": []})
        combined = plan_for_skills(graph, [], gaps)
        return Advice(
            True,
            {
                "plans": [combined.model_dump(mode="json")],
                "total_hours": combined.total_hours,
                "unknown_gaps": combined.unrecognised,
            },
        )


def _conforms(advisor: GraphStackAdvisor) -> StackAdvisor:
    return advisor  # mypy proves the class matches the venture port exactly


def install(platform: Callable[[], Platform] = current_platform) -> GraphStackAdvisor:
    """Make the graph the venture blueprint's advisor (done when the API's routes load)."""
    advisor = GraphStackAdvisor(platform)
    install_stack_advisor(advisor)
    return advisor
