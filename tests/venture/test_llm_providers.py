"""The optional LLM summary: each provider adapter against a local stand-in of its
published API, retries, timeouts, the token budget, and the template without a key."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from shared.adapters.llm import text_generator
from shared.adapters.local.secrets import EnvironmentSecrets
from shared.settings import Settings
from shared.venture.narrative import template_summary, write_narrative
from shared.venture.report_answer import ReportSections
from tests.venture.llm_standin import KEY, SUMMARY, StandIn, llm_standin

# provider -> (secret env var, base path on the stand-in, request path, token-limit field)
PROVIDERS = {
    "openai": ("OPENAI_API_KEY", "/v1", "/v1/chat/completions", "max_completion_tokens"),
    "xai": ("XAI_API_KEY", "/v1", "/v1/chat/completions", "max_tokens"),
    "groq": ("GROQ_API_KEY", "/openai/v1", "/openai/v1/chat/completions", "max_completion_tokens"),
    "anthropic": ("ANTHROPIC_API_KEY", "", "/v1/messages", "max_tokens"),
    "huggingface": (
        "HUGGINGFACE_API_TOKEN",
        "/hf-inference",
        "/hf-inference/models/tiny/model",
        None,
    ),
}


@pytest.fixture
def standin() -> Iterator[StandIn]:
    with llm_standin() as server:
        yield server


@pytest.fixture(scope="module")
def report() -> ReportSections:
    """A real assembled report's parts, computed by the domain code."""
    from datetime import date

    from shared.ports.stack_advice import UnavailableStackAdvisor
    from shared.venture.blueprint import MvpBlueprintRequest, build_blueprint
    from shared.venture.competition import CompetitiveLandscapeRequest, analyse_landscape
    from shared.venture.market import MarketAnalysisRequest, analyse_market
    from shared.venture.resources import ResourcePlanRequest, plan_resources
    from shared.venture.sectors import builtin_catalog
    from tests.venture.conftest import BLUEPRINT, COMPETITION, MARKET

    return ReportSections(
        title="Acme forecasting",
        requested_at="2026-01-01T00:00:00+00:00",
        market=analyse_market(
            MarketAnalysisRequest.model_validate(MARKET), builtin_catalog(), 2026
        ),
        competition=analyse_landscape(CompetitiveLandscapeRequest.model_validate(COMPETITION)),
        blueprint=build_blueprint(
            MvpBlueprintRequest.model_validate(BLUEPRINT), UnavailableStackAdvisor()
        ),
        resources=plan_resources(
            ResourcePlanRequest.model_validate({**BLUEPRINT, "funding_usd": 1e6}), date(2026, 1, 1)
        ),
    )


def configured(provider: str, standin: StandIn, **extra: Any) -> tuple[Any, str]:
    env, base, _, _ = PROVIDERS[provider]
    settings = Settings(
        venture_llm_provider=provider,
        venture_llm_model="tiny/model",
        venture_llm_base_url=standin.url + base,
        venture_llm_timeout_seconds=extra.pop("timeout", 2),
        venture_llm_max_retries=extra.pop("retries", 2),
        **extra,
    )
    return text_generator(settings, EnvironmentSecrets({env: extra.pop("key", KEY)}))


def summarise(
    generator: Any, report: ReportSections, budget: int = 3000, output: int = 600
) -> dict[str, Any]:
    narrative = write_narrative(report, generator, token_budget=budget, max_output_tokens=output)
    return narrative.model_dump(mode="json")  # as a report stores it


@pytest.mark.parametrize("provider", sorted(PROVIDERS))
def test_each_provider_writes_the_summary_in_its_api_shape(
    provider: str, standin: StandIn, report: ReportSections
) -> None:
    generator, reason = configured(provider, standin)
    assert generator is not None, reason
    result = summarise(generator, report)
    assert result["source"] == "llm", result
    assert (result["text"], result["provider"], result["model"]) == (
        SUMMARY,
        provider,
        "tiny/model",
    )
    assert result["input_tokens"] > 0 and result["output_tokens"] > 0
    [sent] = standin.requests
    _, _, path, limit_field = PROVIDERS[provider]
    assert sent["path"] == path
    prompt = sent["body"]["inputs"] if provider == "huggingface" else str(sent["body"])
    assert "TAM" in prompt and "COCOMO" in prompt  # the report's facts, not invented ones
    if limit_field:
        assert sent["body"][limit_field] == 600
    else:
        assert sent["body"]["parameters"]["max_new_tokens"] == 600


