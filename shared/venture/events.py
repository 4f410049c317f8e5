from __future__ import annotations

from pydantic import Field

from shared.events.envelope import EventData


class VentureReportCompleted(EventData, event_type="tech.013a.venture.report.completed"):
    """A full venture report is stored and readable at `GET /v1/venture/reports/{id}`.
    The email feature sends it from reports@; usage statistics count it."""

    report_id: str
    owner_id: str
    title: str
    sector: str
    region: str
    tam_usd: float
    som_usd: float
    effort_person_months: float
    cost_usd: float
    summary: str = Field(max_length=4000)
    requested_at: str
    completed_at: str

    def subject(self) -> str:
        return f"venture-reports/{self.report_id}"
