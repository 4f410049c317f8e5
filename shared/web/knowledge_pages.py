"""The knowledge graph's pages: search, a node with its neighbours, the path between two
nodes, a learning pathway to a role, and a stack's compatibility with its pitfalls (for a
team's skills too). They read the graph as the API's `/v1/graph/...` routes do and keep
their access rules: the lookups (search, a node, its neighbours, a path) are public; the
computed answers (compatibility, pitfalls, pathways) are for signed-in users."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import quote

from pydantic import ValidationError

from shared.errors import NotFound
from shared.knowledge.api import PathQuery
from shared.knowledge.compatibility import compatibility
from shared.knowledge.index import REQUIRES, GraphIndex
from shared.knowledge.lookup import (
    AmbiguousNode,
    find_nodes,
    node_detail,
    node_index,
    path_between,
)
from shared.knowledge.model import ALL_EDGE_KINDS, NODE_KINDS
from shared.knowledge.pathways import UnknownTarget, plan
from shared.knowledge.pitfalls import pitfalls
from shared.knowledge.schemas import (
    CompatibilityRequest,
    Neighbor,
    PathStep,
    PathwaysRequest,
    Pitfall,
    PitfallsRequest,
    StackItem,
)
from shared.knowledge.stack import StackProblems
from shared.knowledge.traverse import neighbors
from shared.ports.stack_advice import TeamMember
from shared.web.account_pages import sign_in_first
from shared.web.render import render_page
from shared.web.report_pages import not_found
from shared.web.spec import Page, PageReply, PageRequest

SEARCH_LIMIT = 20
SEARCH_MORE = 100  # the API's most per request
NEIGHBOURS_SHOWN = 40
NEIGHBOURS_MOST = 1000  # the API's most per request
PAIRS_SCORED = 6  # a technology's requirements scored with it, on its page
EXAMPLE_SEARCHES = ("django", "data analyst", "kubernetes", "pandas")
EXAMPLE_TARGET = "Backend developer"
EXAMPLE_HAVE = "python, git"
EXAMPLE_STACK = "django 5.2\npython 3.12\npostgresql 16"
_VERSION = re.compile(r"^v?(\d[0-9A-Za-z.*+-]*)$")

# The relations of a node's page, in this order: (edge kind, direction) -> heading.
RELATIONS: dict[tuple[str, str], str] = {
    ("needs-skill", "out"): "Skills it needs",
    ("requires", "out"): "Requires",
    ("prerequisite-of", "in"): "Prerequisites",
    ("teaches", "out"): "Teaches",
    ("teaches", "in"): "Learn it from",
    ("learning-route", "in"): "Resources that lead to it",
    ("learning-route", "out"): "Leads to these technologies",
    ("prerequisite-of", "out"): "Leads on to",
    ("needs-skill", "in"): "Needed by",
    ("requires", "in"): "Required by",
    ("alternative-to", "out"): "Alternatives",
    ("alternative-to", "in"): "Alternatives",
    ("conflicts-with", "out"): "Conflicts with",
    ("conflicts-with", "in"): "Conflicts with",
    ("used-in-sector", "out"): "Used in sectors",
    ("used-in-sector", "in"): "Used by",
}


def _today(req: PageRequest) -> date:
    """The day support and end-of-life are judged as of (as the API's routes judge it)."""
    return req.features.knowledge.clock.now().date()


def _graph(req: PageRequest) -> GraphIndex:
    return req.features.knowledge.current()


def _common(req: PageRequest) -> dict[str, Any]:
    return {"user": req.principal, "csrf_token": req.csrf_token}


def node_href(key: str) -> str:
    return "/knowledge/nodes/" + key


# -- search ------------------------------------------------------------------------------
def knowledge_search(req: PageRequest) -> PageReply:
    """`GET /v1/graph/nodes` as a page: search by name, id or alias, of one kind or any."""
    graph = _graph(req)
    q = req.query.get("q", "").strip()
    kind = req.query.get("kind", "").strip()
    errors: dict[str, str] = {}
    if len(q) > 120:
        errors["q"] = "at most 120 characters"
    if kind and kind not in NODE_KINDS:
        errors["kind"] = f"choose one of {', '.join(NODE_KINDS)}"
    limit = SEARCH_MORE if req.query.get("more") == "1" else SEARCH_LIMIT
    found = None
    similar: list[dict[str, str]] = []
    if (q or kind) and not errors:
        chosen = next((k for k in NODE_KINDS if k == kind), None)
        found = find_nodes(graph, q, chosen, limit)
        if q and not found.items:
            accept = None if chosen is None else graph.kind == NODE_KINDS.index(chosen)
            similar = [graph.nodes[n].summary() for n in graph.search.similar(q, 5, accept)]
    stats = graph.stats()
    html = render_page(
        "knowledge_search.html.j2",
        title="Knowledge graph",
        q=q,
        kind=kind,
        kinds=NODE_KINDS,
        errors=errors,
        found=found,
        more=found is not None and found.truncated and limit < SEARCH_MORE,
        similar=similar,
        examples=EXAMPLE_SEARCHES,
        nodes=stats.nodes,
        edge_count=sum(stats.edges.values()),
        **_common(req),
    )
    return PageReply(html, status=400 if errors else 200)


# -- a node ------------------------------------------------------------------------------
@dataclass
class Group:
    heading: str
    items: list[Neighbor] = field(default_factory=list)


def _groups(items: Sequence[Neighbor]) -> list[Group]:
    by_heading: dict[str, Group] = {}
    for relation, heading in RELATIONS.items():
        by_heading.setdefault(heading, Group(heading))
        for item in items:
            if (item.edge, item.direction) == relation:
                by_heading[heading].items.append(item)
    return [g for g in by_heading.values() if g.items]


def knowledge_node(req: PageRequest) -> PageReply:
    """`GET /v1/graph/nodes/{id}` and its neighbours as a page; signed in, a technology's
    pitfalls and its compatibility with what it requires (the POST queries, for users)."""
    raw = req.path_params["node_id"]
    graph = _graph(req)
    try:
        index = node_index(graph, raw)
    except AmbiguousNode:
        return PageReply(redirect="/knowledge?q=" + _quote(raw))
    except NotFound:
        return not_found(req, f"The knowledge graph has no node {raw[:120]!r}.")
    detail = node_detail(graph, index)
    try:
        limit = min(max(int(req.query.get("limit", NEIGHBOURS_SHOWN)), 1), NEIGHBOURS_MOST)
    except ValueError:
        limit = NEIGHBOURS_SHOWN
    near = neighbors(graph, index, limit=limit)
    info = graph.nodes[index]
    pairs: list[dict[str, Any]] = []
    findings: list[Pitfall] = []
    requirements = _requirements(graph, index)
    if req.principal is not None and info.kind == "technology":
        today = _today(req)
        for other in requirements[:PAIRS_SCORED]:
            stack = [StackItem(id=info.key), StackItem(id=other)]
            try:
                report = compatibility(graph, stack, today)
            except StackProblems:  # cannot happen with two distinct keys; skip, not fail
                continue
            pairs.append(
                {
                    "with": graph.nodes[node_index(graph, other)].summary(),
                    "score": report.score,
                    "summary": ", ".join(
                        f"{p.name.replace('_', ' ')} {p.points:g} of {p.weight}"
                        for p in report.parts
                        if p.score < 1
                    )
                    or "nothing",
                    "href": _stack_href([info.key, other]),
                }
            )
        findings = _without_team(pitfalls(graph, [StackItem(id=info.key)], [], today).findings)
    html = render_page(
        "knowledge_node.html.j2",
        title=detail.name,
        node=detail,
        groups=_groups(near.neighbors),
        total=near.total,
        shown=len(near.neighbors),
        more_href=(
            f"{node_href(detail.id)}?limit={min(near.total, NEIGHBOURS_MOST)}"
            if near.truncated and limit < NEIGHBOURS_MOST
            else None
        ),
        attributes=_attributes(detail.attributes),
        pairs=pairs,
        findings=findings,
        stack_href=_stack_href([info.key, *requirements[:PAIRS_SCORED]]),
        path_href="/knowledge/path?from=" + _quote(detail.id),
        pathway_href=(
            "/knowledge/pathway?target=" + _quote(detail.id)
            if info.kind in ("role", "skill", "technology")
            else None
        ),
        today=_today(req),
        node_href=node_href,
        **_common(req),
    )
    return PageReply(html)


def _requirements(graph: GraphIndex, index: int) -> list[str]:
    """The technologies a technology states it requires (not optional), in data order."""
    keys: list[str] = []
    for e in graph.out_edges(index, REQUIRES).tolist():
        view = graph.edge(e)
        key = graph.nodes[view.target].key
        if not view.inferred and not (view.attr and view.attr.optional) and key not in keys:
            keys.append(key)
    return keys


def _attributes(attrs: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(label, value, is a link) for the attributes worth reading, in a fixed order."""
    shown = (
        ("category", "Category"),
        ("since", "Public since"),
        ("status", "Status"),
        ("versioning", "Versioning"),
        ("provider", "Provider"),
        ("format", "Format"),
        ("level", "Level"),
        ("hours", "Hours"),
        ("free", "Free"),
        ("onet", "O*NET code"),
        ("url", "Address"),
        ("source", "Source"),
    )
    rows = []
    for key, label in shown:
        if key in attrs and attrs[key] not in (None, ""):
            value = attrs[key]
            text = ("yes" if value else "no") if isinstance(value, bool) else str(value)
            rows.append((label, text, key in ("url", "source") and text.startswith("http")))
    return rows


def _without_team(findings: Sequence[Pitfall]) -> list[Pitfall]:
    """The pages send no team, so the "no team given" finding says nothing to a reader."""
    return [f for f in findings if f.kind != "skill-gap"]


def _quote(text: str) -> str:
    return quote(text, safe=":,")


def _stack_href(keys: Sequence[str]) -> str:
    return "/knowledge/compatibility?stack=" + _quote(",".join(keys))


# -- a path between two nodes ---------------------------------------------------------
# How each edge reads along a path: (followed forward, followed backward).
STEP_WORDS: dict[str, tuple[str, str]] = {
    "requires": ("requires", "is required by"),
    "conflicts-with": ("conflicts with", "conflicts with"),
    "alternative-to": ("is an alternative to", "is an alternative to"),
    "prerequisite-of": ("is a prerequisite of", "builds on"),
    "teaches": ("teaches", "is taught by"),
    "needs-skill": ("needs the skill", "is a skill needed by"),
    "used-in-sector": ("is used in", "uses"),
    "learning-route": ("is a route to learn", "can be learned through"),
}


def step_words(step: PathStep) -> str:
    forward, backward = STEP_WORDS.get(step.edge, (step.edge, f"{step.edge} (reversed)"))
    words = forward if step.traversed == "forward" else backward
    return words + (" (inferred)" if step.inferred else "")


def knowledge_path(req: PageRequest) -> PageReply:
    """`GET /v1/graph/path` as a page: two nodes in, the shortest path between them out,
    node by node with the relation that joins each to the next."""
    graph = _graph(req)
    given = {k: req.query.get(k, "").strip() for k in ("from", "to", "kind")}
    directed = req.query.get("directed") in ("1", "on", "true")
    values: dict[str, Any] = {
        "title": "Path between two nodes",
        "values": given,
        "directed": directed,
        "kinds": ALL_EDGE_KINDS,
        "errors": {},
        "path": None,
        "steps": [],
        "no_path": None,
        "node_href": node_href,
        **_common(req),
    }
    if "from" not in req.query or "to" not in req.query:  # the form, maybe one end filled
        return PageReply(render_page("knowledge_path.html.j2", **values))
    errors: dict[str, str] = {}
    for end in ("from", "to"):
        if not given[end]:
            errors[end] = "name a node: an id, alias or name"
    if not errors:
        try:
            query = PathQuery.model_validate(
                {"from": given["from"], "to": given["to"], "kind": given["kind"] or None}
            )
        except ValidationError as exc:
            errors = _field_errors(exc, {})
    if errors:
        values["errors"] = errors
        return PageReply(render_page("knowledge_path.html.j2", **values), status=400)
    ask = query.model_dump()
    kinds = [k for k in (ask["kind"] or "").split(",") if k]
    try:
        found = path_between(graph, ask["from"], ask["to"], kinds=kinds, directed=directed)
    except AmbiguousNode as exc:
        values["errors"] = {exc.field or "from": f"{exc}."}
        return PageReply(render_page("knowledge_path.html.j2", **values), status=400)
    except NotFound as exc:
        if exc.what == "node":
            text = given[exc.field or "from"]
            values["errors"] = {exc.field or "from": _did_you_mean(graph, text)}
            return PageReply(render_page("knowledge_path.html.j2", **values), status=400)
        values["no_path"] = f"No path: {exc.detail}."
        return PageReply(render_page("knowledge_path.html.j2", **values), status=404)
    values.update(
        path=found,
        steps=[(step_words(step), step) for step in found.steps],
        title=f"Path from {found.source.name} to {found.target.name}",
    )
    return PageReply(render_page("knowledge_path.html.j2", **values))


def _did_you_mean(graph: GraphIndex, text: str) -> str:
    names = [graph.nodes[n].name for n in graph.search.similar(text, 3)]
    message = f"The knowledge graph has no node {text[:120]!r}"
    return f"{message}; did you mean {' or '.join(names)}?" if names else f"{message}."


# -- pathway -----------------------------------------------------------------------------
def _field_errors(exc: ValidationError, names: dict[str, str]) -> dict[str, str]:
    """Pydantic's errors by the form field they belong to (`names`: model field -> form
    field)."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        where = str(error["loc"][0]) if error["loc"] else ""
        errors.setdefault(names.get(where, where), error["msg"])
    return errors


def _entries(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,\n;]", text) if part.strip()]


def knowledge_pathway(req: PageRequest) -> PageReply:
    """`POST /v1/graph/pathways` as a form: the target and the skills held in, the plan's
    ordered steps with their resources and hours out."""
    target = req.query.get("target", "")[:120]
    if req.principal is None:
        back = "/knowledge/pathway" + (f"?target={_quote(target)}" if target else "")
        return sign_in_first(req, back, "learning pathways")
    graph = _graph(req)
    values: dict[str, Any] = {
        "title": "Pathway to a role",
        "target": target or EXAMPLE_TARGET,
        "have": req.query.get("have", EXAMPLE_HAVE)[:2000],
        "errors": {},
        "pathway": None,
        "roles": sorted(graph.nodes[int(i)].name for i in graph.by_kind["role"]),
        "node_href": node_href,
        **_common(req),
    }
    if req.method == "GET":
        return PageReply(render_page("knowledge_pathway.html.j2", **values))
    values.update(target=req.field("target"), have=req.field("have"))
    if not values["target"]:
        values["errors"] = {"target": "name a role, skill or technology"}
        return PageReply(render_page("knowledge_pathway.html.j2", **values), status=400)
    try:
        body = PathwaysRequest(have=_entries(values["have"]), target=values["target"])
    except ValidationError as exc:
        values["errors"] = _field_errors(exc, {})
        return PageReply(render_page("knowledge_pathway.html.j2", **values), status=400)
    try:
        found = plan(graph, body.have, body.target)
    except UnknownTarget as exc:
        values["errors"] = {"target": _suggest(graph, str(exc), body.target, "role")}
        return PageReply(render_page("knowledge_pathway.html.j2", **values), status=400)
    values.update(pathway=found, title=f"Pathway to {found.target.name}")
    return PageReply(render_page("knowledge_pathway.html.j2", **values))


def _suggest(graph: GraphIndex, message: str, text: str, kind: str) -> str:
    accept = graph.kind == NODE_KINDS.index(kind)
    close = graph.search.find(text, 3, accept)[0] or graph.search.similar(text, 3, accept)
    names = [graph.nodes[n].name for n in close]
    return f"{message}; did you mean {' or '.join(names)}?" if names else message


# -- compatibility -----------------------------------------------------------------------
def parse_stack(text: str) -> tuple[list[str], list[StackItem], dict[str, str]]:
    """One technology per line (or comma), a version after it if wanted: `python 3.12`,
    `python@3.12`. The entries as typed, the items, and an error for the stack field."""
    entries = _entries(text)
    if not entries:
        return entries, [], {"stack": "name at least one technology"}
    items: list[StackItem] = []
    problems: list[str] = []
    for number, entry in enumerate(entries, start=1):
        name, version = entry, None
        if "@" in entry:
            name, _, version = entry.partition("@")
        else:
            words = entry.split()
            if len(words) > 1 and _VERSION.match(words[-1]):
                name, version = " ".join(words[:-1]), words[-1]
        if version is not None:
            version = _VERSION.sub(r"\1", version.strip())
        try:
            items.append(StackItem(id=name.strip(), version=version or None))
        except ValidationError as exc:
            problems.append(f"line {number} ({entry[:40]}): {exc.errors()[0]['msg']}")
    try:
        CompatibilityRequest(stack=items)
    except ValidationError as exc:
        problems.append(str(exc.errors()[0]["msg"]))
    return entries, items, {"stack": "; ".join(problems)} if problems else {}


def parse_team(text: str) -> tuple[list[TeamMember], dict[str, str]]:
    """One member a line, their skills after a colon: `Ada: python, sql`; a line without
    a colon is a member with those skills. The members, and an error for the team field,
    checked by the API's own model (`PitfallsRequest.team`)."""
    members: list[dict[str, Any]] = []
    for line in (raw.strip() for raw in text.splitlines()):
        if not line:
            continue
        name, colon, skills = line.partition(":")
        if not colon:
            name, skills = "", line
        members.append({"name": name.strip() or None, "skills": _entries(skills)})
    try:
        request = PitfallsRequest(stack=[StackItem(id="x")], team=members)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = error["loc"]
            where = f"line {int(loc[1]) + 1}: " if len(loc) > 1 and isinstance(loc[1], int) else ""
            problems.append(f"{where}{error['msg']}")
        return [], {"team": "; ".join(problems[:5])}
    return list(request.team), {}


def knowledge_compatibility(req: PageRequest) -> PageReply:
    """`POST /v1/graph/compatibility` and `POST /v1/graph/pitfalls` as one form: the
    score, its parts, every requirement between the items (per pair) and the pitfalls,
    skill gaps included when the team's skills are given."""
    given = req.query.get("stack", "")[:2000]
    if req.principal is None:
        back = "/knowledge/compatibility" + (f"?stack={_quote(given)}" if given else "")
        return sign_in_first(req, back, "stack compatibility")
    graph = _graph(req)
    values: dict[str, Any] = {
        "title": "Stack compatibility",
        "stack": "\n".join(_entries(given)) if given else EXAMPLE_STACK,
        "team": "",
        "unrecognised": [],
        "with_team": False,
        "errors": {},
        "report": None,
        "findings": [],
        "node_href": node_href,
        **_common(req),
    }
    if req.method == "GET":
        return PageReply(render_page("knowledge_compatibility.html.j2", **values))
    text = req.form.get("stack", "")[:20_000]
    team_text = req.form.get("team", "")[:50_000]
    values.update(stack=text.strip(), team=team_text.strip())
    entries, items, errors = parse_stack(text)
    team, team_errors = parse_team(team_text)
    errors.update(team_errors)
    if errors:
        values["errors"] = errors
        return PageReply(render_page("knowledge_compatibility.html.j2", **values), status=400)
    today = _today(req)
    try:
        report = compatibility(graph, items, today)
        found = pitfalls(graph, items, team, today)
    except StackProblems as exc:
        lines = [f"line {i + 1} ({entries[i][:40]}): {message}" for i, _, message in exc.problems]
        values["errors"] = {"stack": "; ".join(lines)}
        return PageReply(render_page("knowledge_compatibility.html.j2", **values), status=400)
    values.update(
        report=report,
        findings=found.findings if team else _without_team(found.findings),
        with_team=bool(team),
        unrecognised=found.unrecognised_skills,
    )
    return PageReply(render_page("knowledge_compatibility.html.j2", **values))


PAGES = [
    Page("/knowledge", knowledge_search),
    Page("/knowledge/nodes/{node_id}", knowledge_node),
    Page("/knowledge/path", knowledge_path),
    Page("/knowledge/pathway", knowledge_pathway, ("GET", "POST")),
    Page("/knowledge/compatibility", knowledge_compatibility, ("GET", "POST")),
]
