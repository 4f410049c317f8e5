"""Journeys end to end on the local runtime: events start the Workflows YAML (executed
by workflows-emulator, a day of waiting in 0.05 s), each step queues its email through
the send function and the rate-limited queue, the local task runner delivers it to a
real SMTP server. Starting or running a journey twice sends nothing twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parseaddr

from shared.adapters.local.clock import ManualClock
from shared.adapters.local.workflows import LocalWorkflowRunner
from shared.email.events import EconomicReportReady
from shared.email.journeys import (
    EventFacts,
    SendNow,
    StartWorkflow,
    plan_for,
)
from shared.events.envelope import new_event
from shared.governance.events import (
    ProposalCanceled,
    ProposalCreated,
    ProposalQueued,
    ProposalSucceeded,
    ProposalVotingStarted,
)
from shared.money import Token, to_minor
from shared.ports.workflows import ExecutionState
from shared.runtime.local import LocalRuntime
from shared.venture.events import VentureReportCompleted
from tests.email.helpers import call_send_function
from tests.email.smtp_server import SmtpServer
from tests.ledger.test_wallet_api import fund
from tests.support.api import ApiClient
from tests.venture.conftest import report_body


def runner(runtime: LocalRuntime) -> LocalWorkflowRunner:
    assert runtime.workflows is not None
    return runtime.workflows


def finish(runtime: LocalRuntime, execution_id: str) -> dict[str, object]:
    status = runner(runtime).wait(execution_id, timeout=30)
    assert status.state is ExecutionState.SUCCEEDED, status.error
    runtime.dispatcher.drain()  # the queued sends
    assert isinstance(status.result, dict)
    return status.result


def stages(server: SmtpServer, address: str) -> list[str]:
    subjects = {
        "Welcome to AIA": "welcome",
        "Three ways": "tips",
        "Your AIA workspace is waiting": "activation",
    }
    found = []
    for message in server.of_type(address, "welcome"):
        found += [
            stage for prefix, stage in subjects.items() if message["Subject"].startswith(prefix)
        ]
    return found


def test_registration_runs_the_onboarding_journey(
    api: ApiClient, app_runtime: LocalRuntime, smtp_server: SmtpServer, clock: ManualClock
) -> None:
    alice, bob = api.user("alice"), api.user("bob")
    key = bob.post("/v1/api-keys", json={"name": "cli"}).json["key"]
    clock.advance(2 * 3600)  # bob comes back two hours later (with his API key): active
    assert api.client.get("/v1/wallet", headers={"X-API-Key": key}).status_code == 200
    # user.registered -> start-email-journeys; a journey's days pass in a fraction of a
    # second, so bob's activity is recorded first (the nudge is decided when it is sent)
    app_runtime.dispatcher.drain()

    results = {u.email: finish(app_runtime, f"onboarding-{u.user_id}") for u in (alice, bob)}
    assert stages(smtp_server, alice.email) == ["welcome", "tips", "activation"]
    assert stages(smtp_server, bob.email) == ["welcome", "tips"]  # active: no nudge
    [welcome, *_] = smtp_server.of_type(alice.email, "welcome")
    assert parseaddr(welcome["From"]) == ("AIA", "hello@013a.tech")
    assert welcome["Subject"] == "Welcome to AIA, alice"
    assert set(results[alice.email]) == {"welcome", "tips", "activation"}

    steps = [s["step"] for s in runner(app_runtime).steps(f"onboarding-{alice.user_id}")]
    for step in (
        "send_welcome",
        "wait_one_day",
        "send_tips",
        "wait_two_more_days",
        "send_activation_nudge",
    ):
        assert step in steps
    # the tips came a day after the welcome (scaled): the waits are real waits
    at = {
        s["step"]: datetime.fromisoformat(s["at"])
        for s in runner(app_runtime).steps(f"onboarding-{alice.user_id}")
    }
    assert (
        at["send_tips"] - at["wait_one_day"]
    ).total_seconds() >= 86_400 / app_runtime.settings.time_scale * 0.9

    # the same journey run again from its first step (a resumed execution) sends nothing
    execution = runner(app_runtime).status(f"onboarding-{alice.user_id}")
    assert execution.state is ExecutionState.SUCCEEDED
    record = app_runtime.platform.documents.get(
        "workflow_executions", f"onboarding-{alice.user_id}"
    )
    assert record is not None
    again = app_runtime.platform.workflows.start(
        "onboarding-journey", record["argument"], execution_id=f"rerun-{alice.user_id}"
    )
    finish(app_runtime, again)
    assert stages(smtp_server, alice.email) == ["welcome", "tips", "activation"]
    # and a second start under the same id starts nothing
    assert (
        app_runtime.platform.workflows.start(
            "onboarding-journey", record["argument"], execution_id=f"onboarding-{alice.user_id}"
        )
        == f"onboarding-{alice.user_id}"
    )


def test_the_nudge_skips_whoever_used_the_platform_the_day_they_joined(
    api: ApiClient, app_runtime: LocalRuntime, smtp_server: SmtpServer, clock: ManualClock
) -> None:
    """Issue 15: "Still there?" went to a user who had run two simulations, a report and
    a transfer the same day. Each of those, done minutes after registering, counts; only
    signing in and reading one's own account and email settings does not."""
    ada, bea, cy, dee = (api.user(n) for n in ("ada", "bea", "cy", "dee"))
    admin = api.user("root", admin=True)
    for user in (ada, bea, cy):
        fund(admin, user, "AIA", "50")
    clock.advance(60)  # a minute after registering (the runtime's clock starts a bit behind)
    for n in (1, 2):
        run = ada.post("/v1/simulations", json={"households": 200, "seed": n, "ticks": 3})
        assert run.status_code == 202, run.json
    report = bea.post("/v1/venture/reports", json=report_body())
    assert report.status_code == 202, report.json
    transfer = cy.post(
        "/v1/wallet/transfers",
        json={"to": ada.user_id, "token": "AIA", "amount": "1"},
        headers={"Idempotency-Key": "cy-pays-ada"},
    )
    assert transfer.status_code == 201, transfer.json
    for path in ("/v1/me", "/v1/emails/preferences"):  # not use: dee gets the nudge
        assert dee.get(path).status_code == 200
    app_runtime.dispatcher.drain()
    for user in (ada, bea, cy, dee, admin):
        finish(app_runtime, f"onboarding-{user.user_id}")
    for user in (ada, bea, cy):
        assert stages(smtp_server, user.email) == ["welcome", "tips"], user.email
    assert stages(smtp_server, dee.email) == ["welcome", "tips", "activation"]


