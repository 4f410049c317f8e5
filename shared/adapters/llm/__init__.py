"""LLM provider adapters for the venture report's summary, chosen by settings
(`AIA_VENTURE_LLM_PROVIDER`), with the key read through the platform's secrets port
(Secret Manager in production; `OPENAI_API_KEY` and friends locally)."""

from __future__ import annotations

from shared.adapters.llm.anthropic import AnthropicMessages
from shared.adapters.llm.huggingface import TextGeneration
from shared.adapters.llm.openai_compatible import ChatCompletions
from shared.ports.secrets import SecretNotFound, Secrets
from shared.settings import Settings
from shared.venture.narrative import TextGenerator

# provider -> (secret name, default base URL, default model)
PROVIDERS: dict[str, tuple[str, str, str]] = {
    "openai": ("openai-api-key", "https://api.openai.com/v1", "gpt-4o-mini"),
    "anthropic": ("anthropic-api-key", "https://api.anthropic.com", "claude-3-5-haiku-latest"),
    "xai": ("xai-api-key", "https://api.x.ai/v1", "grok-2-latest"),
    "groq": ("groq-api-key", "https://api.groq.com/openai/v1", "llama-3.1-8b-instant"),
    "huggingface": (
        "huggingface-api-token",
        "https://router.huggingface.co/hf-inference",
        "mistralai/Mistral-7B-Instruct-v0.3",
    ),
}


def text_generator(settings: Settings, secrets: Secrets) -> tuple[TextGenerator | None, str]:
    """The configured generator, or None and the reason there is none."""
    provider = settings.venture_llm_provider
    if provider == "none":
        return None, "no LLM provider configured (AIA_VENTURE_LLM_PROVIDER)"
    secret, default_url, default_model = PROVIDERS[provider]
    try:
        key = secrets.get(secret)
    except SecretNotFound:
        return None, f"no API key for {provider} (secret {secret})"
    base = settings.venture_llm_base_url or default_url
    model = settings.venture_llm_model or default_model
    timeout, retries = settings.venture_llm_timeout_seconds, settings.venture_llm_max_retries
    if provider == "anthropic":
        return AnthropicMessages(
            base_url=base, api_key=key, model=model, timeout=timeout, max_retries=retries
        ), ""
    if provider == "huggingface":
        return TextGeneration(
            base_url=base, api_key=key, model=model, timeout=timeout, max_retries=retries
        ), ""
    return ChatCompletions(
        provider,
        base_url=base,
        api_key=key,
        model=model,
        timeout=timeout,
        max_retries=retries,
        # xAI documents max_tokens; OpenAI and Groq have moved to max_completion_tokens
        max_tokens_field="max_tokens" if provider == "xai" else "max_completion_tokens",
    ), ""
