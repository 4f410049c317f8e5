"""Every email type renders from its packaged templates: responsive HTML with the CSS
inlined and a plain-text part, escaped context, links that cannot be scripts, and a
sandbox that keeps template code away from Python internals."""

from __future__ import annotations

import re

import pytest
from jinja2.exceptions import SecurityError
from pydantic import ValidationError

from shared.email.contexts import SystemNotificationContext
from shared.email.render import Links, Recipient, Rendered, environment, render
from shared.email.types import SPECS, EmailSpec, EmailType, spec_for

RECIPIENT = Recipient("ada@example.com", "Ada")
UNSUBSCRIBE = "https://api.013a.tech/v1/emails/unsubscribe?token=t0ken"


def render_sample(spec: EmailSpec, context: object = None) -> Rendered:
    links = Links(
        "https://app.013a.tech",
        "https://app.013a.tech/settings/email",
        None if spec.transactional else UNSUBSCRIBE,
    )
    return render(
        spec,
        context or spec.sample,  # type: ignore[arg-type]
        recipient=RECIPIENT,
        links=links,
        sender_name=spec.display_name,
        domain="013a.tech",
    )


# what each type must say, so a template that renders the wrong thing fails
KEY_PHRASES = {
    EmailType.WELCOME: ("Welcome, Ada", "Open your workspace"),
    EmailType.PASSWORD_RESET: ("Reset your password", "reset-password?token=sample-token"),
    EmailType.SECURITY_ALERT: ("New API key created", "203.0.113.7"),
    EmailType.SYSTEM_NOTIFICATION: ("Your simulation finished", "Open the results"),
    EmailType.REPORT: ("market-analyst", "160.50 AIA"),
    EmailType.ECONOMIC_UPDATE: ("October 2026", "Unemployment"),
    EmailType.GOVERNANCE: ("Lower the top income tax bracket", "Cast your vote"),
    EmailType.SYSTEM_ALERT: ("[CRITICAL]", "Open the runbook"),
}


def test_there_are_eight_types_each_from_its_role_mailbox() -> None:
    senders = {t.value: spec_for(t).sender("013a.tech") for t in EmailType}
    assert senders == {
        "welcome": "hello@013a.tech",
        "password_reset": "security@013a.tech",
        "security_alert": "security@013a.tech",
        "system_notification": "notifications@013a.tech",
        "report": "reports@013a.tech",
        "economic_update": "economics@013a.tech",
        "governance": "governance@013a.tech",
        "system_alert": "alerts@013a.tech",
    }
    assert [t for t in EmailType if spec_for(t).transactional] == [
        EmailType.PASSWORD_RESET,
        EmailType.SECURITY_ALERT,
    ]


@pytest.mark.parametrize("email_type", list(EmailType))
def test_each_type_renders_html_with_inlined_css_and_a_text_part(email_type: EmailType) -> None:
    spec = SPECS[email_type]
    out = render_sample(spec)

    assert out.subject and "\n" not in out.subject
    for phrase in KEY_PHRASES[email_type]:
        assert phrase in out.html, phrase
        assert phrase in out.text, phrase
    # CSS inlined: the layout's rules are on the elements, only media queries stay
    assert 'style="' in out.html and "max-width: 600px" in out.html
    [style] = re.findall(r"<style>(.*?)</style>", out.html, re.S)
    assert style.strip().startswith("@media") and ".content" not in style.split("{")[0]
    assert 'name="viewport"' in out.html  # responsive
    assert "<" not in out.text.replace("<ada@", "").replace("<" + spec.sender("013a.tech"), "")
    assert ("Unsubscribe" in out.html) is (not spec.transactional)
    assert (UNSUBSCRIBE in out.text) is (not spec.transactional)


def test_context_is_escaped_in_html_and_verbatim_in_text() -> None:
    spec = SPECS[EmailType.SYSTEM_NOTIFICATION]
    context = SystemNotificationContext(title="Hi <b>there</b>", message="<script>x()</script>")
    out = render_sample(spec, context)
    assert "<script>" not in out.html and "&lt;script&gt;x()&lt;/script&gt;" in out.html
    assert "<script>x()</script>" in out.text
    assert out.subject == "Hi <b>there</b>"  # a header, not markup


def test_links_must_be_https() -> None:
    with pytest.raises(ValidationError, match="https"):
        SystemNotificationContext(title="t", message="m", action_url="javascript:alert(1)")
    with pytest.raises(ValidationError, match="https"):
        SystemNotificationContext(title="t", message="m", action_url="http://evil.example")
    ok = SystemNotificationContext(title="t", message="m", action_url="http://127.0.0.1:8080/x")
    assert ok.action_url == "http://127.0.0.1:8080/x"


def test_unknown_context_fields_are_rejected() -> None:
    with pytest.raises(ValidationError, match="extra"):
        SPECS[EmailType.WELCOME].context.model_validate({"stage": "welcome", "nmae": "x"})


def test_the_template_sandbox_refuses_python_internals() -> None:
    env = environment()
    with pytest.raises(SecurityError):
        env.from_string("{{ ''.__class__.__mro__[1].__subclasses__() }}").render()


def test_a_subject_cannot_smuggle_headers() -> None:
    spec = SPECS[EmailType.SYSTEM_NOTIFICATION]
    context = SystemNotificationContext(title="Hello\r\nBcc: victim@example.com", message="m")
    assert render_sample(spec, context).subject == "Hello Bcc: victim@example.com"
