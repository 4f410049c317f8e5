"""The whole feature on the local runtime, as `make run` runs it: owners register agents
and record tasks, see them ranked, are paid by the daily job, and on Monday the weekly
job starts the agent-performance-report workflow (its YAML executed by
workflows-emulator), which prepares each owner's report and sends it from reports@
through the email-send function. Nothing is sent twice for a week."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from shared.adapters.local.clock import ManualClock
from shared.adapters.local.workflows import LocalWorkflowRunner
from shared.agents import report
from shared.agents.weeks import week_days
from shared.email.contexts import ReportContext
from shared.money import UNIT, to_minor
from shared.ports.workflows import ExecutionState
from shared.runtime.local import LocalRuntime
from tests.agents.helpers import fire, login, move_to, record, register, verify
from tests.support import svg
from tests.support.api import ApiClient, UserClient

EXECUTION = "agent-performance-report-2026-W10"


def runner(runtime: LocalRuntime) -> LocalWorkflowRunner:
    assert runtime.workflows is not None
    return runtime.workflows


def reports(runtime: LocalRuntime) -> dict[str, EmailMessage]:
    """The report emails in the local outbox, by recipient address."""
    found = {}
    for path in sorted(Path(runtime.settings.data_dir, "outbox").glob("report-*.eml")):
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(message, EmailMessage)
        found[parseaddr(message["To"])[1]] = message
    return found


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def reward_history(api: ApiClient, user: UserClient) -> int:
    login(api, user)
    entries = user.get("/v1/wallet/history?limit=500").json["entries"]
    return sum(
        to_minor(e["amount"])
        for e in entries
        if e["kind"] == "agent_reward" and e["token"] == "AIA"
    )


def test_owners_get_their_weekly_agent_report_once(
    api: ApiClient, app_runtime: LocalRuntime, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report, "OWNERS_PAGE", 2)  # three owners: the workflow pages twice
    alice, bob, carol = (api.user(n, verified=False) for n in ("alice", "bob", "carol"))
    verify(api, alice, bob, carol)
    analyst, estimator = register(alice, "Analyst"), register(bob, "Estimator")
    register(carol, "Idle")  # no work this week: carol gets no report
    monday, sunday = week_days("2026-W10")

    def at(day: date, hour: int = 10) -> datetime:
        return datetime.combine(day, time(hour), tzinfo=UTC)

    # the week before: the estimator is ahead
    clock.set(at(monday - timedelta(days=4)))
    for n in range(3):
        record(app_runtime, alice, analyst, f"w9-a{n}", 0.6, paid="10")
        record(app_runtime, bob, estimator, f"w9-e{n}", 0.7, paid="10")
    # this week: the analyst overtakes (every task a 10 AIA run)
    clock.set(at(monday))
    for n in range(3):
        record(app_runtime, alice, analyst, f"w10-a{n}", 0.95, paid="10")
    clock.set(at(monday + timedelta(days=2)))
    record(app_runtime, alice, analyst, "w10-a3", 0.9, paid="10")
    for n in range(3):
        record(app_runtime, bob, estimator, f"w10-e{n}", 0.5, paid="10")

    # alice sees her agent in the rankings
    login(api, alice)
    ranked = alice.get("/v1/agents/rankings").json["rankings"]
    assert [r["name"] for r in ranked] == ["Analyst", "Estimator"]

    # the daily job, every night of the week
    for offset in range(7):
        night = at(monday + timedelta(days=offset + 1), 0) + timedelta(minutes=15)
        clock.set(night)
        fire(app_runtime, "pay-agent-rewards-daily", night)
    paid_alice, paid_bob = reward_history(api, alice), reward_history(api, bob)
    # Monday: alice's 30 AIA of work alone, half of it back (15). Wednesday: 10 AIA at
    # 0.9 against bob's 30 AIA at 0.5 splits the pool 9 : 15, and each gets at most half
    # of what the day's work cost: 5 and 15. The rest of the pools stays in the treasury.
    assert (paid_alice, paid_bob) == (20 * UNIT, 15 * UNIT)

    # Monday 06:00: the weekly job starts the journey, once however often it fires
    monday_next = at(sunday + timedelta(days=1), 6)
    move_to(clock, monday_next, api, alice)
    event = fire(app_runtime, "agent-report-weekly", monday_next)
    app_runtime.bus.publish(event)  # redelivered
    app_runtime.dispatcher.drain()
    status = runner(app_runtime).wait(EXECUTION, timeout=30)
    assert status.state is ExecutionState.SUCCEEDED, status.error
    assert status.result == {"week": "2026-W10", "owners": 3, "sent": 2, "failed": 0}
    pages = [s for s in runner(app_runtime).steps(EXECUTION) if s["step"] == "list_owners"]
    assert len(pages) == 2
    sent = reports(app_runtime)
    assert set(sent) == {alice.email, bob.email}
    # what the step prepared is the email's report context exactly as email types it
    prepared = app_runtime.platform.documents.query("agent_reports")
    assert len(prepared) == 2
    for _, doc in prepared:
        typed = ReportContext.model_validate(doc["context"])
        assert typed.model_dump(mode="json", exclude_none=True) == doc["context"]

    mail = sent[alice.email]
    assert parseaddr(mail["From"]) == ("AIA Reports", "reports@013a.tech")
    assert mail["Subject"].startswith("Agent performance 2026-W10")
    assert mail["List-Unsubscribe"]  # a report, not security mail
    body = text_of(mail)
    w6, w4 = 2 ** (-6 / 7), 2 ** (-4 / 7)  # the Monday and Wednesday tasks, as of Sunday
    score = (w6 * 3 * 0.95 + w4 * 0.9) / (w6 * 3 + w4)
    assert f"Analyst: score {score:.2f}, rank #1 (+1), reward {paid_alice / UNIT:,.2f} AIA" in body
    assert "Estimator" not in body  # bob's agent is in bob's report only
    assert "Estimator: score 0.50, rank #2 (-1)" in text_of(sent[bob.email])
    assert f"Total rewards: {paid_alice / UNIT:,.2f} AIA" in body

    # the chart linked from the email is served as SVG, with the analyst's line
    chart_url = next(w for w in body.split() if w.endswith("/chart.svg"))
    assert chart_url.startswith("https://api.013a.tech/v1/agents/reports/")
    chart = api.anonymous().get(urlsplit(chart_url).path)
    assert chart.status_code == 200
    assert chart.content_type.startswith("image/svg+xml")
    assert "default-src 'none'" in chart.headers["Content-Security-Policy"]
    root = svg.parse(chart.get_data(as_text=True))
    assert len(svg.drawn_lines(root)) == 1  # Mon and Wed
    assert "Analyst" in chart.get_data(as_text=True)
    assert api.anonymous().get("/v1/agents/reports/" + "0" * 32 + "/chart.svg").status_code == 404

    # a second execution for the same week sends nothing again
    again = app_runtime.platform.workflows.start(
        "agent-performance-report", {"week": "2026-W10"}, execution_id="rerun-2026-W10"
    )
    rerun = runner(app_runtime).wait(again, timeout=30)
    assert rerun.state is ExecutionState.SUCCEEDED, rerun.error
    assert rerun.result == {"week": "2026-W10", "owners": 3, "sent": 2, "failed": 0}
    assert reports(app_runtime).keys() == sent.keys()
    assert [m["Message-ID"] for m in reports(app_runtime).values()] == [
        m["Message-ID"] for m in sent.values()
    ]
    assert len(list(Path(app_runtime.settings.data_dir, "outbox").glob("report-*.eml"))) == 2
    sends = app_runtime.platform.documents.query("email_sends")
    assert len([d for _, d in sends if d.get("type") == "report"]) == 2


def test_report_steps_refuse_bad_calls(app_runtime: LocalRuntime) -> None:
    for step, week, status in (
        ("owners", "last week", 400),
        ("owners", "2026-W54", 400),  # 2026 has 53 ISO weeks
        ("prepare", "2026-W10", 400),  # no owner_id
        ("nope", "2026-W10", 404),
    ):
        response = app_runtime.host.request(
            "agent-report-step",
            "POST",
            f"/{step}",
            body=f'{{"week": "{week}"}}'.encode(),
            headers={"Content-Type": "application/json"},
        )
        assert response.status == status, (step, week)
        assert "error" in response.body
