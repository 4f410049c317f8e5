"""Events the email feature defines because no other feature does yet.

`economy.report.ready` starts the monthly economic report journey. A monthly schedule in
the manifest publishes it with no figures (the email links to the dashboard); when the
simulation feature publishes it with the month's figures, they go into the email."""

from __future__ import annotations

from pydantic import Field

from shared.email.contexts import Figure
from shared.events.envelope import EventData


class EconomicReportReady(EventData, event_type="tech.013a.economy.report.ready"):
    period: str | None = Field(
        default=None, description="The month reported, YYYY-MM; default the month before"
    )
    headline: str | None = None
    figures: list[Figure] = Field(default_factory=list)
    highlights: list[str] = Field(default_factory=list)
    report_url: str | None = None
