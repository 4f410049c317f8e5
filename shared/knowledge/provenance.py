"""Where the graph's facts come from, as answers state it: the registry records that
made or merged into a node, the records an import merged, and an edge's origin (its
registry, or the rule and the edges it was inferred from, recursively)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from shared.api.absent import absent_when_none

MATCHED_BY = "`new` (it made the node), or how it matched one: `id`, `alias` or `name`"
CONFIDENCE = "How sure the match is: 1.0 (new or by id), 0.9 (alias) or 0.8 (name)"


class NodeProvenance(BaseModel):
    registry: str = Field(description="The registry the record is in")
    id: str = Field(description="The record's id in that registry")
    matched_by: str = Field(description=MATCHED_BY)
    confidence: float = Field(description=CONFIDENCE)


class RegistryMatch(BaseModel):
    record: str = Field(description="The imported record's id")
    node: str = Field(description="The node it merged into (a node key, `kind:id`)")
    matched_by: str = Field(description="How it matched: `id`, `alias` or `name`")
    confidence: float = Field(description=CONFIDENCE)


class EdgeProvenance(BaseModel):
    """Up to four levels of `from` are given; deeper origins are left out."""

    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)

    edge: str = Field(description="The edge: `source-key kind target-key`")
    confidence: float = Field(description="How sure the edge is, 0 to 1")
    registry: str | None = Field(
        default=None,
        exclude_if=absent_when_none,
        description="The registry that states it; absent on an edge only a rule made",
    )
    source: str | None = Field(
        default=None,
        exclude_if=absent_when_none,
        description="Where the registry documents it (a URL); absent when it gives none",
    )
    rule: str | None = Field(
        default=None,
        exclude_if=absent_when_none,
        description="The rule that inferred it; absent on a stated edge (or past the depth limit)",
    )
    inferred_from: list[EdgeProvenance] | None = Field(
        default=None,
        alias="from",
        exclude_if=absent_when_none,
        description="The edges the rule inferred it from, each with its own provenance; "
        "absent on a stated edge (or past the depth limit)",
    )


class RegistrySummary(BaseModel):
    name: str = Field(description="The registry's name")
    generation: int = Field(description="The graph generation its latest import made")
    chunks: int = Field(description="How many stored parts its records are kept in")
    counts: dict[str, int] = Field(
        description="Records imported, by kind: technologies, skills, roles, resources, "
        "sectors, releases, edges"
    )
    imported_at: str = Field(description="When it was last imported (ISO 8601, UTC)")
    imported_by: str = Field(description="The id of the user who imported it")
    matches: list[RegistryMatch] = Field(
        description="Its records merged into nodes other registries had (the first 500)"
    )
