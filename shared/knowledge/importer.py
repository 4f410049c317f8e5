"""Reading a registry from JSON or CSV, with errors that name the row and the field.

JSON: an object with lists `technologies` (each may nest `releases`), `releases` (flat,
each naming its `technology`), `skills`, `roles`, `resources`, `sectors`, `edges`.
CSV: one file per list with the same names (`technologies.csv`, ...); a header row of
field names; list fields separated by `;`; row numbers count the header as row 1, as a
spreadsheet shows them. The curated dataset is itself read through this importer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from shared.csv_input import UnreadableCsv, read_table
from shared.knowledge.model import (
    Edge,
    Registry,
    Release,
    Resource,
    Role,
    Sector,
    Skill,
    Technology,
)

SECTIONS: dict[str, type[BaseModel]] = {
    "technologies": Technology,
    "releases": Release,
    "skills": Skill,
    "roles": Role,
    "resources": Resource,
    "sectors": Sector,
    "edges": Edge,
}
LIST_FIELDS = {
    "aliases",
    "requires",
    "alternatives",
    "sectors",
    "prerequisites",
    "technologies",
    "skills",
    "teaches",
}
MAX_RECORDS = 200_000


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an import: where (`skills.csv row 7`, `skills[5]`), which
    field, and what."""

    where: str
    field: str
    message: str

    @property
    def path(self) -> str:
        return f"{self.where}.{self.field}" if self.field else self.where

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class ImportRejected(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "; ".join(str(p) for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"{len(problems)} problem(s): {shown}{more}")


@dataclass
class ParsedRegistry:
    """A validated registry and where each record came from (for later errors)."""

    registry: Registry
    releases: list[Release] = field(default_factory=list)  # flat, attached at merge
    where: dict[tuple[str, int], str] = field(default_factory=dict)


def _problems_from(exc: ValidationError, where: str) -> list[Problem]:
    found = []
    for err in exc.errors(include_url=False):
        loc = [str(p) for p in err["loc"]]
        found.append(Problem(where, ".".join(loc), err["msg"]))
    return found


def _validate_rows(
    section: str, rows: list[tuple[str, dict[str, Any]]], problems: list[Problem]
) -> list[tuple[str, Any]]:
    model = SECTIONS[section]
    valid = []
    for where, row in rows:
        try:
            valid.append((where, model.model_validate(row)))
        except ValidationError as exc:
            problems.extend(_problems_from(exc, where))
    return valid


def _assemble(
    name: str, sections: Mapping[str, list[tuple[str, Any]]], problems: list[Problem]
) -> ParsedRegistry:
    where: dict[tuple[str, int], str] = {}
    lists: dict[str, list[Any]] = {}
    for section in ("technologies", "skills", "roles", "resources", "sectors", "edges"):
        seen: dict[str, str] = {}
        kept: list[Any] = []
        for location, record in sections.get(section, []):
            ident = getattr(record, "id", None)
            if ident is not None:
                if ident in seen:
                    problems.append(
                        Problem(location, "id", f"duplicate id {ident!r} (first at {seen[ident]})")
                    )
                    continue
                seen[ident] = location
            where[(section, len(kept))] = location
            kept.append(record)
        lists[section] = kept
    # Attach flat releases to a technology of this registry; keep the others for merge.
    by_id = {t.id: i for i, t in enumerate(lists["technologies"])}
    nested: dict[int, list[Release]] = {}
    loose: list[Release] = []
    for location, release in sections.get("releases", []):
        if release.technology is None:
            problems.append(
                Problem(location, "technology", "a flat release must name its technology")
            )
        elif release.technology in by_id:
            nested.setdefault(by_id[release.technology], []).append(release)
        else:
            where[("releases", len(loose))] = location
            loose.append(release)
    technologies = []
    for i, tech in enumerate(lists["technologies"]):
        extra = nested.get(i, [])
        if extra:
            tech = _with_releases(tech, extra, where[("technologies", i)], problems)
        technologies.append(tech)
    for i, tech in enumerate(technologies):
        versions = [r.version for r in tech.releases]
        for version in {v for v in versions if versions.count(v) > 1}:
            problems.append(
                Problem(where[("technologies", i)], "releases", f"release {version!r} listed twice")
            )
    try:
        registry = Registry(
            name=name,
            technologies=technologies,
            skills=lists["skills"],
            roles=lists["roles"],
            resources=lists["resources"],
            sectors=lists["sectors"],
            edges=lists["edges"],
        )
    except ValidationError as exc:
        problems.extend(_problems_from(exc, "registry"))
        registry = Registry(name="invalid")
    return ParsedRegistry(registry=registry, releases=loose, where=where)


def _with_releases(
    tech: Technology, extra: list[Release], where: str, problems: list[Problem]
) -> Technology:
    data = tech.model_dump()
    data["releases"] = [*data["releases"], *(r.model_dump() for r in extra)]
    try:
        return Technology.model_validate(data)
    except ValidationError as exc:
        problems.extend(_problems_from(exc, where))
        return tech


def parse_json(name: str, document: Any) -> ParsedRegistry:
    """Validate a registry given as a JSON object; raises ImportRejected."""
    problems: list[Problem] = []
    if not isinstance(document, dict):
        raise ImportRejected([Problem("content", "", "must be a JSON object")])
    unknown = sorted(set(document) - set(SECTIONS))
    problems.extend(Problem("content", key, "unknown section") for key in unknown)
    sections: dict[str, list[tuple[str, Any]]] = {}
    total = 0
    for section in SECTIONS:
        items = document.get(section, [])
        if not isinstance(items, list):
            problems.append(Problem("content", section, "must be a list"))
            continue
        total += len(items)
        rows = [(f"{section}[{i}]", item) for i, item in enumerate(items)]
        sections[section] = _validate_rows(section, rows, problems)
    if total > MAX_RECORDS:
        problems.append(Problem("content", "", f"more than {MAX_RECORDS} records"))
    parsed = _assemble(name, sections, problems)
    if problems:
        raise ImportRejected(problems)
    return parsed


def _csv_value(column: str, raw: str) -> Any:
    text = raw.strip()
    if column in LIST_FIELDS:
        return [part.strip() for part in text.split(";") if part.strip()]
    if column in ("lts", "free", "optional"):
        lowered = text.lower()
        if lowered in ("true", "yes", "1"):
            return True
        if lowered in ("false", "no", "0"):
            return False
    return text


def parse_import(
    name: str, fmt: str, content: Any | None, files: Mapping[str, str] | None
) -> ParsedRegistry:
    """Validate an import as `POST /v1/admin/graph/imports` and the console take it: a
    JSON `content` for format json, CSV `files` (name -> text) for format csv; raises
    ImportRejected."""
    if fmt == "json":
        if content is None:
            raise ImportRejected([Problem("content", "", "required for format json")])
        return parse_json(name, content)
    if not files:
        raise ImportRejected([Problem("files", "", "required for format csv")])
    return parse_csv(name, files)


def parse_csv(name: str, files: Mapping[str, str]) -> ParsedRegistry:
    """Validate a registry given as CSV texts keyed by section (`skills` or
    `skills.csv`); raises ImportRejected."""
    problems: list[Problem] = []
    sections: dict[str, list[tuple[str, Any]]] = {}
    total = 0
    for filename, text in files.items():
        section = filename.removesuffix(".csv")
        label = f"{section}.csv"
        if section not in SECTIONS:
            problems.append(
                Problem(label, "", f"unknown file; expected one of {', '.join(SECTIONS)}")
            )
            continue
        try:
            table = read_table(text)
        except UnreadableCsv as exc:
            problems.extend(
                Problem(f"{label} row {p.row}", p.column, p.message) for p in exc.problems
            )
            continue
        header = table.header
        model = SECTIONS[section]
        allowed = {f.alias or n for n, f in model.model_fields.items()}
        bad = [h for h in header if h not in allowed]
        for column in bad:
            problems.append(Problem(f"{label} row 1", column, "unknown column"))
        if bad:
            continue
        rows: list[tuple[str, dict[str, Any]]] = []
        for line, cells in table.rows:
            row = {
                column: _csv_value(column, cell)
                for column, cell in zip(header, cells, strict=True)
                if cell.strip()
            }
            rows.append((f"{label} row {line}", row))
        total += len(rows)
        sections[section] = _validate_rows(section, rows, problems)
    if total > MAX_RECORDS:
        problems.append(Problem("content", "", f"more than {MAX_RECORDS} records"))
    parsed = _assemble(name, sections, problems)
    if problems:
        raise ImportRejected(problems)
    return parsed
