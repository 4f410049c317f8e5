"""What a user takes away from the API: a run's metrics as the CLI's CSV, growth only
once a year of months exists, and two runs compared, only ever the caller's own."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from shared.cli import main
from shared.runtime.local import LocalRuntime
from shared.simulation.indicators import INTEGER_FIELDS, METRIC_FIELDS
from tests.support.api import ApiClient, UserClient


def _run(user: UserClient, runtime: LocalRuntime, **body: object) -> str:
    reply = user.post("/v1/simulations", json={"households": 400, "seed": 4, **body})
    assert reply.status_code == 202, reply.get_json()
    runtime.dispatcher.drain()
    return str(reply.get_json()["id"])


def test_metrics_as_csv_have_the_cli_columns_and_read_back_as_numbers(
    api: ApiClient, app_runtime: LocalRuntime, tmp_path: Path
) -> None:
    alice = api.user("alice")
    simulation_id = _run(alice, app_runtime, ticks=15)
    by_query = alice.get(f"/v1/simulations/{simulation_id}/metrics?format=csv")
    by_accept = alice.get(
        f"/v1/simulations/{simulation_id}/metrics", headers={"Accept": "text/csv"}
    )
    for reply in (by_query, by_accept):
        assert reply.status_code == 200 and reply.mimetype == "text/csv"
        assert simulation_id in reply.headers["Content-Disposition"]
    assert by_query.data == by_accept.data
    rows = list(csv.DictReader(io.StringIO(by_query.get_data(as_text=True))))
    assert list(rows[0]) == list(METRIC_FIELDS) and len(rows) == 15
    for row in rows:
        for name, field in row.items():
            if name == "gdp_growth" and int(row["tick"]) <= 12:
                assert field == ""
            else:
                int(field) if name in INTEGER_FIELDS else float(field)
    # the same run in-process: the API's file is the CLI's file
    out = tmp_path / "run"
    assert (
        main(["simulate", "--households", "400", "--seed", "4", "--ticks", "15", "--out", str(out)])
        == 0
    )
    assert (out / "metrics.csv").read_text() == by_query.get_data(as_text=True)
    # JSON stays the default, and the paging applies to the CSV too
    assert alice.get(f"/v1/simulations/{simulation_id}/metrics").mimetype == "application/json"
    page = alice.get(f"/v1/simulations/{simulation_id}/metrics?format=csv&from_tick=13")
    assert [r["tick"] for r in csv.DictReader(io.StringIO(page.get_data(as_text=True)))] == [
        "14",
        "15",
    ]
    bad = alice.get(f"/v1/simulations/{simulation_id}/metrics?format=xlsx")
    assert bad.status_code == 400 and bad.get_json()["errors"][0]["field"] == "format"


def test_growth_is_null_until_a_year_of_months_exists(
    api: ApiClient, app_runtime: LocalRuntime
) -> None:
    alice = api.user("alice")
    simulation_id = _run(alice, app_runtime, ticks=14)
    records = alice.get(f"/v1/simulations/{simulation_id}/metrics").get_json()["records"]
    assert [r["gdp_growth"] for r in records[:12]] == [None] * 12
    expected = records[12]["gdp_real"] / records[0]["gdp_real"] - 1
    assert records[12]["gdp_growth"] == pytest.approx(expected)
    assert abs(records[13]["gdp_growth"]) < 0.5
    chart = alice.get(f"/v1/simulations/{simulation_id}/charts/gdp_growth.svg")
    assert b"Real GDP growth (year on year)" in chart.data
    # a run still in its first year shows no growth among its latest figures
    young = _run(alice, app_runtime, ticks=6)
    latest = alice.get(f"/v1/simulations/{young}").get_json()["latest"]
    assert "unemployment_rate" in latest and "gdp_growth" not in latest


def test_two_runs_compared_month_by_month(api: ApiClient, app_runtime: LocalRuntime) -> None:
    alice = api.user("alice")
    base = _run(alice, app_runtime, ticks=16)
    more = _run(alice, app_runtime, ticks=14, policy={"fiscal": {"basic_income": 0.2}})
    reply = alice.get(f"/v1/simulations/compare?ids={base},{more}")
    assert reply.status_code == 200, reply.get_json()
    comparison = reply.get_json()
    assert comparison["baseline"] == base and comparison["ticks"] == list(range(1, 15))
    a = alice.get(f"/v1/simulations/{base}/metrics").get_json()["records"]
    b = alice.get(f"/v1/simulations/{more}/metrics").get_json()["records"]
    assert comparison["series"]["unemployment_rate"] == {
        base: [r["unemployment_rate"] for r in a[:14]],
        more: [r["unemployment_rate"] for r in b[:14]],
    }
    assert comparison["series"]["gdp_growth"][base][:12] == [None] * 12
    [difference] = comparison["differences"]
    assert difference["id"] == more
    assert difference["last"]["gini_income"] == pytest.approx(
        b[13]["gini_income"] - a[13]["gini_income"]
    )
    mean = (
        sum(r["unemployment_rate"] for r in b[:14]) / 14
        - sum(r["unemployment_rate"] for r in a[:14]) / 14
    )
    assert difference["mean"]["unemployment_rate"] == pytest.approx(mean)
    [run_a, run_b] = comparison["runs"]
    assert (run_a["months"], run_b["months"]) == (16, 14)
    chosen = alice.get(f"/v1/simulations/compare?ids={more},{base}&metrics=cpi").get_json()
    assert list(chosen["series"]) == ["cpi"] and chosen["baseline"] == more


def test_compare_answers_only_the_callers_runs_and_unknown_alike(
    api: ApiClient, app_runtime: LocalRuntime
) -> None:
    alice, bob = api.user("alice"), api.user("bob")
    mine = _run(alice, app_runtime, ticks=2)
    theirs = _run(bob, app_runtime, ticks=2)
    foreign = alice.get(f"/v1/simulations/compare?ids={mine},{theirs}")
    unknown = alice.get(f"/v1/simulations/compare?ids={mine},no-such-run")
    for reply, ident in ((foreign, theirs), (unknown, "no-such-run")):
        assert reply.status_code == 404 and reply.mimetype == "application/problem+json"
        body = reply.get_json()
        assert body["detail"] == f"no simulation with id {ident}"
        assert body["errors"][0]["field"] == "ids"
    assert api.anonymous().get(f"/v1/simulations/compare?ids={mine},{theirs}").status_code == 401


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("", "ids"),
        ("ids=a", "ids"),
        ("ids=a,a", "ids"),
        ("ids=a,,b", "ids"),
        ("ids=a,b,c,d,e,f", "ids"),
        ("ids=" + "x" * 65 + ",b", "ids"),
        ("ids=a,b&metrics=gdp", "metrics"),
        ("ids=a,b&metrics=tick", "metrics"),
        ("ids=a,b&colour=red", "colour"),
    ],
)
def test_bad_compare_queries_name_the_field(api: ApiClient, query: str, field: str) -> None:
    reply = api.user("alice").get(f"/v1/simulations/compare?{query}")
    assert reply.status_code == 400 and reply.mimetype == "application/problem+json"
    assert field in {e["field"].split(".")[0] for e in reply.get_json()["errors"]}
