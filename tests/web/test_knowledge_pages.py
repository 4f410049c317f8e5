"""The knowledge graph's pages without a browser: each answers what the API's route
answers (the same code), keeps the API's access rules (lookups public, computed answers
for signed-in users) and puts every bad input beside its field."""

from __future__ import annotations

from shared.api.spec import Principal
from shared.ports.stack_advice import TeamMember
from shared.runtime.local import LocalRuntime
from shared.web.knowledge_pages import (
    knowledge_compatibility,
    knowledge_node,
    knowledge_path,
    knowledge_pathway,
    knowledge_search,
    parse_stack,
    parse_team,
)
from shared.web.spec import Method, PageRequest


def _request(
    runtime: LocalRuntime,
    user: str | None = None,
    *,
    method: Method = "GET",
    path: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
) -> PageRequest:
    return PageRequest(
        features=runtime.features,
        method=method,
        path_params=path or {},
        query=query or {},
        form=form or {},
        csrf_token="t",
        principal=None if user is None else Principal(user, verified=True),
    )


def test_search_is_public_and_says_what_each_hit_is(app_runtime: LocalRuntime) -> None:
    page = knowledge_search(_request(app_runtime, query={"q": "kube", "kind": "technology"}))
    assert page.status == 200
    assert '<a href="/knowledge/nodes/technology:kubernetes">Kubernetes</a>' in page.html
    assert "Orchestration, since 2014 · from curated" in page.html
    assert "skill:kubernetes" not in page.html  # only the kind asked for
    intro = knowledge_search(_request(app_runtime))
    assert intro.status == 200 and 'href="/knowledge?q=django"' in intro.html
    listing = knowledge_search(_request(app_runtime, query={"kind": "role"}))
    assert "Backend developer" in listing.html and "Show more results" in listing.html
    nothing = knowledge_search(_request(app_runtime, query={"q": "kubernets"}))
    assert "Nothing matches" in nothing.html and "Did you mean" in nothing.html
    bad = knowledge_search(_request(app_runtime, query={"q": "x" * 121, "kind": "planet"}))
    assert bad.status == 400
    assert 'id="q-error">at most 120 characters' in bad.html
    assert 'id="kind-error">choose one of' in bad.html


def test_a_node_shows_its_registry_and_neighbours_by_relation(app_runtime: LocalRuntime) -> None:
    page = knowledge_node(_request(app_runtime, path={"node_id": "technology:django"}))
    assert page.status == 200
    assert "<h1>Django</h1>" in page.html
    assert "<dt>Registry</dt><dd>curated (record django)" in page.html
    assert "<h3>Requires</h3>" in page.html and "/knowledge/nodes/technology:python" in page.html
    assert "version &gt;=3.6,&lt;3.11 (for Django ==3.2.*)" in page.html
    # signed out: the scores and pitfalls (POST queries, for users) are a sign-in away
    assert "to see its compatibility scores and pitfalls" in page.html
    assert "Score" not in page.html
    signed_in = knowledge_node(
        _request(app_runtime, "ada", path={"node_id": "technology:django"})
    ).html
    assert "Django with each technology it requires" in signed_in
    assert "Pitfalls of Django on its own" in signed_in and "missing-prerequisite" not in (
        signed_in
    )
    assert "Python is not in the stack" in signed_in
    assert 'href="/knowledge/compatibility?stack=technology:django,technology:python"' in (
        signed_in
    )
    role = knowledge_node(_request(app_runtime, path={"node_id": "role:data-analyst"})).html
    assert 'href="/knowledge/pathway?target=role:data-analyst"' in role
    assert "<h3>Skills it needs</h3>" in role


