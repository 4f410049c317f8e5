"""The agents pages without a browser: registering through the form (its errors beside
the fields), an agent's records with observed and self-reported tasks apart, a task
reported through the page, the rankings, and another owner's agent reading as missing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.agents.records import record_task
from shared.agents.registry import list_agents
from shared.api.spec import Principal
from shared.runtime.local import LocalRuntime
from shared.settings import Settings
from shared.web.agent_pages import agent, agents, rankings
from shared.web.spec import PageRequest


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"agent_min_tasks": 2})


def _req(
    runtime: LocalRuntime, user: str | None, form: dict[str, str] | None = None, **path: str
) -> PageRequest:
    return PageRequest(
        features=runtime.features,
        method="POST" if form is not None else "GET",
        path_params=path,
        query={},
        form=form or {},
        csrf_token="t",
        principal=None if user is None else Principal(user, verified=True),
    )


TASK = {"accuracy": "0.9", "completeness": "1", "timeliness": "1", "quality": "0.8", "cost": "0.2"}


def test_register_report_and_rank_an_agent(app_runtime: LocalRuntime) -> None:
    bad = agents(_req(app_runtime, "ada", {"name": " ", "model_provider": "Big Co"}))
    assert bad.status == 400
    assert 'id="name-error"' in bad.html and 'id="model_provider-error"' in bad.html
    made = agents(
        _req(
            app_runtime,
            "ada",
            {
                "name": "Forecaster",
                "model_provider": "local",
                "capabilities": "simulation, venture_report",
            },
        )
    )
    assert made.redirect is not None and made.redirect.endswith("?done=registered")
    [doc] = list_agents(app_runtime.features.agents.documents, "ada")
    assert doc["capabilities"] == ["simulation", "venture_report"]
    agent_id = doc["agent_id"]

    # one observed task (the platform ran it) and one the owner reports on the page
    feature = app_runtime.features.agents
    record_task(
        feature.documents,
        feature.clock.now(),
        agent_id=agent_id,
        owner_id="ada",
        task_id="run-1",
        task_type="simulation",
        accuracy=1,
        completeness=1,
        timeliness=1,
        quality=1,
        cost=0,
        source="platform",
    )
    wrong = agent(
        _req(
            app_runtime,
            "ada",
            {"task_id": "t1", "task_type": "simulation", **TASK, "accuracy": "2"},
            agent_id=agent_id,
        )
    )
    assert wrong.status == 400 and 'id="accuracy-error"' in wrong.html
    reported = agent(
        _req(
            app_runtime,
            "ada",
            {"task_id": "t1", "task_type": "simulation", **TASK},
            agent_id=agent_id,
        )
    )
    assert reported.redirect is not None
    page = agent(_req(app_runtime, "ada", agent_id=agent_id))
    assert "2: 1 observed by the platform, 1 self-reported" in page.html
    assert "earns no reward" in page.html and "ADR 0011" in page.html
    assert "Rank</dt><dd>1</dd>" in page.html

    ranked = rankings(_req(app_runtime, "bob"))
    assert "Forecaster" in ranked.html and f'href="/agents/{agent_id}"' not in ranked.html
    assert f'href="/agents/{agent_id}"' in rankings(_req(app_runtime, "ada")).html

    # another owner's agent reads as missing, and cannot be reported on
    assert agent(_req(app_runtime, "bob", agent_id=agent_id)).status == 404
    refused = agent(
        _req(
            app_runtime,
            "bob",
            {"task_id": "t2", "task_type": "simulation", **TASK},
            agent_id=agent_id,
        )
    )
    assert refused.status == 404


def test_the_weekly_view_keeps_its_address(app_runtime: LocalRuntime) -> None:
    feature = app_runtime.features.agents
    today = feature.clock.now().date()
    week = f"{today.isocalendar().year}-W{today.isocalendar().week:02d}"
    agents(_req(app_runtime, "ada", {"name": "Scout", "model_provider": "local"}))
    page = agents(
        PageRequest(
            features=app_runtime.features,
            method="GET",
            path_params={},
            query={"week": week},
            form={},
            csrf_token="t",
            principal=Principal("ada", verified=True),
        )
    )
    assert page.status == 200 and f"Week {week}" in page.html and "Scout" in page.html
    monday = today - timedelta(days=today.weekday())
    assert f"{monday:%d %b}" in page.html


def test_rankings_on_one_type_of_task(app_runtime: LocalRuntime) -> None:
    agents(_req(app_runtime, "ada", {"name": "Scout", "model_provider": "local"}))
    [doc] = list_agents(app_runtime.features.agents.documents, "ada")
    for i in range(2):
        agent(
            _req(
                app_runtime,
                "ada",
                {"task_id": f"t{i}", "task_type": "simulation", **TASK},
                agent_id=doc["agent_id"],
            )
        )
    page = PageRequest(
        features=app_runtime.features,
        method="GET",
        path_params={},
        query={"task_type": "venture_report", "period": "month"},
        form={},
        csrf_token="t",
        principal=Principal("bob", verified=True),
    )
    assert "No agent has enough tasks" in rankings(page).html
    page.query = {"task_type": "simulation"}
    assert "Scout" in rankings(page).html
