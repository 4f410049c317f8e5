"""The records of a registry: typed nodes (technology, skill, role, resource, sector),
release lines with end-of-life dates, and typed edges. One registry is one source
(the curated dataset shipped in the package, or a user's import)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from shared.knowledge.versions import InvalidConstraint, Scheme, validate_version

NodeKind = Literal["technology", "skill", "role", "resource", "sector"]
NODE_KINDS: tuple[NodeKind, ...] = ("technology", "skill", "role", "resource", "sector")
EdgeKind = Literal[
    "requires",
    "conflicts-with",
    "alternative-to",
    "prerequisite-of",
    "teaches",
    "needs-skill",
    "used-in-sector",
]
EDGE_KINDS: tuple[EdgeKind, ...] = (
    "requires",
    "conflicts-with",
    "alternative-to",
    "prerequisite-of",
    "teaches",
    "needs-skill",
    "used-in-sector",
)
# Inferred only: a resource teaching a skill a technology needs is a route to learn it.
LEARNING_ROUTE = "learning-route"
ALL_EDGE_KINDS: tuple[str, ...] = (*EDGE_KINDS, LEARNING_ROUTE)
SYMMETRIC: frozenset[str] = frozenset({"conflicts-with", "alternative-to"})
# Which node kinds each edge kind joins (from, to).
ENDPOINTS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "requires": (frozenset({"technology"}), frozenset({"technology"})),
    "conflicts-with": (frozenset({"technology"}), frozenset({"technology"})),
    "alternative-to": (
        frozenset({"technology", "resource"}),
        frozenset({"technology", "resource"}),
    ),
    "prerequisite-of": (frozenset({"skill"}), frozenset({"skill"})),
    "teaches": (frozenset({"resource"}), frozenset({"skill"})),
    "needs-skill": (frozenset({"role", "technology"}), frozenset({"skill"})),
    "used-in-sector": (frozenset({"technology", "role"}), frozenset({"sector"})),
    LEARNING_ROUTE: (frozenset({"resource"}), frozenset({"technology"})),
}

_ID = re.compile(r"^[a-z0-9][a-z0-9._+-]{0,79}$")
_URL = re.compile(r"^https?://[^\s]+$")
Ident = Annotated[str, Field(min_length=1, max_length=80)]
Text = Annotated[str, Field(min_length=1, max_length=200)]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError(
            "must be 1-80 characters of a-z, 0-9, '.', '_', '+', '-', starting with a letter "
            "or digit"
        )
    return value


def _check_url(value: str) -> str:
    if not _URL.match(value):
        raise ValueError("must be an http(s) URL")
    return value


class Release(Record):
    """One release line of a technology (`3.12`, `20`, `5.2`) and its support window."""

    technology: Ident | None = None  # set in flat lists (CSV); implied when nested
    version: Annotated[str, Field(min_length=1, max_length=40)]
    released: date | None = None
    eol: date | None = None
    lts: bool = False
    source: str

    _url = field_validator("source")(_check_url)

    @model_validator(mode="after")
    def _window(self) -> Release:
        if self.released and self.eol and self.eol < self.released:
            raise ValueError("eol is before released")
        return self


class Technology(Record):
    id: Ident
    name: Text
    category: Ident
    versioning: Scheme = "semver"
    since: int | None = Field(default=None, ge=1950, le=2100)
    aliases: list[Text] = []
    requires: list[str] = []
    alternatives: list[str] = []
    sectors: list[str] = []
    releases: list[Release] = []
    status: Literal["active", "deprecated"] = "active"
    status_source: str | None = None
    source: str

    _id = field_validator("id")(_check_id)
    _url = field_validator("source")(_check_url)

    @field_validator("status_source")
    @classmethod
    def _status_url(cls, value: str | None) -> str | None:
        return None if value is None else _check_url(value)

    @model_validator(mode="after")
    def _versions_parse(self) -> Technology:
        for release in self.releases:
            try:
                validate_version(self.versioning, release.version)
            except InvalidConstraint as exc:
                raise ValueError(f"release {release.version!r}: {exc}") from None
        return self


class Skill(Record):
    id: Ident
    name: Text
    category: Ident
    aliases: list[Text] = []
    prerequisites: list[str] = []
    technologies: list[str] = []  # technologies that need this skill
    source: str

    _id = field_validator("id")(_check_id)
    _url = field_validator("source")(_check_url)


class Role(Record):
    id: Ident
    name: Text
    onet: str | None = Field(default=None, pattern=r"^\d{2}-\d{4}\.\d{2}$")
    aliases: list[Text] = []
    skills: list[str] = []
    sectors: list[str] = []
    source: str

    _id = field_validator("id")(_check_id)
    _url = field_validator("source")(_check_url)


class Resource(Record):
    id: Ident
    name: Text
    provider: Text
    format: Literal[
        "course", "book", "documentation", "tutorial", "video", "certification", "interactive"
    ]
    hours: float = Field(gt=0, le=2000)
    hours_basis: Literal["provider", "estimate"] = "estimate"
    level: Literal["beginner", "intermediate", "advanced"]
    free: bool = True
    teaches: list[str] = Field(min_length=1)
    aliases: list[Text] = []
    url: str

    _id = field_validator("id")(_check_id)
    _url = field_validator("url")(_check_url)


class Sector(Record):
    id: Ident
    name: Text
    aliases: list[Text] = []
    source: str

    _id = field_validator("id")(_check_id)
    _url = field_validator("source")(_check_url)


class Edge(Record):
    """An explicit edge between two nodes named `kind:id` (or a bare id or alias)."""

    kind: EdgeKind
    from_: str = Field(alias="from", min_length=1, max_length=120)
    to: str = Field(min_length=1, max_length=120)
    constraint: str | None = None  # version range on `to` (requires, conflicts-with)
    when: str | None = None  # version range on `from` for which the edge holds
    optional: bool = False  # requires: checked only when `to` is in the stack
    confidence: float = Field(default=1.0, gt=0, le=1)
    source: str | None = None
    note: str | None = Field(default=None, max_length=500)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("source")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return None if value is None else _check_url(value)

    @model_validator(mode="after")
    def _version_edges(self) -> Edge:
        if self.constraint and self.kind not in ("requires", "conflicts-with"):
            raise ValueError(f"a {self.kind} edge carries no version constraint")
        if self.optional and self.kind != "requires":
            raise ValueError("only a requires edge can be optional")
        return self


class Registry(Record):
    """One source of records; `name` namespaces its provenance."""

    name: Ident
    technologies: list[Technology] = []
    skills: list[Skill] = []
    roles: list[Role] = []
    resources: list[Resource] = []
    sectors: list[Sector] = []
    edges: list[Edge] = []

    _id = field_validator("name")(_check_id)

    def counts(self) -> dict[str, int]:
        return {
            "technologies": len(self.technologies),
            "skills": len(self.skills),
            "roles": len(self.roles),
            "resources": len(self.resources),
            "sectors": len(self.sectors),
            "releases": sum(len(t.releases) for t in self.technologies),
            "edges": len(self.edges),
        }