def test_a_busy_node_shows_some_neighbours_and_a_link_to_all(app_runtime: LocalRuntime) -> None:
    page = knowledge_node(_request(app_runtime, path={"node_id": "resource:the-odin-project"}))
    assert "40 of 107 shown" in page.html
    assert 'href="/knowledge/nodes/resource:the-odin-project?limit=107"' in page.html
    every = knowledge_node(
        _request(app_runtime, path={"node_id": "resource:the-odin-project"}, query={"limit": "107"})
    )
    assert "107 of 107 shown" in every.html and "Show all" not in every.html


def test_unknown_and_ambiguous_nodes(app_runtime: LocalRuntime) -> None:
    missing = knowledge_node(_request(app_runtime, path={"node_id": "technology:nope"}))
    assert missing.status == 404
    ambiguous = knowledge_node(_request(app_runtime, path={"node_id": "postgres"}))
    assert ambiguous.redirect == "/knowledge?q=postgres"


def test_a_pathway_lists_ordered_steps_with_resources(app_runtime: LocalRuntime) -> None:
    signed_out = knowledge_pathway(_request(app_runtime))
    assert "Sign in to see learning pathways." in signed_out.html
    form = knowledge_pathway(_request(app_runtime, "ada", query={"target": "role:data-analyst"}))
    assert 'value="role:data-analyst"' in form.html and 'value="python, git"' in form.html
    page = knowledge_pathway(
        _request(
            app_runtime,
            "ada",
            method="POST",
            form={"target": "Data analyst", "have": "python, git, klingon"},
        )
    )
    assert page.status == 200
    assert "<h1>Pathway to Data analyst</h1>" in page.html
    assert "The plan: 10 steps, 98 hours" in page.html
    html = page.html
    assert (
        html.index("Step 1: ")
        < html.index("Probability and statistics")
        < (html.index("Data analysis</a>"))
    )
    assert "Not known to the graph, so left out: klingon." in html
    unknown = knowledge_pathway(
        _request(app_runtime, "ada", method="POST", form={"target": "data analysts", "have": ""})
    )
    assert unknown.status == 400 and 'id="target-error">no role' in unknown.html
    assert "did you mean Data analyst" in unknown.html
    empty = knowledge_pathway(_request(app_runtime, "ada", method="POST", form={"target": ""}))
    assert empty.status == 400 and 'id="target-error"' in empty.html


def test_compatibility_scores_a_stack_with_its_pitfalls(app_runtime: LocalRuntime) -> None:
    signed_out = knowledge_compatibility(_request(app_runtime))
    assert "Sign in to see stack compatibility." in signed_out.html
    form = knowledge_compatibility(_request(app_runtime, "ada"))
    assert "django 5.2\npython 3.12\npostgresql 16</textarea>" in form.html
    page = knowledge_compatibility(
        _request(app_runtime, "ada", method="POST", form={"stack": "django 3.2\npython@3.12"})
    )
    assert page.status == 200, page.html
    assert "Score: " in page.html
    assert "&gt;=3.6,&lt;3.11</td><td>violated" in page.html
    assert "Django 3.2 support ended on 2024-04-01" in page.html
    assert "No team given" not in page.html
    wrong = knowledge_compatibility(
        _request(app_runtime, "ada", method="POST", form={"stack": "django\npythn 3.12"})
    )
    assert wrong.status == 400
    assert "line 2 (pythn 3.12): no technology &#39;pythn&#39;" in wrong.html
    empty = knowledge_compatibility(_request(app_runtime, "ada", method="POST", form={"stack": ""}))
    assert empty.status == 400 and 'id="stack-error">name at least one technology' in empty.html


def test_a_stack_is_written_one_technology_a_line() -> None:
    entries, items, errors = parse_stack("Node.js 20, python@v3.12\nApache Kafka\n\nreact 18.2")
    assert errors == {} and entries[2] == "Apache Kafka"
    assert [(i.id, i.version) for i in items] == [
        ("Node.js", "20"),
        ("python", "3.12"),
        ("Apache Kafka", None),
        ("react", "18.2"),
    ]
    _, _, too_many = parse_stack(",".join(f"t{i}" for i in range(101)))
    assert "at most 100" in too_many["stack"]


