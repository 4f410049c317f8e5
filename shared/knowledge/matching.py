"""Cross-registry matching: the same entity named by different registries is one node.

A record matches an existing node of its kind by identifier (`technology:postgresql`,
confidence 1.0), else by alias (any of its id, name or aliases equals the node's id or
an alias once normalised, 0.9), else by normalised name (0.8). Two or more candidates
is ambiguous: no merge, the caller reports it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Method = Literal["id", "alias", "name"]
CONFIDENCE: dict[str, float] = {"id": 1.0, "alias": 0.9, "name": 0.8}
_STRIP = re.compile(r"[^a-z0-9+#]")


def normalise(text: str) -> str:
    """Case, accents, spacing and punctuation removed (`Node.js` -> `nodejs`); `+` and
    `#` kept so C, C++ and C# stay apart."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _STRIP.sub("", folded.replace("&", "and"))


@dataclass(frozen=True)
class Match:
    node: int
    method: Method

    @property
    def confidence(self) -> float:
        return CONFIDENCE[self.method]


class Ambiguous(LookupError):
    def __init__(self, candidates: list[int]) -> None:
        super().__init__(f"{len(candidates)} candidates")
        self.candidates = candidates


@dataclass
class NameIndex:
    """Per node kind: typed keys, normalised ids and aliases, normalised names."""

    keys: dict[str, int] = field(default_factory=dict)
    aliases: dict[str, dict[str, set[int]]] = field(default_factory=dict)
    names: dict[str, dict[str, set[int]]] = field(default_factory=dict)

    def add(self, node: int, kind: str, ident: str, name: str, aliases: Iterable[str]) -> None:
        self.keys.setdefault(f"{kind}:{ident}", node)
        by_alias = self.aliases.setdefault(kind, {})
        for text in (ident, *aliases):
            key = normalise(text)
            if key:
                by_alias.setdefault(key, set()).add(node)
        key = normalise(name)
        if key:
            self.names.setdefault(kind, {}).setdefault(key, set()).add(node)

    def lookup(self, kind: str, texts: Iterable[str], *, below: int | None = None) -> Match | None:
        """The node of `kind` that any of `texts` names, by alias then name; nodes
        numbered `below` or higher are not candidates (a registry never matches its
        own records). Raises Ambiguous."""
        normalised = [n for n in (normalise(t) for t in texts) if n]
        for method, table in (("alias", self.aliases), ("name", self.names)):
            found: set[int] = set()
            by_text = table.get(kind, {})
            for key in normalised:
                found |= by_text.get(key, set())
            if below is not None:
                found = {n for n in found if n < below}
            if len(found) == 1:
                return Match(next(iter(found)), method)  # type: ignore[arg-type]
            if len(found) > 1:
                raise Ambiguous(sorted(found))
        return None

    def resolve(self, ref: str, kinds: Iterable[str]) -> Match | None:
        """A reference (`kind:id`, a bare id, an alias or a name) among `kinds`."""
        kinds = list(kinds)
        if ":" in ref:
            kind, _, ident = ref.partition(":")
            if kind not in kinds:
                return None
            kinds, ref = [kind], ident
        exact = [self.keys[f"{k}:{ref}"] for k in kinds if f"{k}:{ref}" in self.keys]
        if len(exact) == 1:
            return Match(exact[0], "id")
        if len(exact) > 1:
            raise Ambiguous(exact)
        found: list[Match] = []
        for kind in kinds:
            match = self.lookup(kind, [ref])
            if match is not None:
                found.append(match)
        if len(found) > 1:
            raise Ambiguous([m.node for m in found])
        return found[0] if found else None
