"""Minimum-hours choice of resources covering a set of skills: weighted set cover.

Set cover is NP-hard, so: the instance is split into independent components (skills
linked by a resource that teaches both), dominated resources are dropped (another
teaches a superset for no more hours), and each component is solved exactly by
branch and bound: branch on the uncovered skill with the fewest resources, prune with
the larger of two lower bounds (the dearest cheapest way to cover one remaining skill;
the sum over remaining skills of the cheapest hours-per-skill of a resource teaching
it). A component whose search exceeds its node budget keeps the best cover found,
which starts from the greedy one (hours per newly covered skill, within a factor
H(k) = 1 + 1/2 + ... + 1/k of optimal), and is reported as not proven optimal."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

BUDGET = 20_000  # branch-and-bound nodes per component


@dataclass(frozen=True)
class Option:
    id: int
    hours: float
    covers: frozenset[int]


@dataclass(frozen=True)
class Cover:
    chosen: tuple[int, ...]
    hours: float
    optimal: bool


class _BudgetSpent(Exception):
    pass


def _components(
    elements: set[int], options: Sequence[Option]
) -> list[tuple[set[int], list[Option]]]:
    parent = {e: e for e in elements}

    def root(e: int) -> int:
        while parent[e] != e:
            parent[e] = parent[parent[e]]
            e = parent[e]
        return e

    for option in options:
        members = [e for e in option.covers if e in parent]
        for other in members[1:]:
            parent[root(other)] = root(members[0])
    groups: dict[int, set[int]] = {}
    for e in elements:
        groups.setdefault(root(e), set()).add(e)
    out = []
    for group in groups.values():
        relevant = [o for o in options if o.covers & group]
        out.append((group, relevant))
    return out


def _undominated(options: list[Option], universe: set[int]) -> list[Option]:
    trimmed = sorted(
        {
            Option(o.id, o.hours, frozenset(o.covers & universe))
            for o in options
            if o.covers & universe
        },
        key=lambda o: (o.hours, -len(o.covers), o.id),
    )
    kept: list[Option] = []
    for option in trimmed:
        if not any(k.covers >= option.covers and k.hours <= option.hours for k in kept):
            kept.append(option)
    return kept


def _greedy(universe: set[int], options: list[Option]) -> tuple[list[Option], float]:
    left = set(universe)
    chosen: list[Option] = []
    while left:
        best = min(
            (o for o in options if o.covers & left),
            key=lambda o: (o.hours / len(o.covers & left), o.hours, o.id),
        )
        chosen.append(best)
        left -= best.covers
    return chosen, sum(o.hours for o in chosen)


def _solve(universe: set[int], options: list[Option], budget: int) -> tuple[list[Option], bool]:
    options = _undominated(options, universe)
    best, best_hours = _greedy(universe, options)
    by_element: dict[int, list[Option]] = {e: [] for e in universe}
    for option in options:
        for e in option.covers:
            by_element[e].append(option)
    cheapest = {e: min(o.hours for o in opts) for e, opts in by_element.items()}
    per_skill = {e: min(o.hours / len(o.covers) for o in opts) for e, opts in by_element.items()}
    nodes = 0

    def search(left: frozenset[int], hours: float, chosen: list[Option]) -> None:
        nonlocal best, best_hours, nodes
        nodes += 1
        if nodes > budget:
            raise _BudgetSpent
        if not left:
            if hours < best_hours - 1e-9:
                best, best_hours = list(chosen), hours
            return
        bound = max(max(cheapest[e] for e in left), sum(per_skill[e] for e in left))
        if hours + bound >= best_hours - 1e-9:
            return
        pivot = min(left, key=lambda e: (len(by_element[e]), e))
        for option in by_element[pivot]:
            chosen.append(option)
            search(left - option.covers, hours + option.hours, chosen)
            chosen.pop()

    try:
        search(frozenset(universe), 0.0, [])
    except _BudgetSpent:
        return best, False
    return best, True


def minimum_cover(elements: set[int], options: Sequence[Option], budget: int = BUDGET) -> Cover:
    """Cover every coverable element of `elements` with the fewest total hours."""
    coverable = {e for e in elements if any(e in o.covers for o in options)}
    chosen: list[int] = []
    hours = 0.0
    optimal = True
    for group, relevant in _components(coverable, options):
        picked, exact = _solve(group, relevant, budget)
        chosen.extend(o.id for o in picked)
        hours += sum(o.hours for o in picked)
        optimal = optimal and exact
    return Cover(tuple(sorted(set(chosen))), round(hours, 2), optimal)