def test_password_reset_mail_goes_out_at_once_from_security(
    api: ApiClient, app_runtime: LocalRuntime, smtp_server: SmtpServer
) -> None:
    alice = api.user("alice")
    response = api.anonymous().post("/v1/auth/password-reset", json={"email": alice.email})
    assert response.status_code == 202
    app_runtime.dispatcher.drain()  # the event, then the queued send: no journey waits

    [reset] = smtp_server.of_type(alice.email, "password_reset")
    assert parseaddr(reset["From"]) == ("AIA Security", "security@013a.tech")
    assert reset["List-Unsubscribe"] is None
    body = reset.get_body(("plain",))
    assert body is not None and "https://app.013a.tech/reset-password?token=" in body.get_content()
    queued = app_runtime.tasks.state(next(iter(_task_names(app_runtime, "email-"))))
    assert queued == "done"


def _task_names(runtime: LocalRuntime, prefix: str) -> list[str]:
    rows = (
        runtime.tasks._db.connection()
        .execute(
            "SELECT name FROM tasks WHERE name LIKE ? AND queue = 'email-transactional'",
            (prefix + "%",),
        )
        .fetchall()
    )
    return [r[0] for r in rows]


def test_the_monthly_economic_report_reaches_every_subscriber(
    api: ApiClient, app_runtime: LocalRuntime, smtp_server: SmtpServer
) -> None:
    users = [api.user(name) for name in ("ann", "ben", "cat")]
    users[1].put("/v1/emails/preferences", json={"categories": {"economics": False}})
    event = new_event(
        EconomicReportReady(
            period="2026-10",
            headline="Growth steady",
            figures=[{"label": "Unemployment", "value": "5.4 %", "change": "-0.2 pt"}],
        ),
        source="test",
    )
    app_runtime.platform.events.publish(event)
    app_runtime.dispatcher.drain()
    result = finish(app_runtime, "economic-report-2026-10")
    assert result["queued"] >= 3

    for user, expected in zip(users, (1, 0, 1), strict=True):
        received = smtp_server.of_type(user.email, "economic_update")
        assert len(received) == expected, user.email
    [mail] = smtp_server.of_type(users[0].email, "economic_update")
    assert mail["Subject"] == "The AIA economy in October 2026: Growth steady"
    assert parseaddr(mail["From"])[1] == "economics@013a.tech"
    assert "Unemployment" in mail.get_body(("plain",)).get_content()

    # the same month reported again starts no second journey
    app_runtime.platform.events.publish(
        new_event(EconomicReportReady(period="2026-10"), source="test")
    )
    app_runtime.dispatcher.drain()
    assert len(smtp_server.of_type(users[0].email, "economic_update")) == 1


