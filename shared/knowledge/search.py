"""Node search by name, id or alias: exact matches first, then prefixes, then
substrings. All normalised names live in one string separated by NUL bytes, so a
prefix or substring scan is `str.find` in C rather than a Python loop per node."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from shared.knowledge.matching import normalise

SEPARATOR = "\x00"
SCAN_FACTOR = 50  # occurrences examined per requested result, at most


class Named(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def aliases(self) -> list[str]: ...


@dataclass(frozen=True)
class SearchIndex:
    haystack: str
    starts: npt.NDArray[np.int64]
    owner: npt.NDArray[np.int32]
    exact: dict[str, list[int]]
    name_length: npt.NDArray[np.int32]

    @classmethod
    def build(cls, nodes: Sequence[Named], kinds: npt.NDArray[np.int8]) -> SearchIndex:
        texts: list[str] = []
        owners: list[int] = []
        exact: dict[str, list[int]] = {}
        for i, node in enumerate(nodes):
            seen: set[str] = set()
            for text in (node.name, node.id, *node.aliases):
                key = normalise(text)
                if key and key not in seen:
                    seen.add(key)
                    texts.append(key)
                    owners.append(i)
                    exact.setdefault(key, []).append(i)
        lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
        starts = np.zeros(len(texts), dtype=np.int64)
        if len(texts):
            np.cumsum(lengths[:-1], out=starts[1:])
        name_length = np.fromiter((len(n.name) for n in nodes), dtype=np.int32, count=len(nodes))
        return cls(
            haystack=SEPARATOR + SEPARATOR.join(texts),
            starts=starts,
            owner=np.asarray(owners, dtype=np.int32),
            exact=exact,
            name_length=name_length,
        )

    def _scan(self, needle: str, budget: int) -> tuple[list[int], bool]:
        """Owners of the entries containing `needle` (a leading NUL anchors it to an
        entry's start), in haystack order; True when the budget ran out."""
        positions: list[int] = []
        start = 0
        find = self.haystack.find
        while len(positions) < budget:
            at = find(needle, start)
            if at < 0:
                return self._owners(positions), False
            positions.append(at)
            start = at + 1
        return self._owners(positions), True

    def _owners(self, positions: list[int]) -> list[int]:
        if not positions:
            return []
        # An anchored hit sits on the separator just before its entry.
        entry = np.searchsorted(self.starts, np.asarray(positions, dtype=np.int64), "right") - 1
        return [int(o) for o in self.owner[entry]]

    def find(
        self,
        query: str,
        limit: int,
        accept: npt.NDArray[np.bool_] | None = None,
    ) -> tuple[list[int], bool]:
        """Up to `limit` matching nodes, best first, and whether more may exist."""
        needle = normalise(query)
        if not needle:
            return [], False
        chosen: list[int] = []
        seen: set[int] = set()
        truncated = False

        def take(candidates: list[int]) -> None:
            ranked = sorted(set(candidates) - seen, key=lambda i: (int(self.name_length[i]), i))
            for node in ranked:
                if accept is None or accept[node]:
                    seen.add(node)
                    chosen.append(node)

        take(self.exact.get(needle, []))
        budget = max(limit * SCAN_FACTOR, 200)
        for anchored in (SEPARATOR + needle, needle):
            if len(chosen) >= limit:
                break
            owners, ran_out = self._scan(anchored, budget)
            truncated = truncated or ran_out
            take(owners)
        if len(chosen) > limit:
            return chosen[:limit], True
        return chosen, truncated

    def similar(
        self, query: str, limit: int, accept: npt.NDArray[np.bool_] | None = None
    ) -> list[int]:
        """Close spellings (for "did you mean"): among entries sharing the first letter."""
        needle = normalise(query)
        if not needle:
            return []
        pool = [key for key in self.exact if key[0] == needle[0]]
        found: list[int] = []
        for key in difflib.get_close_matches(needle, pool, n=limit * 3, cutoff=0.75):
            for node in self.exact[key]:
                if (accept is None or accept[node]) and node not in found:
                    found.append(node)
        return found[:limit]
