"""Assembles the venture feature: its ports, and the narrator of report summaries (the
LLM provider adapter chosen by settings, its key read through the secrets port)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shared.ports.secrets import Secrets
from shared.settings import Settings
from shared.venture.feature import Venture
from shared.venture.narrative import Narrative, Narrator, write_narrative
from shared.venture.report_answer import ReportSections

if TYPE_CHECKING:
    from shared.bootstrap.features import Features


def build_venture(features: Features) -> Venture:
    platform = features.platform
    return Venture(
        documents=platform.documents,
        events=platform.events,
        workflows=platform.workflows,
        clock=platform.clock,
        narrate=narrator(platform.settings, platform.secrets),
    )


def narrator(settings: Settings, secrets: Secrets) -> Narrator:
    def narrate(report: ReportSections) -> Narrative:
        from shared.adapters.llm import text_generator

        # chosen per report: a provider key added to the secrets later is used
        generator, reason = text_generator(settings, secrets)
        return write_narrative(
            report,
            generator,
            token_budget=settings.venture_llm_token_budget,
            max_output_tokens=settings.venture_llm_max_output_tokens,
            unavailable_reason=reason,
        )

    return narrate
