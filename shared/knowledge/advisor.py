"""The stack advisor port (`shared.ports.stack_advice`), answered by the
knowledge graph: compatibility score and fixes, pitfalls with the team, and learning
plans for the team's gaps. Lenient where the API is strict: a stack item the graph
does not know is reported, not an error, and a version like `gen2` counts as unknown."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from shared.knowledge.compatibility import compatibility
from shared.knowledge.index import GraphIndex
from shared.knowledge.matching import Ambiguous
from shared.knowledge.pathways import plan_for_skills
from shared.knowledge.pitfalls import pitfalls
from shared.knowledge.schemas import StackItem
from shared.knowledge.stack import place, recommended_release
from shared.ports.stack_advice import Advice, RecommendedVersion, StackAdvisor, TeamMember
from shared.ports.stack_advice import StackItem as VentureStackItem


def _stack(stack: Sequence[VentureStackItem]) -> list[StackItem]:
    return [StackItem(id=s.id, version=s.version or None) for s in stack]


class GraphStackAdvisor:
    """Implements shared.ports.stack_advice.StackAdvisor on the graph's current index
    (`graph`), judged as of `today` (support status and end-of-life dates move)."""

    def __init__(self, graph: Callable[[], GraphIndex], today: Callable[[], date]) -> None:
        self._graph = graph
        self._today = today

    def _context(self) -> tuple[GraphIndex, date]:
        return self._graph(), self._today()

    def _unknown(
        self, graph: GraphIndex, stack: list[StackItem], today: date
    ) -> list[dict[str, Any]]:
        _, problems = place(graph, stack, today, strict=False)
        return [{"item": stack[i].id, "problem": message} for i, message in problems]

    def recommended_versions(self, ids: Sequence[str]) -> dict[str, RecommendedVersion]:
        graph, today = self._context()
        out: dict[str, RecommendedVersion] = {}
        for tech in ids:
            try:
                match = graph.resolve(tech, ("technology",))
            except Ambiguous:
                continue
            release = recommended_release(graph.nodes[match.node], today) if match else None
            if release is None:
                continue
            ends = f"support ends {release.eol}" if release.eol else "no end of life announced"
            kind = "LTS line" if release.lts else "line"
            out[tech] = RecommendedVersion(
                release.version,
                f"the newest supported {kind} on {today} ({ends})",
                release.source,
            )
        return out

    def compatibility(self, stack: Sequence[VentureStackItem]) -> Advice:
        graph, today = self._context()
        items = _stack(stack)
        report = compatibility(graph, items, today, strict=False)
        detail = report.model_dump(mode="json")
        detail["not_assessed"] = self._unknown(graph, items, today)
        return Advice(True, detail)

    def pitfalls(self, stack: Sequence[VentureStackItem], team: Sequence[TeamMember]) -> Advice:
        graph, today = self._context()
        items = _stack(stack)
        report = pitfalls(graph, items, team, today, strict=False)
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
