"""The report's summary: a deterministic template, or an LLM-written one through a
`TextGenerator` (provider adapters live in `shared.adapters.llm`) within a token
budget. Any provider failure falls back to the template and says why."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol, TypeAlias

from pydantic import BaseModel, Field

from shared.api.absent import absent_when_none

if TYPE_CHECKING:  # the report holds a narrative; the narrative reads the report
    from shared.venture.report_answer import ReportSections

log = logging.getLogger("aia.venture")
CHARS_PER_TOKEN = 4  # rule of thumb for English text in BPE tokenisers; a budget estimate
SYSTEM_PROMPT = (
    "You are a venture analyst. Write a concise, factual executive summary (at most 200 "
    "words) of the venture report facts you are given. Use only those facts and figures; "
    "do not invent numbers. Plain prose, no headings."
)


@dataclass(frozen=True)
class Generation:
    text: str
    input_tokens: int
    output_tokens: int
    truncated: bool = False


class TextGenerator(Protocol):
    provider: str
    model: str

    def generate(self, system: str, prompt: str, max_output_tokens: int) -> Generation: ...


class GenerationFailed(Exception):
    """The provider could not produce a summary (after its retries)."""


def _llm_only(what: str) -> str:
    return f"{what}; absent for a template summary"


class Narrative(BaseModel):
    """A report's executive summary, and who wrote it."""

    text: str = Field(description="The summary, plain prose")
    source: Literal["template", "llm"] = Field(
        description="template: built from the figures; llm: written by a language model"
    )
    reason: str | None = Field(
        default=None,
        exclude_if=absent_when_none,
        description="Why the template was used (no LLM configured, or the provider's "
        "failure); absent for an LLM summary",
    )
    provider: str | None = Field(
        default=None, exclude_if=absent_when_none, description=_llm_only("The LLM provider")
    )
    model: str | None = Field(
        default=None, exclude_if=absent_when_none, description=_llm_only("The model used")
    )
    input_tokens: int | None = Field(
        default=None,
        exclude_if=absent_when_none,
        description=_llm_only("Tokens sent, as the provider counted them"),
    )
    output_tokens: int | None = Field(
        default=None,
        exclude_if=absent_when_none,
        description=_llm_only("Tokens received, as the provider counted them"),
    )
    token_budget: int | None = Field(
        default=None,
        exclude_if=absent_when_none,
        description=_llm_only("The token budget for prompt and answer together"),
    )
    truncated: bool | None = Field(
        default=None,
        exclude_if=absent_when_none,
        description=_llm_only("Whether the answer was cut at its token limit"),
    )


def estimate_tokens(text: str) -> int:
    return -(-len(text) // CHARS_PER_TOKEN)


def usd(value: float) -> str:
    for scale, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= scale:
            return f"${value / scale:,.1f}{suffix}"
    return f"${value:,.0f}"


def facts(report: ReportSections) -> list[str]:
    """The report's key figures as short sentences, most important first."""
    market, blueprint, resources = report.market, report.blueprint, report.resources
    sector = market.sector
    lines = [
        f"Venture: {report.title}.",
        f"Sector: {sector.name} ({sector.source.name}, {sector.source.year}); "
        f"region: {market.region}.",
        f"TAM {usd(market.tam)}, SAM {usd(market.sam)}, SOM {usd(market.som)} in "
        f"{market.base_year} (reconciled top-down and bottom-up).",
        f"Market growth {market.cagr_percent:g} % a year; SOM in "
        f"{market.projection[-1].year}: {usd(market.projection[-1].som)}.",
    ]
    competition = report.competition
    if competition:
        lines.append(
            f"Competition: HHI {competition.hhi:,.0f} ({competition.concentration} under "
            f"the 2023 US Merger Guidelines), CR4 {competition.cr4:g} %; Porter reading "
            f"{competition.five_forces.overall.reading}."
        )
        gaps = [g.detail for g in competition.white_space][:3]
        if gaps:
            lines.append("White space: " + "; ".join(gaps) + ".")
    musts = [f.name for f in blueprint.features if f.moscow == "must"]
    lines += [
        f"MVP: {blueprint.size.ksloc:g} KSLOC, COCOMO II effort "
        f"{blueprint.effort_person_months:g} person-months over "
        f"{blueprint.schedule_months:g} months; cost {usd(blueprint.cost_usd)} "
        f"({blueprint.cost.region} rates).",
        f"Stack: {', '.join(s.id for s in blueprint.stack)}.",
    ]
    if musts:
        lines.append("Must-have features: " + ", ".join(musts[:8]) + ".")
    runway = resources.runway_months
    lines.append(
        f"Team peaks at {resources.peak_people} people ({resources.peak_headcount} "
        f"full-time, {resources.peak_fte:g} FTE); plan cost "
        f"{usd(resources.total_cost_usd)} against funding {usd(resources.funding_usd)}"
        + (f"; runway {runway:g} months." if runway is not None else ".")
    )
    if resources.funding_gap_usd > 0:
        lines.append(f"Funding gap: {usd(resources.funding_gap_usd)}.")
    return lines


# Writes a report's summary (the composition root chooses the generator from settings).
# It reads the report's sections (the summary is not written yet).
Narrator: TypeAlias = Callable[["ReportSections"], Narrative]


def template_summary(report: ReportSections) -> str:
    return " ".join(facts(report))


def build_prompt(report: ReportSections, budget_tokens: int) -> str:
    """As many facts as fit in the prompt budget (most important first)."""
    header = "Venture report facts:\n"
    kept, used = [], estimate_tokens(SYSTEM_PROMPT + header)
    for line in facts(report):
        cost = estimate_tokens(line) + 1
        if used + cost > budget_tokens:
            break
        kept.append(f"- {line}")
        used += cost
    return header + "\n".join(kept)


def write_narrative(
    report: ReportSections,
    generator: TextGenerator | None,
    *,
    token_budget: int,
    max_output_tokens: int,
    unavailable_reason: str = "",
    on_usage: Callable[[Generation], None] | None = None,
) -> Narrative:
    template = template_summary(report)
    if generator is None:
        return Narrative(
            text=template, source="template", reason=unavailable_reason or "no LLM configured"
        )
    output_budget = min(max_output_tokens, token_budget // 2)
    prompt = build_prompt(report, token_budget - output_budget)
    try:
        generation = generator.generate(SYSTEM_PROMPT, prompt, output_budget)
    except GenerationFailed as exc:
        log.warning(
            "LLM summary failed; using the template", extra={"provider": generator.provider}
        )
        return Narrative(text=template, source="template", reason=f"{generator.provider}: {exc}")
    if on_usage:
        on_usage(generation)
    text = generation.text.strip()
    if not text:
        return Narrative(
            text=template, source="template", reason=f"{generator.provider}: empty answer"
        )
    return Narrative(
        text=text,
        source="llm",
        provider=generator.provider,
        model=generator.model,
        input_tokens=generation.input_tokens,
        output_tokens=generation.output_tokens,
        token_budget=token_budget,
        truncated=generation.truncated,
    )
