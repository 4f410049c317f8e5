"""The pages the scheduled emails open: the live economy's (public) and an owner's agents'
week (signed in; another owner's agents never show)."""

from __future__ import annotations

from shared.agents.registry import register_agent
from shared.api.spec import Principal
from shared.runtime.local import LocalRuntime
from shared.web.economy_pages import agents_week, economy
from shared.web.spec import PageRequest


def _request(runtime: LocalRuntime, user: str | None, **query: str) -> PageRequest:
    return PageRequest(
        features=runtime.features,
        method="GET",
        path_params={},
        query=query,
        form={},
        csrf_token="t",
        principal=None if user is None else Principal(user, verified=True),
    )


def test_the_economy_page_shows_the_policy_in_force_before_the_economy_starts(
    app_runtime: LocalRuntime,
) -> None:
    page = economy(_request(app_runtime, None))
    assert page.status == 200
    assert "has not started yet" in page.html
    assert "Inflation target (a year)" in page.html and "2.0 %" in page.html
    assert "No proposal has changed it yet." in page.html


def test_the_agents_page_lists_the_owners_agents_only(app_runtime: LocalRuntime) -> None:
    agents = app_runtime.features.agents
    now = agents.clock.now()
    for owner, name in (("ada", "market-analyst"), ("bob", "bobs-secret-agent")):
        register_agent(agents.documents, owner, name, ["analysis"], "local", limit=5, now=now)
    page = agents_week(_request(app_runtime, "ada", week="2026-W44"))
    assert page.status == 200
    assert "market-analyst" in page.html and "bobs-secret-agent" not in page.html
    assert "26 Oct - 01 Nov 2026" in page.html  # ISO week 44 of 2026
    missing = agents_week(_request(app_runtime, "ada", week="2026-W99"))
    assert missing.status == 404
    signed_out = agents_week(_request(app_runtime, None, week="2026-W44"))
    assert signed_out.status == 200 and "Sign in" in signed_out.html
