"""What a blueprint asks the stack advisor (shared/ports/stack_advice.py): which
versions to recommend, then whether the stack holds together, all at once."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from shared.ports.stack_advice import StackAdvisor, StackItem, TeamMember
from shared.venture.blueprint_answer import AdvisorAnswer, StackCheck, StackChoice

DEFAULT_BASIS = "AIA default: the knowledge graph tracks no supported release line of it"


def recommend_versions(
    advisor: StackAdvisor, stack: Sequence[StackItem]
) -> tuple[list[StackItem], list[StackChoice]]:
    """The stack at the versions the graph supports today (an item it tracks no
    supported line of keeps its default), and each choice with where its version comes
    from; so the blueprint never recommends what its own stack check would call end of
    life."""
    recommended = advisor.recommended_versions([item.id for item in stack])
    pinned, choices = [], []
    for item in stack:
        found = recommended.get(item.id)
        if found is not None:
            item = dataclasses.replace(item, version=found.version)
        pinned.append(item)
        choices.append(
            StackChoice(
                id=item.id,
                version=item.version,
                role=item.role,
                skills=list(item.skills),
                version_from="default" if found is None else "knowledge-graph",
                version_basis=DEFAULT_BASIS if found is None else found.basis,
                version_source=None if found is None else found.source,
            )
        )
    return pinned, choices


def consult(
    advisor: StackAdvisor, stack: Sequence[StackItem], team: Sequence[TeamMember]
) -> StackCheck:
    """Ask all three questions. The team's gaps are the stack's skills nobody has; with
    no team given every stack skill is a gap."""
    have = {s.casefold() for member in team for s in member.skills}
    needed = sorted({s for item in stack for s in item.skills})
    gaps = [s for s in needed if s.casefold() not in have]
    return StackCheck(
        compatibility=AdvisorAnswer.model_validate(advisor.compatibility(stack).as_dict()),
        pitfalls=AdvisorAnswer.model_validate(advisor.pitfalls(stack, team).as_dict()),
        skill_gaps=gaps,
        pathways=AdvisorAnswer.model_validate(advisor.pathways(gaps).as_dict()),
    )