def test_fan_out_pages_through_the_audience(
    api: ApiClient, app_runtime: LocalRuntime, smtp_server: SmtpServer
) -> None:
    users = [api.user(f"u{i}") for i in range(5)]
    request = {
        "type": "system_notification",
        "journey": "maintenance-2026-11",
        "step": "notice",
        "context": {"title": "Maintenance on Sunday", "message": "The API pauses 10 min."},
        "page_size": 2,
    }
    cursor, pages, queued = "0", 0, 0
    while cursor is not None:
        status, page, _ = call_send_function(app_runtime, f"/fan-out?cursor={cursor}", request)
        assert status == 200, page
        cursor, pages, queued = page["next_cursor"], pages + 1, queued + page["enqueued"]
    assert queued >= 5 and pages >= 3
    call_send_function(app_runtime, "/fan-out?cursor=0", request)  # a retried page
    app_runtime.dispatcher.drain()
    for user in users:
        assert len(smtp_server.of_type(user.email, "system_notification")) == 1

    status, problem, _ = call_send_function(
        app_runtime, "/fan-out", {**request, "type": "password_reset"}
    )
    assert status == 400 and problem["errors"][0]["field"] == "type"


def _proposal(now: datetime, days_left: float, **changes: object) -> dict[str, object]:
    return {
        "proposal_id": "7",
        "title": "Raise the inflation target to 2.5 %",
        "summary": "Moves the Taylor rule's target.",
        "proposer_id": "u-1",
        "state": "active",
        "snapshot_at": now,
        "voting_ends_at": now + timedelta(days=days_left),
        **changes,
    }


def test_the_governance_journey_opens_reminds_and_reports(
    api: ApiClient, app_runtime: LocalRuntime, smtp_server: SmtpServer
) -> None:
    voter = api.user("voter")
    now = app_runtime.platform.clock.now()
    events = app_runtime.platform.events
    events.publish(new_event(ProposalCreated(**_proposal(now, 8, state="pending")), source="t"))
    events.publish(new_event(ProposalVotingStarted(**_proposal(now, 3)), source="t"))
    app_runtime.dispatcher.drain()
    opened = finish(app_runtime, "governance-7-opened")
    assert opened == {
        "opened": opened["opened"],
        "reminded": opened["reminded"],
        "result": 0,
        "impact": 0,
    }
    assert opened["opened"] >= 1 and opened["reminded"] >= 1

    decided = _proposal(
        now,
        0,
        state="succeeded",
        votes_for="1200.000000",
        votes_against="300.000000",
        quorum_reached=True,
    )
    events.publish(new_event(ProposalSucceeded(**decided), source="t"))
    events.publish(new_event(ProposalQueued(**{**decided, "state": "queued"}), source="t"))
    app_runtime.dispatcher.drain()
    finish(app_runtime, "governance-7-result")

    mails = smtp_server.of_type(voter.email, "governance")
    assert [m["Subject"] for m in mails] == [
        "New proposal: Raise the inflation target to 2.5 %",
        "Voting closes soon: Raise the inflation target to 2.5 %",
        "Proposal succeeded: Raise the inflation target to 2.5 %",
    ]
    assert all(parseaddr(m["From"])[1] == "governance@013a.tech" for m in mails)
    text = mails[-1].get_body(("plain",)).get_content()
    assert "For: 1,200" in text and "Quorum reached" in text
    assert "https://app.013a.tech/governance/proposals/7" in text


def test_every_proposal_gets_its_new_proposal_mail_even_a_vote_no_check_saw_open(
    api: ApiClient, app_runtime: LocalRuntime, smtp_server: SmtpServer, clock: ManualClock
) -> None:
    """The scheduled check runs every five minutes; a one-minute vote (the README's local
    recipe) opens and closes between two checks. The mail still goes out: it starts
    from the proposal's creation."""
    proposer, reader = api.user("proposer"), api.user("reader")
    app_runtime.features.ledger.mint(
        Token.AIA_GOV, to_minor("5000"), "fund-proposer", "test", to_user=proposer.user_id
    )
    assert (
        proposer.post("/v1/governance/delegate", json={"to": proposer.user_id}).status_code == 200
    )
    made = proposer.post(
        "/v1/governance/proposals",
        json={
            "title": "Raise the inflation target",
            "description": "To 3 %.",
            "actions": [{"type": "inflation_target", "inflation_target": 0.03}],
        },
    )
    assert made.status_code == 201, made.get_data(as_text=True)
    proposal_id = made.json["id"]
    app_runtime.dispatcher.drain()  # events are delivered as they happen
    clock.advance(9 * 86_400)  # past the default one-day delay and seven-day vote
    app_runtime.features.governance.advance()  # the first check sees it decided
    app_runtime.dispatcher.drain()
    finish(app_runtime, f"governance-{proposal_id}-opened")
    finish(app_runtime, f"governance-{proposal_id}-result")
    subjects = [m["Subject"] for m in smtp_server.of_type(reader.email, "governance")]
    # (the reminder's wait runs in scaled workflow time, not on this test's clock)
    assert subjects.count("New proposal: Raise the inflation target") == 1
    assert "Proposal defeated: Raise the inflation target" in subjects
    [opened] = [m for m in smtp_server.of_type(reader.email, "governance") if "New" in m["Subject"]]
    text = opened.get_body(("plain",)).get_content()
    assert "Voting opens " in text and " and closes " in text
    # the result says why, with the numbers (5,000 AIA_GOV circulate: quorum 500)
    [result] = [
        m for m in smtp_server.of_type(reader.email, "governance") if "defeated" in m["Subject"]
    ]
    assert (
        "Failed: quorum not reached (0 AIA_GOV cast of 500 AIA_GOV needed"
        in result.get_body(("plain",)).get_content()
    )


