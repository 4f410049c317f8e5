"""The Simulations pages without a browser: the form shows the API models' bounds, refuses
bad levers beside their fields and runs without AIA (the same charge and limits as
`POST /v1/simulations`), a run's page, chart data and downloads are its owner's alone,
runs compare, and the live economy lists its governance history."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest

from shared.adapters.local.clock import ManualClock
from shared.api.spec import Principal
from shared.events.envelope import new_event
from shared.governance.events import ProposalExecuted
from shared.money import UNIT, Token
from shared.runtime.local import LocalRuntime
from shared.settings import Settings
from shared.simulation.indicators import METRIC_FIELDS
from shared.simulation.params import Policy
from shared.web import simulation_pages as pages
from shared.web.economy_pages import economy
from shared.web.spec import PageReply, PageRequest

PRICES = {"simulation": "1", "simulation_per_million_household_months": "5"}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"prices": PRICES})


def _request(
    runtime: LocalRuntime,
    user: str | None,
    *,
    path: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    ticked: dict[str, str] | None = None,
    **query: str,
) -> PageRequest:
    return PageRequest(
        features=runtime.features,
        method="POST" if form is not None else "GET",
        path_params=path or {},
        query={**query, **(ticked or {})},
        form=form or {},
        csrf_token="t",
        principal=None if user is None else Principal(user, verified=True),
    )


def _fund(runtime: LocalRuntime, user: str, aia: int = 100) -> None:
    runtime.features.ledger.mint(Token.AIA, aia * UNIT, f"fund-{user}", "test", to_user=user)


def _start(runtime: LocalRuntime, user: str, **changes: str) -> PageReply:
    form = {**pages.preset_values("baseline"), "households": "200", "ticks": "3", **changes}
    return pages.new_simulation(_request(runtime, user, form=form))


def test_every_metric_has_a_chart_and_every_preset_is_a_valid_policy() -> None:
    assert sorted(pages.GROUP_OF) == sorted(set(METRIC_FIELDS) - {"tick"})
    for key, preset in pages.PRESETS.items():
        Policy().with_changes(preset.changes)
        errors, parsed = pages.parse_form(pages.preset_values(key))
        assert not errors and parsed is not None, key


def test_the_form_shows_units_bounds_and_the_price(app_runtime: LocalRuntime) -> None:
    page = pages.new_simulation(_request(app_runtime, "ada", preset="basic-income"))
    assert page.status == 200
    html = page.html
    # bounds read from the API's models (CreateSimulation, FiscalPolicy, TaxBracket)
    assert "households; from 200 to 1,000,000" in html
    assert "months simulated; from 1 to 2,400" in html
    assert "average monthly wages, monthly; from 0 to 1" in html
    assert "share of income above it; from 0 to 0.75" in html
    assert "weight on last month&#39;s rate; from 0 to 0.95" in html
    assert 'id="fiscal-basic_income" name="fiscal-basic_income" type="number"' in html
    assert 'value="0.2"' in html  # the preset's basic income
    # 1,000 households x 120 months = 120,000 household-months at 5 per million: the minimum
    assert "<strong>1 AIA</strong>" in html and "You hold 0 AIA" in html
    fragment = pages.price_fragment(_request(app_runtime, "ada", households="100000", ticks="240"))
    assert "<strong>120 AIA</strong>" in fragment.html  # 24M household-months x 5
    assert (
        "Enter the households"
        in pages.price_fragment(_request(app_runtime, "ada", households="5", ticks="240")).html
    )
    signed_out = pages.new_simulation(_request(app_runtime, None))
    assert "Sign in" in signed_out.html


def test_bad_levers_are_refused_beside_their_fields(app_runtime: LocalRuntime) -> None:
    _fund(app_runtime, "ada")
    page = _start(
        app_runtime,
        "ada",
        households="lots",
        **{
            "fiscal-basic_income": "1.5",
            "monetary-smoothing": "1",
            "bracket-1-threshold": "0",  # not above the first bracket's 0
        },
    )
    assert page.status == 400
    assert 'id="households-error">Enter a whole number in digits.' in page.html
    page = _start(
        app_runtime,
        "ada",
        **{"fiscal-basic_income": "1.5", "monetary-smoothing": "1", "bracket-1-threshold": "0"},
    )
    assert page.status == 400
    assert 'id="fiscal-basic_income-error">Input should be less than or equal to 1<' in page.html
    assert 'id="monetary-smoothing-error">Input should be less than or equal to 0.95<' in page.html
    assert 'id="tax_brackets-error">bracket thresholds must be strictly increasing<' in page.html
    half = _start(app_runtime, "ada", **{"bracket-2-rate": ""})
    assert 'id="bracket-2-rate-error">Enter a number, or leave both' in half.html
    assert app_runtime.features.simulations.owned_by("ada", 10) == []


def test_a_run_needs_the_aia_to_pay_for_it(app_runtime: LocalRuntime) -> None:
    """The page charges through the same service as the API: no AIA, no run."""
    page = _start(app_runtime, "bob")
    assert page.status == 402
    assert "notice error" in page.html
    assert app_runtime.features.simulations.owned_by("bob", 10) == []


def test_the_users_limits_hold_on_the_page(app_runtime: LocalRuntime) -> None:
    """The same limits as the API: no more runs unfinished at once than allowed."""
    _fund(app_runtime, "ada")
    allowed = app_runtime.features.platform.settings.simulation_max_concurrent
    for _ in range(allowed):
        assert _start(app_runtime, "ada").redirect is not None
    page = _start(app_runtime, "ada")
    assert page.status == 429
    assert "the most allowed at once" in page.html
    assert len(app_runtime.features.simulations.owned_by("ada", 100)) == allowed


def test_the_list_pages_older_runs(
    app_runtime: LocalRuntime, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "PAGE_SIZE", 2)
    _fund(app_runtime, "ada")
    for _ in range(3):
        assert _start(app_runtime, "ada").redirect is not None
        app_runtime.dispatcher.drain()  # completed: the next one fits the limits
        clock.advance(60)
    first = pages.simulations(_request(app_runtime, "ada"))
    [cursor] = re.findall(r'href="/simulations\?cursor=([^"]+)">Older runs', first.html)
    older = pages.simulations(_request(app_runtime, "ada", cursor=cursor))
    ids = [r.simulation_id[:8] for r in app_runtime.features.simulations.owned_by("ada", 9)]
    assert ids[0] in first.html and ids[1] in first.html and ids[2] not in first.html
    assert ids[2] in older.html and "Older runs" not in older.html
    assert pages.simulations(_request(app_runtime, "ada", cursor="nonsense")).status == 404


def test_a_run_is_its_owners_page_chart_and_download(app_runtime: LocalRuntime) -> None:
    _fund(app_runtime, "ada")
    started = _start(app_runtime, "ada", **{"fiscal-basic_income": "0.1"})
    assert started.redirect is not None and started.redirect.startswith("/simulations/")
    sim_id = started.redirect.rsplit("/", 1)[1]
    store = app_runtime.features.simulations
    [run] = store.owned_by("ada", 10)
    assert run.simulation_id == sim_id and run.charged_minor == 1 * UNIT
    assert run.params.policy.fiscal.basic_income == 0.1
    queued = pages.simulation(_request(app_runtime, "ada", path={"simulation_id": sim_id}))
    assert 'hx-trigger="every 2s"' in queued.html and "<progress" in queued.html
    app_runtime.dispatcher.drain()

    path = {"simulation_id": sim_id}
    page = pages.simulation(_request(app_runtime, "ada", path=path, metrics="inflation,gdp_real"))
    assert page.status == 200 and "every 2s" not in page.html
    assert f'data-chart-src="/simulations/{sim_id}/chart.json?metrics=inflation"' in page.html
    assert f'data-chart-src="/simulations/{sim_id}/chart.json?metrics=gdp_real"' in page.html
    assert "Basic income" in page.html and "0.1" in page.html
    listing = pages.simulations(_request(app_runtime, "ada"))
    assert sim_id[:8] in listing.html and "3 of 3" in listing.html

    chart = pages.chart_json(
        _request(app_runtime, "ada", path=path, metrics="unemployment_rate,gdp_real")
    )
    assert chart.content_type == "application/json" and chart.body is not None
    data = json.loads(chart.body)
    assert data["x"] == [1, 2, 3] and [s["label"] for s in data["series"]] == [
        "Unemployment rate",
        "Real GDP",
    ]
    assert data["series"][0]["unit"] == "%" and 0 < data["series"][0]["values"][0] < 100
    csv = pages.download(_request(app_runtime, "ada", path={**path, "kind": "csv"}))
    assert csv.download == f"{sim_id}.csv" and csv.body is not None
    assert csv.body.decode().startswith("tick,gdp_nominal") and csv.body.count(b"\n") == 4
    as_json = pages.download(_request(app_runtime, "ada", path={**path, "kind": "json"}))
    assert as_json.body is not None and len(json.loads(as_json.body)["records"]) == 3

    # another user's run reads as one that never was, everywhere
    assert pages.simulation(_request(app_runtime, "eve", path=path)).status == 404
    assert pages.chart_json(_request(app_runtime, "eve", path=path, metrics="cpi")).status == 404
    assert pages.download(_request(app_runtime, "eve", path={**path, "kind": "csv"})).status == 404
    bad = pages.chart_json(_request(app_runtime, "ada", path=path, metrics="cpi,nonsense"))
    assert bad.status == 400


def test_runs_compare_on_one_chart_per_metric(app_runtime: LocalRuntime) -> None:
    _fund(app_runtime, "ada")
    ids = []
    for income in ("0", "0.2"):
        reply = _start(app_runtime, "ada", **{"fiscal-basic_income": income})
        assert reply.redirect is not None
        ids.append(reply.redirect.rsplit("/", 1)[1])
    app_runtime.dispatcher.drain()
    ticked = {f"run.{i}": "on" for i in ids}
    ticked_page = pages.compare_runs(_request(app_runtime, "ada", ticked={**ticked, "m.cpi": "on"}))
    assert ticked_page.redirect == f"/simulations/compare?ids={','.join(ids)}&metrics=cpi"
    page = pages.compare_runs(
        _request(app_runtime, "ada", ids=",".join(ids), metrics="inflation,cpi")
    )
    assert page.status == 200
    assert page.html.count('data-chart="line"') == 2
    assert f"Run 2: {ids[1][:8]}, 200 households, seed 0" in page.html
    one = pages.compare_runs(_request(app_runtime, "ada", ids=ids[0]))
    assert one.status == 400 and "Pick 2 to 5" in one.html
    theirs = pages.compare_runs(_request(app_runtime, "eve", ids=",".join(ids)))
    assert theirs.status == 404


def test_the_economy_lists_its_governance_history(app_runtime: LocalRuntime) -> None:
    request = _request(app_runtime, None)
    assert "No change has been made" in economy(request).html
    now = datetime(2026, 1, 1, tzinfo=UTC)
    for number, title, income in (("3", "A first income", 0.05), ("7", "More income", 0.1)):
        executed = ProposalExecuted(
            proposal_id=number,
            state="Executed",
            title=title,
            summary="",
            proposer_id="carol",
            snapshot_at=now,
            voting_ends_at=now,
            changes={"fiscal": {"basic_income": income}},
            actions=[{"type": "transfer_policy", "basic_income": income}],
        )
        app_runtime.bus.publish(new_event(executed, time=now))
        app_runtime.dispatcher.drain()
    html = economy(request).html
    newest = html.index('<a href="/governance/proposals/7">proposal 7: More income</a>')
    oldest = html.index('<a href="/governance/proposals/3">proposal 3: A first income</a>')
    assert newest < oldest
    assert "fiscal: basic income 0.1" in html and "fiscal: basic income 0.05" in html


def test_a_running_simulations_policy_changes_from_its_page(app_runtime: LocalRuntime) -> None:
    """`POST /v1/simulations/{id}/policy` as the run page's form: the levers with their
    units and bounds, only what differs is sent, bad values are refused beside their
    fields, the change is listed once applied, and only the owner may change it."""
    _fund(app_runtime, "ada")
    started = _start(app_runtime, "ada")
    assert started.redirect is not None
    sim_id = started.redirect.rsplit("/", 1)[1]
    path = {"simulation_id": sim_id}
    page = pages.simulation(_request(app_runtime, "ada", path=path))
    assert f'action="/simulations/{sim_id}/policy"' in page.html
    assert "average monthly wages, monthly; from 0 to 1" in page.html  # bounds, as on /new
    form = pages.policy_values(Policy())

    def change(user: str, **fields: str) -> PageReply:
        return pages.change_policy(_request(app_runtime, user, path=path, form={**form, **fields}))

    bad = change("ada", **{"fiscal-basic_income": "1.5"})
    assert bad.status == 400
    assert 'id="fiscal-basic_income-error">Input should be less than or equal to 1<' in bad.html
    assert (
        'id="monetary-smoothing-error">Enter a number'
        in change("ada", **{"monetary-smoothing": "x"}).html
    )
    assert change("ada").status == 400  # nothing changed
    assert "Nothing changed" in change("ada").html
    assert change("eve", **{"fiscal-basic_income": "0.3"}).status == 404
    assert app_runtime.features.simulations.policy_changes(sim_id) == []

    done = change("ada", **{"fiscal-basic_income": "0.3", "reason": "Try a basic income"})
    assert done.redirect == f"/simulations/{sim_id}?changed=1"
    app_runtime.dispatcher.drain()
    [applied] = app_runtime.features.simulations.policy_changes(sim_id)
    assert applied.changes == {"fiscal": {"basic_income": 0.3}}  # only the lever changed
    page = pages.simulation(_request(app_runtime, "ada", path=path))
    assert "Policy changes applied" in page.html
    assert "fiscal: basic income 0.3" in page.html and "Try a basic income" in page.html
    assert f'action="/simulations/{sim_id}/policy"' not in page.html  # completed: no form
    late = change("ada", **{"fiscal-basic_income": "0.1"})
    assert late.status == 409 and "reached its horizon" in late.html
