"""Anthropic's Messages API: POST {base}/v1/messages with `x-api-key` and
`anthropic-version`; the answer is the text blocks of `content`, token counts in usage."""

from __future__ import annotations

from typing import Any

from shared.adapters.llm.http import ProviderError, post_json
from shared.venture.narrative import Generation

API_VERSION = "2023-06-01"


class AnthropicMessages:
    provider = "anthropic"

    def __init__(
        self, *, base_url: str, api_key: str, model: str, timeout: float, max_retries: int
    ) -> None:
        self.model = model
        self._url = base_url.rstrip("/") + "/v1/messages"
        self._key = api_key
        self._timeout = timeout
        self._retries = max_retries

    def generate(self, system: str, prompt: str, max_output_tokens: int) -> Generation:
        body = {
            "model": self.model,
            "max_tokens": max_output_tokens,
            "system": system,
            "messages": [{"role": "user", "content": prompt}],
            "temperature": 0.2,
        }
        headers = {"x-api-key": self._key, "anthropic-version": API_VERSION}
        answer = post_json(
            self._url, headers, body, timeout=self._timeout, max_retries=self._retries
        )
        return parse_message(answer)


def parse_message(answer: Any) -> Generation:
    try:
        text = "".join(b["text"] for b in answer["content"] if b.get("type") == "text")
        usage = answer.get("usage") or {}
        return Generation(
            text=text,
            input_tokens=int(usage.get("input_tokens", 0)),
            output_tokens=int(usage.get("output_tokens", 0)),
            truncated=answer.get("stop_reason") == "max_tokens",
        )
    except (KeyError, TypeError, ValueError):
        raise ProviderError("unexpected message shape") from None
