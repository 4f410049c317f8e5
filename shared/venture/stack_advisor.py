"""What a blueprint asks the stack advisor (shared/ports/stack_advice.py): which
versions to recommend, then whether the stack holds together, all at once."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from shared.ports.stack_advice import StackAdvisor, StackItem, TeamMember

DEFAULT_BASIS = "AIA default: the knowledge graph tracks no supported release line of it"


def recommend_versions(
    advisor: StackAdvisor, stack: Sequence[StackItem]
) -> tuple[list[StackItem], list[dict[str, str]]]:
    """The stack at the versions the graph supports today (an item it tracks no
    supported line of keeps its default), with where each version comes from; so the
    blueprint never recommends what its own stack check would call end of life."""
    recommended = advisor.recommended_versions([item.id for item in stack])
    pinned, basis = [], []
    for item in stack:
        found = recommended.get(item.id)
        if found is None:
            pinned.append(item)
            basis.append({"version_from": "default", "version_basis": DEFAULT_BASIS})
            continue
        pinned.append(dataclasses.replace(item, version=found.version))
        basis.append(
            {
                "version_from": "knowledge-graph",
                "version_basis": found.basis,
                "version_source": found.source,
            }
        )
    return pinned, basis


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