def test_throttling_and_server_errors_are_retried(standin: StandIn, report: ReportSections) -> None:
    standin.script = [503, 429]
    generator, _ = configured("openai", standin, retries=2)
    result = summarise(generator, report)
    assert result["source"] == "llm"
    assert len(standin.requests) == 3


def test_retries_are_bounded_then_the_template_is_used(
    standin: StandIn, report: ReportSections
) -> None:
    standin.script = [503, 503, 503, 503]
    generator, _ = configured("anthropic", standin, retries=1)
    result = summarise(generator, report)
    assert len(standin.requests) == 2
    assert result["source"] == "template" and "HTTP 503" in result["reason"]
    assert result["text"] == template_summary(report)


def test_a_bad_key_is_not_retried(standin: StandIn, report: ReportSections) -> None:
    generator, _ = configured("groq", standin, key="wrong")
    result = summarise(generator, report)
    assert len(standin.requests) == 1
    assert result["source"] == "template" and "HTTP 401" in result["reason"]


def test_a_slow_provider_times_out(standin: StandIn, report: ReportSections) -> None:
    standin.delay = 0.5
    generator, _ = configured("xai", standin, timeout=0.1, retries=0)
    result = summarise(generator, report)
    assert result["source"] == "template" and "timed out" in result["reason"]


def test_the_token_budget_bounds_prompt_and_answer(
    standin: StandIn, report: ReportSections
) -> None:
    generator, _ = configured("openai", standin)
    summarise(generator, report, budget=3000)
    summarise(generator, report, budget=300)
    full, small = (r["body"] for r in standin.requests)
    # half the budget is kept for the answer; the prompt gets the rest (4 chars per token)
    assert small["max_completion_tokens"] == 150
    prompt = small["messages"][0]["content"] + small["messages"][1]["content"]
    assert len(prompt) / 4 <= 150
    assert small["messages"][1]["content"].count("\n- ") < full["messages"][1]["content"].count(
        "\n- "
    )


def test_without_a_key_or_provider_the_summary_is_the_template(report: ReportSections) -> None:
    generator, reason = text_generator(
        Settings(venture_llm_provider="openai"), EnvironmentSecrets({})
    )
    assert generator is None and "no API key for openai" in reason
    none, why = text_generator(Settings(), EnvironmentSecrets({"OPENAI_API_KEY": KEY}))
    assert none is None and "no LLM provider configured" in why
    result = write_narrative(
        report, None, token_budget=3000, max_output_tokens=600, unavailable_reason=reason
    ).model_dump(mode="json")
    assert result["source"] == "template" and result["text"] == template_summary(report)
    assert template_summary(report) == template_summary(report)  # deterministic


def test_a_full_report_through_the_workflow_gets_the_llm_summary(
    settings: Settings, standin: StandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shared.adapters.local.clock import ManualClock
    from shared.bootstrap import install_features
    from shared.runtime.local import LocalRuntime
    from tests.conftest import ROOT
    from tests.support.api import ApiClient
    from tests.venture.conftest import report_body

    monkeypatch.setenv("OPENAI_API_KEY", KEY)  # the embedded secrets port reads the environment
    configured_settings = settings.model_copy(
        update={
            "venture_llm_provider": "openai",
            "venture_llm_base_url": standin.url + "/v1",
            "venture_llm_model": "tiny/model",
        }
    )
    runtime = LocalRuntime(configured_settings, ROOT, clock=ManualClock())
    try:
        alice = ApiClient(runtime.features).user("alice")
        report_id = alice.post("/v1/venture/reports", json=report_body()).json["id"]
        assert runtime.workflows is not None
        runtime.workflows.wait(f"venture-report-{report_id}", timeout=30)
        summary = alice.get(f"/v1/venture/reports/{report_id}").json["report"]["summary"]
    finally:
        runtime.stop()
        install_features(None)
    assert summary["source"] == "llm" and summary["text"] == SUMMARY
    assert summary["input_tokens"] == 321 and summary["output_tokens"] == 17
    assert len(standin.requests) == 1
