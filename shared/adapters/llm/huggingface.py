"""Hugging Face's text-generation task API (HF Inference and text-generation-inference
endpoints): POST {base}/models/{model} with {"inputs", "parameters": {"max_new_tokens",
"return_full_text"}}; the answer is [{"generated_text": ...}]. It reports no token
counts, so they are estimated."""

from __future__ import annotations

from typing import Any

from shared.adapters.llm.http import ProviderError, post_json
from shared.venture.narrative import Generation, estimate_tokens


class TextGeneration:
    provider = "huggingface"

    def __init__(
        self, *, base_url: str, api_key: str, model: str, timeout: float, max_retries: int
    ) -> None:
        self.model = model
        self._url = f"{base_url.rstrip('/')}/models/{model}"
        self._key = api_key
        self._timeout = timeout
        self._retries = max_retries

    def generate(self, system: str, prompt: str, max_output_tokens: int) -> Generation:
        inputs = f"{system}\n\n{prompt}\n\nSummary:"
        body = {
            "inputs": inputs,
            "parameters": {
                "max_new_tokens": max_output_tokens,
                "return_full_text": False,
                "temperature": 0.2,
            },
        }
        answer = post_json(
            self._url,
            {"Authorization": f"Bearer {self._key}"},
            body,
            timeout=self._timeout,
            max_retries=self._retries,
        )
        text = parse_generated_text(answer)
        return Generation(
            text=text,
            input_tokens=estimate_tokens(inputs),
            output_tokens=estimate_tokens(text),
        )


def parse_generated_text(answer: Any) -> str:
    if isinstance(answer, dict) and "error" in answer:
        raise ProviderError(f"provider error: {str(answer['error'])[:200]}")
    try:
        first = answer[0] if isinstance(answer, list) else answer
        return str(first["generated_text"])
    except (KeyError, IndexError, TypeError):
        raise ProviderError("unexpected text-generation shape") from None