def test_no_reminder_once_the_vote_is_decided(
    api: ApiClient, app_runtime: LocalRuntime, smtp_server: SmtpServer
) -> None:
    voter = api.user("voter")
    now = app_runtime.platform.clock.now()
    events = app_runtime.platform.events
    # the reminder is due after 9 (scaled) days; the proposal is canceled at once
    events.publish(new_event(ProposalVotingStarted(**_proposal(now, 10)), source="t"))
    events.publish(
        new_event(
            ProposalCanceled(**_proposal(now, 10, state="canceled"), canceled_by="u-1"), source="t"
        )
    )
    app_runtime.dispatcher.drain()
    finish(app_runtime, "governance-7-result")
    assert finish(app_runtime, "governance-7-opened")["reminded"] == 0
    subjects = [m["Subject"] for m in smtp_server.of_type(voter.email, "governance")]
    assert sorted(subjects) == sorted(
        [
            "New proposal: Raise the inflation target to 2.5 %",
            "Proposal canceled: Raise the inflation target to 2.5 %",
        ]
    )


def test_a_completed_venture_report_is_emailed_to_its_owner(
    api: ApiClient, app_runtime: LocalRuntime, smtp_server: SmtpServer
) -> None:
    owner = api.user("founder")
    event = new_event(
        VentureReportCompleted(
            report_id="rep-1",
            owner_id=owner.user_id,
            title="Solar micro-grids, Kenya",
            sector="energy",
            region="africa",
            tam_usd=2.5e9,
            som_usd=4e7,
            effort_person_months=38.5,
            cost_usd=610_000,
            summary="A viable niche.",
            requested_at="2026-11-01T10:00:00Z",
            completed_at="2026-11-01T10:05:00Z",
        ),
        source="test",
    )
    app_runtime.platform.events.publish(event)
    app_runtime.dispatcher.drain()
    [mail] = smtp_server.of_type(owner.email, "report")
    assert parseaddr(mail["From"])[1] == "reports@013a.tech"
    assert mail["Subject"] == "Your venture report is ready: Solar micro-grids, Kenya"
    text = mail.get_body(("plain",)).get_content()
    assert "https://app.013a.tech/venture/reports/rep-1" in text and "$2,500,000,000" in text


def test_the_starter_ignores_what_it_has_no_journey_for() -> None:
    now = datetime.now(UTC)
    assert plan_for(EventFacts("tech.013a.ledger.day.closed", "e", now, {})) is None
    reset = plan_for(
        EventFacts(
            "tech.013a.user.password_reset_requested",
            "e9",
            now,
            {
                "user_id": "u",
                "email": "u@example.com",
                "name": "U",
                "reset_url": "https://app.013a.tech/r?t=x",
                "expires_at": now.isoformat(),
            },
        )
    )
    assert isinstance(reset, SendNow) and reset.request.journey == "password-reset-e9"
    late = plan_for(
        EventFacts(
            "tech.013a.governance.proposal.voting_started",
            "e",
            now,
            {"id": "p", "title": "T", "voting_ends_at": (now + timedelta(hours=5)).isoformat()},
        )
    )
    assert isinstance(late, StartWorkflow) and late.argument["reminder_in_seconds"] == 0
    created = plan_for(
        EventFacts(
            "tech.013a.governance.proposal.created",
            "e",
            now,
            {
                "id": "p",
                "title": "T",
                "snapshot_at": (now + timedelta(days=1)).isoformat(),
                "voting_ends_at": (now + timedelta(days=8)).isoformat(),
            },
        )
    )
    # every proposal is announced when made, by the execution voting_started would start
    assert isinstance(created, StartWorkflow) and created.execution_id == late.execution_id
    assert created.argument["reminder_in_seconds"] == 7 * 86_400
    assert created.argument["context"]["voting_opens_at"].startswith(
        (now + timedelta(days=1)).date().isoformat()
    )
    for state in ("voting_ends_soon", "queued", "executed", "expired"):
        facts = EventFacts(f"tech.013a.governance.proposal.{state}", "e", now, {"id": "p"})
        assert plan_for(facts) is None
