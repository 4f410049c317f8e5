"""The email preferences page (every email's footer links here): the same categories
the unsubscribe links name, saved through the email feature as `PUT
/v1/emails/preferences` does."""

from __future__ import annotations

from shared.email.choices import change_preferences
from shared.email.types import LOCKED_CATEGORIES, Category
from shared.errors import DomainError
from shared.web.account_pages import sign_in_first
from shared.web.render import render_page
from shared.web.spec import Page, PageReply, PageRequest

PATH = "/settings/email"
WHAT_EACH_IS = {
    Category.ONBOARDING: "Getting started: the welcome, tips and a reminder",
    Category.SECURITY: "Security: password resets and sign-in alerts (always sent)",
    Category.NOTIFICATIONS: "Notifications: your simulations and API keys",
    Category.REPORTS: "Reports: your venture reports and agents' weekly results",
    Category.ECONOMICS: "Economics: the flagship economy's monthly update",
    Category.GOVERNANCE: "Governance: proposals opening for votes and their results",
    Category.ALERTS: "Alerts: operator alerts about the platform",
}


def email_preferences(req: PageRequest) -> PageReply:
    if req.principal is None:
        return sign_in_first(req, PATH, "your email preferences")
    feature = req.features.email
    user_id = req.principal.user_id
    saved, error, status = False, None, 200
    if req.method == "POST":
        locked = {c.value for c in LOCKED_CATEGORIES}
        # an unticked checkbox is absent from the form: absent means off
        changes = {c.value: c.value in req.form for c in Category if c.value not in locked}
        try:
            change_preferences(feature, user_id, changes)
            saved = True
        except DomainError as exc:
            error, status = exc.detail, 400
    chosen = feature.preferences.of(user_id)
    rows = [
        {
            "name": c.value,
            "label": WHAT_EACH_IS[c],
            "on": chosen.get(c.value, True),
            "locked": c in LOCKED_CATEGORIES,
        }
        for c in Category
    ]
    html = render_page(
        "preferences.html.j2",
        title="Email preferences",
        rows=rows,
        saved=saved,
        error=error,
        section="email",
        user=req.principal,
        csrf_token=req.csrf_token,
    )
    return PageReply(html, status=status)


PAGES = [Page(PATH, email_preferences, ("GET", "POST"))]
