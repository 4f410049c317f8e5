"""Issue 15: under `make run` every link in every email points at the local server (no
base URL configured), and every linked path answers 200 with a page of the web app.
Real journeys send the mail (welcome, tips, password reset, venture report,
governance); the operators' preview renders every template."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import requests

from shared.agents.weeks import week_of
from tests.support.serve import ROOT, mail_to, wait_until
from tests.venture.conftest import report_body
from tests.web.conftest import ADMIN, PASSWORD, Site, links_in


def all_links(site: Site, address: str) -> list[str]:
    found = []
    for message in mail_to(site.data_dir, address):
        for kind in ("plain", "html"):
            part = message.get_body(preferencelist=(kind,))
            assert part is not None
            found += links_in(part.get_content())
    return found


def answers_with_a_page(site: Site, url: str) -> None:
    reply = site.api("GET", url.removeprefix(site.base) or "/")
    assert reply.status_code == 200, f"{url}: {reply.status_code}"
    assert reply.headers["Content-Type"].startswith("text/html"), url
    assert reply.text.count("<h1") == 1, url


def test_every_link_in_every_email_opens_a_page_of_this_server(site: Site) -> None:
    admin = site.login(*ADMIN)
    email, user_id = site.register("eve")
    for token, amount in (("AIA", "100"), ("AIA_GOV", "5000")):
        minted = site.api(
            "POST",
            "/v1/admin/mint",
            admin,
            json={"user_id": user_id, "token": token, "amount": amount, "reason": "test"},
        )
        assert minted.status_code == 201, minted.text
    assert site.api("POST", "/v1/auth/password-reset", json={"email": email}).status_code == 202
    token = site.login(email)
    report = site.api("POST", "/v1/venture/reports", token, json=report_body())
    assert report.status_code == 202, report.text
    assert site.api("POST", "/v1/governance/delegate", token, json={"to": user_id}).ok
    proposal = site.api(
        "POST",
        "/v1/governance/proposals",
        token,
        json={
            "title": "Lower the bottom tax rate",
            "description": "A first try of governance.",
            "actions": [{"type": "taylor_rule", "smoothing": 0.5}],
        },
    ).json()
    # voting opens a day after the proposal: its event is published as the clock would
    now = datetime.now(UTC)
    opened = {
        "proposal_id": str(proposal["id"]),
        "title": proposal["title"],
        "summary": proposal["description"],
        "proposer_id": user_id,
        "state": "Active",
        "snapshot_at": now.isoformat(),
        "voting_ends_at": (now + timedelta(days=7)).isoformat(),
    }
    voting_started = "tech.013a.governance.proposal.voting_started"
    subprocess.run(
        [sys.executable, "-m", "shared.cli", "publish", voting_started, json.dumps(opened)],
        cwd=ROOT,
        env={"AIA_DATA_DIR": str(site.data_dir), "PATH": "/usr/bin:/bin"},
        check=True,
    )

    # (no nudge: eve used the platform; the nudge's one link is the tips' workspace link)
    subjects = ("Welcome", "Three ways", "Reset", "Your venture", "New proposal")

    def all_arrived() -> bool:
        got = [str(m["Subject"]) for m in mail_to(site.data_dir, email)]
        return all(any(s.startswith(p) or p in s for s in got) for p in subjects)

    try:
        wait_until(all_arrived, 60)
    except AssertionError:
        got = [str(m["Subject"]) for m in mail_to(site.data_dir, email)]
        raise AssertionError(f"mail to {email}: {got}") from None
    links = all_links(site, email)
    paths = {urlsplit(u).path or "/" for u in links}
    for expected in (
        "/",
        "/verify-email",
        "/reset-password",
        "/settings/email",
        f"/venture/reports/{report.json()['id']}",
        f"/governance/proposals/{proposal['id']}",
        "/v1/emails/unsubscribe",
    ):
        assert expected in paths, (expected, sorted(paths))
    for url in links:
        assert url == site.base or url.startswith(site.base + "/"), url
    for url in set(links):
        answers_with_a_page(site, url)

    # every template, as operators preview it, links to this server too
    names = [t["name"] for t in site.api("GET", "/v1/emails/templates", admin).json()["templates"]]
    assert len(names) == 8
    for name in names:
        preview = site.api("GET", f"/v1/emails/templates/{name}/preview", admin).json()
        for url in links_in(preview["text"]) + links_in(preview["html"]):
            assert url == site.base or url.startswith(site.base + "/"), (name, url)


def test_the_economic_update_and_the_agents_report_link_to_pages(site: Site) -> None:
    """The two emails sent on a schedule (not by a user's action): the monthly economic
    update links to /economy, the weekly agent report to /agents?week=..."""
    email, _ = site.register("olga")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "shared.cli",
            "publish",
            "tech.013a.simulation.economic_report.due",
            json.dumps({}),
        ],
        cwd=ROOT,
        env={"AIA_DATA_DIR": str(site.data_dir), "PATH": "/usr/bin:/bin"},
        check=True,
    )

    def update_arrived() -> bool:
        return any("economy" in str(m["Subject"]) for m in mail_to(site.data_dir, email))

    wait_until(update_arrived, 60)
    links = all_links(site, email)
    assert site.base + "/economy" in links, sorted(set(links))
    for url in set(links):
        answers_with_a_page(site, url)
    economy = site.api("GET", "/economy")
    assert "Policy in force" in economy.text and "Inflation target" in economy.text

    # the agents' report link, as shared.agents.report builds it: signed out, the page
    # asks for sign-in and comes back to it
    answers_with_a_page(site, site.base + "/agents?week=2026-W44")
    assert "Sign in" in site.api("GET", "/agents?week=2026-W44").text


def publish(site: Site, event_type: str, data: dict[str, object]) -> None:
    subprocess.run(
        [sys.executable, "-m", "shared.cli", "publish", event_type, json.dumps(data)],
        cwd=ROOT,
        env={"AIA_DATA_DIR": str(site.data_dir), "PATH": "/usr/bin:/bin"},
        check=True,
    )


def signed_in(site: Site, email: str) -> requests.Session:
    """A browser's session: the sign-in form with its CSRF token, then the cookie."""
    browser = requests.Session()
    form = browser.get(site.base + "/sign-in", timeout=30).text
    [csrf] = re.findall(r'name="csrf_token" value="([^"]+)"', form)
    fields = {"email": email, "password": PASSWORD, "csrf_token": csrf, "next": "/"}
    assert browser.post(site.base + "/sign-in", data=fields, timeout=30).ok
    assert "aia_session" in browser.cookies
    return browser


def test_the_weekly_agent_report_links_to_the_weeks_page(site: Site) -> None:
    """The weekly agent report, sent by its workflow for an owner whose agent worked this
    week: every link is on this server, the chart link answers the SVG, and the week's
    page shows the signed-in owner what the email summarises."""
    email, owner_id = site.register("otto")
    welcome = site.mail(email, "Welcome to AIA")
    [verify] = [u for u in links_in(welcome) if "/verify-email?token=" in u]
    token = verify.split("token=")[1]
    assert site.api("POST", "/v1/auth/verify-email", json={"token": token}).ok
    access = site.login(email)
    body = {"name": "Ledger Scout", "capabilities": ["analysis"], "model_provider": "anthropic"}
    agent = site.api("POST", "/v1/agents", access, json=body)
    assert agent.status_code == 201, agent.text
    measures = {"accuracy": 0.9, "completeness": 0.9, "timeliness": 1.0, "quality": 0.8}
    for n in range(2):
        task = {"agent_id": agent.json()["agent_id"], "owner_id": owner_id, "cost": 0.1,
                "task_id": f"scout-{n}", "task_type": "analysis", **measures}  # fmt: skip
        publish(site, "tech.013a.agent.task.completed", task)
    week = week_of(datetime.now(UTC).date())
    publish(site, "tech.013a.agent.report.due", {"week": week})
    text = site.mail(email, f"Agent performance {week}", timeout=60)
    assert "completed 2 tasks" in text, text

    links = all_links(site, email)
    assert f"{site.base}/agents?week={week}" in links, sorted(set(links))
    [chart] = {u for u in links if u.endswith("/chart.svg")}
    for url in set(links):
        assert url == site.base or url.startswith(site.base + "/"), url
        if url == chart:
            svg = site.api("GET", url.removeprefix(site.base))
            assert svg.status_code == 200 and svg.headers["Content-Type"].startswith("image/svg")
        else:
            answers_with_a_page(site, url)
    page = signed_in(site, email).get(f"{site.base}/agents?week={week}", timeout=30)
    assert page.status_code == 200 and f"Your agents, {week}" in page.text
    row = re.search(r'<tr><td><a href="/agents/\w+">Ledger Scout</a></td>(.*?)</tr>', page.text)
    assert row is not None, page.text
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", row.group(1))
    assert cells[2] == "2", cells  # the two tasks the email counted


def test_every_preview_links_to_pages_that_exist(site: Site) -> None:
    """What operators preview is what users get: the sample links of the report,
    economic and governance templates are real paths of the web app."""
    admin = site.login(*ADMIN)
    names = [t["name"] for t in site.api("GET", "/v1/emails/templates", admin).json()["templates"]]
    opened = set()
    for name in names:
        preview = site.api("GET", f"/v1/emails/templates/{name}/preview", admin).json()
        for url in links_in(preview["text"]) + links_in(preview["html"]):
            path = urlsplit(url).path
            if path.startswith(("/economy", "/agents", "/governance/proposals/")):
                answers_with_a_page(site, url)
                opened.add(path.split("/")[1])
    assert opened == {"economy", "agents", "governance"}, opened
