"""The venture pages without a browser: each form answers with the same figures as its API
route, puts bad input beside its field (400), and a report started from the page is
charged as the API charges it (and refused without the AIA to pay)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from shared.adapters.local.clock import ManualClock
from shared.api.spec import Principal
from shared.bootstrap import install_features
from shared.runtime.local import LocalRuntime
from shared.settings import Settings
from shared.web import venture_pages as pages
from shared.web.knowledge_pages import knowledge_node
from shared.web.spec import PageReply, PageRequest
from tests.conftest import ROOT
from tests.support.api import ApiClient


def _call(
    runtime: LocalRuntime,
    handler: Any,
    user: str | None = "ada",
    form: dict[str, str] | None = None,
    **query: str,
) -> PageReply:
    request = PageRequest(
        features=runtime.features,
        method="GET" if form is None else "POST",
        path_params={},
        query=query,
        form=form or {},
        csrf_token="t",
        principal=None if user is None else Principal(user, verified=True),
    )
    reply: PageReply = handler(request)
    return reply


def _defaults(*sets: dict[str, str]) -> dict[str, str]:
    merged: dict[str, str] = {}
    for values in sets:
        merged.update(values)
    return merged


@pytest.mark.parametrize(
    "handler",
    [
        pages.venture,
        pages.market,
        pages.competition,
        pages.blueprint,
        pages.resources,
        pages.reports,
        pages.new_report,
        pages.datasets,
    ],
)
def test_every_venture_page_asks_a_stranger_to_sign_in_first(
    app_runtime: LocalRuntime, handler: Any
) -> None:
    page = _call(app_runtime, handler, user=None)
    assert page.status == 200 and "Sign in to see" in page.html
    page = _call(app_runtime, handler)
    assert page.status == 200 and "<h1>" in page.html and "Sign in to see" not in page.html


def test_the_market_page_sizes_as_the_api_does(app_runtime: LocalRuntime, api: ApiClient) -> None:
    page = _call(app_runtime, pages.market, form=dict(pages.MARKET_DEFAULTS))
    assert page.status == 200, page.html
    body = {
        "sector": "saas",
        "region": "europe",
        "segment_share": 10,
        "reachable_share": 2,
        "customers": 40000,
        "price_per_year": 6000,
        "adoption": 4,
    }
    answer = api.user("ada").post("/v1/venture/market-analysis", json=body)
    assert answer.status_code == 200, answer.text
    for level in ("tam", "sam", "som"):
        assert pages.usd(answer.json[level]) in page.html
    assert 'data-chart="bars"' in page.html and "market-levels" in page.html
    assert "Assumptions, each with its source" in page.html


def test_the_market_page_puts_errors_beside_their_fields(app_runtime: LocalRuntime) -> None:
    form = {**pages.MARKET_DEFAULTS, "customers": "-5", "adoption": "many"}
    page = _call(app_runtime, pages.market, form=form)
    assert page.status == 400
    assert 'id="customers-error"' in page.html and 'id="adoption-error"' in page.html
    assert 'value="many"' in page.html  # what was typed stays
    # a region where the sector has no share: the service's own refusal, on its field
    unknown = _call(app_runtime, pages.market, form={**pages.MARKET_DEFAULTS, "sector": "nope"})
    assert unknown.status == 400 and 'id="sector-error"' in unknown.html
    # someone else's dataset reads as missing
    other = _call(app_runtime, pages.market, form={**pages.MARKET_DEFAULTS, "sector": "x/y"})
    assert other.status == 400 and "no dataset of yours" in other.html


def test_the_competition_page_explains_the_hhi_band(app_runtime: LocalRuntime) -> None:
    page = _call(app_runtime, pages.competition, form=dict(pages.COMPETITION_DEFAULTS))
    assert page.status == 200, page.html
    # 40² + 20² + 5² = 2,025: highly concentrated (2023), moderately (2010)
    assert '<strong id="hhi">2,025</strong>' in page.html
    assert "highly concentrated above 1,800" in page.html
    assert "moderately concentrated" in page.html
    assert "Incumbent" in page.html and "(yours)" in page.html
    bad = {**pages.COMPETITION_DEFAULTS, "competitors": "A, 80, 10\nB, 30, 5"}
    page = _call(app_runtime, pages.competition, form=bad)
    assert page.status == 400 and "over 100 %" in page.html
    bad["competitors"] = "A, 20, 10\nB, lots, 5"
    page = _call(app_runtime, pages.competition, form=bad)
    assert page.status == 400 and "line 2: market share:" in page.html


def test_the_blueprint_page_links_its_stack_to_the_graph(app_runtime: LocalRuntime) -> None:
    form = _defaults(pages.PRODUCT_DEFAULTS)
    page = _call(app_runtime, pages.blueprint, form=form)
    assert page.status == 200, page.html
    assert '<a href="/knowledge/nodes/technology:react">react</a>' in page.html
    # every stack item links to its technology's page in the graph
    linked = set(re.findall(r'href="/knowledge/nodes/(technology:[^"]+)"', page.html))
    assert {"technology:react", "technology:postgresql", "technology:typescript"} <= linked
    for node in linked:
        request = PageRequest(
            features=app_runtime.features,
            method="GET",
            path_params={"node_id": node},
            query={},
            form={},
            csrf_token="t",
        )
        found = knowledge_node(request)
        assert found.status == 200 and found.redirect is None, node
    assert "person-months" in page.html and "Backend developer" in page.html
    form["features"] = "sign-up, 1000, 7, 1"
    page = _call(app_runtime, pages.blueprint, form=form)
    assert page.status == 400
    assert 'id="features-error"' in page.html and "line 1: impact:" in page.html
    form["features"] = "sign-up, 1000"
    page = _call(app_runtime, pages.blueprint, form=form)
    assert page.status == 400 and "give name, reach, impact, effort" in page.html


def test_the_resource_page_shows_team_and_costs(app_runtime: LocalRuntime) -> None:
    page = _call(app_runtime, pages.resources, form=dict(pages.RESOURCE_DEFAULTS))
    assert page.status == 200, page.html
    assert 'id="total-cost"' in page.html and "Team composition by phase" in page.html
    bad = {**pages.RESOURCE_DEFAULTS, "funding_usd": "-1"}
    page = _call(app_runtime, pages.resources, form=bad)
    assert page.status == 400 and 'id="funding_usd-error"' in page.html


@pytest.fixture
def priced(settings: Settings, clock: ManualClock) -> Iterator[LocalRuntime]:
    """The app runtime with reports at 5 AIA, as in production."""
    configured = settings.model_copy(update={"prices": {"venture_report": "5"}})
    runtime = LocalRuntime(configured, ROOT, clock=clock)
    yield runtime
    runtime.stop()
    install_features(None)


def test_a_report_from_the_page_is_charged_and_listed(priced: LocalRuntime) -> None:
    api = ApiClient(priced.features)
    ada, admin = api.user("ada"), api.user("root", admin=True)
    form = {**pages.REPORT_DEFAULTS, "realtime": "", "ai": "", "personal_data": ""}
    # no AIA: refused as the API refuses it, nothing stored
    broke = _call(priced, pages.new_report, user=ada.user_id, form=form)
    assert broke.status == 402
    assert "you have 0 AIA; this venture report costs 5 AIA" in broke.html
    assert ada.get("/v1/venture/reports").json["reports"] == []
    minted = admin.post(
        "/v1/admin/mint", json={"user_id": ada.user_id, "token": "AIA", "amount": "12"}
    )
    assert minted.status_code == 201, minted.text
    asked = _call(priced, pages.new_report, user=ada.user_id)
    assert "It costs <strong>5 AIA</strong>" in asked.html
    key = re.search(r'name="request_key" value="([0-9a-f]{32})"', asked.html)
    assert key is not None
    form["request_key"] = key.group(1)
    started = _call(priced, pages.new_report, user=ada.user_id, form=form)
    assert started.redirect and started.redirect.startswith("/venture/reports?started=")
    report_id = started.redirect.rsplit("=", 1)[1]
    assert ada.get("/v1/wallet").json["balances"]["AIA"] == "7.000000"  # charged as the API
    # the same form sent again (a double click): the same report, charged once
    again = _call(priced, pages.new_report, user=ada.user_id, form=form)
    assert again.redirect == started.redirect
    assert ada.get("/v1/wallet").json["balances"]["AIA"] == "7.000000"
    # sent again with other inputs: refused, and a fresh key to start another
    changed = _call(priced, pages.new_report, user=ada.user_id, form={**form, "title": "Other"})
    assert changed.status == 409 and "already started a report" in changed.html
    assert f'value="{form["request_key"]}"' not in changed.html
    listed = _call(priced, pages.reports, user=ada.user_id, started=report_id)
    assert "Acme forecasting" in listed.html and "has started" in listed.html
    assert f'href="/venture/reports/{report_id}"' in listed.html
    # bad input is never charged
    bad = _call(priced, pages.new_report, user=ada.user_id, form={**form, "customers": "0"})
    assert bad.status == 400 and 'id="customers-error"' in bad.html
    assert len(ada.get("/v1/venture/reports").json["reports"]) == 1
    assert ada.get("/v1/wallet").json["balances"]["AIA"] == "7.000000"


def test_datasets_are_added_and_listed_for_their_owner_only(app_runtime: LocalRuntime) -> None:
    saved = _call(app_runtime, pages.datasets, form=dict(pages.DATASET_DEFAULTS))
    assert saved.redirect and saved.redirect.startswith("/venture/datasets?added=")
    page = _call(app_runtime, pages.datasets, added=saved.redirect.rsplit("=", 1)[1])
    assert "vertical-farming" in page.html and "saved with 1 sector" in page.html
    market = _call(app_runtime, pages.market)
    assert "(your dataset farms)" in market.html
    assert 'id="dataset-list"' not in _call(app_runtime, pages.datasets, user="bob").html
    bad = {**pages.DATASET_DEFAULTS, "content": "id,name\nx,y\n"}
    page = _call(app_runtime, pages.datasets, form=bad)
    assert page.status == 400 and 'id="content-error"' in page.html


def test_the_pages_post_under_the_api_routes_rate_limits() -> None:
    """A page that does what a route does counts against the same limit class."""
    from shared.venture.api import ROUTES

    route_classes = {r.rate_limit for r in ROUTES if r.method == "POST"}
    page_classes = {p.rate_limit for p in pages.PAGES if "POST" in p.methods}
    assert page_classes == route_classes == {None}  # both: the `default` class
