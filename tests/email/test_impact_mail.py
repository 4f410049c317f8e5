"""The impact preview's mail: when a proposal's preview is ready, the governance journey
mails its audience a follow-up to the new-proposal mail, from governance@, once, and
not to whoever turned governance mail off."""

from __future__ import annotations

from email.utils import parseaddr

from shared.events.envelope import new_event
from shared.runtime.local import LocalRuntime
from shared.simulation.events import ImpactHeadline, ImpactPreviewReady
from tests.email.smtp_server import SmtpServer
from tests.email.test_journeys import finish
from tests.support.api import ApiClient

READY = ImpactPreviewReady(
    proposal_id="7",
    title="A basic income of a fifth of the average wage",
    seeds=3,
    headlines=[
        ImpactHeadline(
            title="Unemployment", unit="percentage points", mean=0.41, low=0.2, high=0.63
        ),
        ImpactHeadline(
            title="Public debt", unit="percentage points of GDP", mean=12.5, low=9.0, high=15.1
        ),
    ],
)


def test_voters_get_the_impact_once_from_governance(
    api: ApiClient, app_runtime: LocalRuntime, smtp_server: SmtpServer
) -> None:
    voter, quiet = api.user("voter"), api.user("quiet")
    assert (
        quiet.put("/v1/emails/preferences", json={"categories": {"governance": False}}).status_code
        == 200
    )
    event = new_event(READY, source="test")
    for _ in range(2):  # delivered twice (at least once)
        app_runtime.platform.events.publish(event)
        app_runtime.dispatcher.drain()
    result = finish(app_runtime, "governance-7-impact")
    assert result["impact"] >= 1

    [mail] = smtp_server.of_type(voter.email, "governance")
    assert mail["Subject"] == "What the model expects: " + READY.title
    assert parseaddr(mail["From"])[1] == "governance@013a.tech"
    text = mail.get_body(("plain",)).get_content()
    assert "Unemployment: +0.41 (+0.20 to +0.63) percentage points" in text
    assert "over 3 random seeds" in text
    assert "https://app.013a.tech/governance/proposals/7" in text
    html = mail.get_body(("html",)).get_content()
    assert "<caption>Effect after 10 years (with the change minus without)</caption>" in html
    assert smtp_server.of_type(quiet.email, "governance") == []