def test_a_path_between_two_nodes_is_public_with_errors_beside_the_ends(
    app_runtime: LocalRuntime,
) -> None:
    """`GET /v1/graph/path` as a page: the nodes in order with the relation between each,
    linked; an end that names no node or several is refused beside its field."""
    page = knowledge_path(
        _request(
            app_runtime,
            query={"from": "skill:html", "to": "skill:react", "kind": "prerequisite-of"},
        )
    )
    assert page.status == 200
    html = page.html
    first, second, third = (
        html.index('href="/knowledge/nodes/skill:html"'),
        html.index('href="/knowledge/nodes/skill:javascript"'),
        html.index('href="/knowledge/nodes/skill:react"'),
    )
    assert first < second < third and "2 steps" in html
    assert "is a prerequisite of" in html
    directed = {"from": "skill:react", "to": "skill:html", "kind": "prerequisite-of"}
    assert "builds on" in knowledge_path(_request(app_runtime, query=directed)).html
    none = knowledge_path(_request(app_runtime, query={**directed, "directed": "1"}))
    assert none.status == 404 and "No path" in none.html
    ends = knowledge_path(
        _request(app_runtime, query={"from": "technology:nope", "to": "postgres"})
    )
    assert ends.status == 400 and 'id="from-error">The knowledge graph has no node' in ends.html
    ambiguous = knowledge_path(
        _request(app_runtime, query={"from": "skill:html", "to": "postgres"})
    )
    assert ambiguous.status == 400 and 'id="to-error">' in ambiguous.html
    assert "skill:postgresql" in ambiguous.html
    empty = knowledge_path(_request(app_runtime, query={"from": "skill:html", "to": ""}))
    assert empty.status == 400 and 'id="to-error">name a node' in empty.html
    # the form alone, an end filled from a node page's "find a path from here"
    start = knowledge_path(_request(app_runtime, query={"from": "technology:django"}))
    assert start.status == 200 and 'value="technology:django"' in start.html
    node = knowledge_node(_request(app_runtime, path={"node_id": "technology:django"}))
    assert 'href="/knowledge/path?from=technology:django"' in node.html
    assert 'href="/knowledge/path"' in knowledge_search(_request(app_runtime)).html


def test_a_teams_skills_bring_the_skill_gaps_into_the_pitfalls(app_runtime: LocalRuntime) -> None:
    """`POST /v1/graph/pitfalls` with a team: the form's optional team field, each line a
    member; the pitfalls then include the team's (skill gaps, one-person teams)."""
    form = knowledge_compatibility(_request(app_runtime, "ada"))
    assert '<label for="team">Your team\'s skills (optional)</label>' in form.html
    stack = "django 5.2\npython 3.12\npostgresql 16"
    alone = knowledge_compatibility(
        _request(app_runtime, "ada", method="POST", form={"stack": stack, "team": "Ada: python"})
    )
    assert alone.status == 200, alone.html
    assert "A one-person team" in alone.html and "Nobody on the team has" in alone.html
    two = "Ada: python, django, sql, quidditch\nGrace: python, postgresql"
    pair = knowledge_compatibility(
        _request(app_runtime, "ada", method="POST", form={"stack": stack, "team": two})
    )
    assert pair.status == 200 and "A one-person team" not in pair.html
    assert "quidditch" in pair.html  # named as not found in the graph
    assert "Ada: python, django, sql, quidditch\nGrace: python, postgresql</textarea>" in pair.html
    bad = knowledge_compatibility(
        _request(
            app_runtime, "ada", method="POST", form={"stack": stack, "team": "x" * 121 + ": sql"}
        )
    )
    assert bad.status == 400 and 'id="team-error">line 1: String should have at most' in bad.html
    assert parse_team("\n python , git \n") == (
        [TeamMember(name=None, skills=("python", "git"))],
        {},
    )
