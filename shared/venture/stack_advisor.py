"""What a blueprint asks the stack advisor (shared/ports/stack_advice.py), all at once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shared.ports.stack_advice import StackAdvisor, StackItem, TeamMember


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
