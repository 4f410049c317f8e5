"""OpenAI's Chat Completions API shape, also spoken by xAI and Groq:
POST {base}/chat/completions with a Bearer key; the answer is in
choices[0].message.content, token counts in usage."""

from __future__ import annotations

from typing import Any

from shared.adapters.llm.http import ProviderError, post_json
from shared.venture.narrative import Generation


class ChatCompletions:
    def __init__(
        self,
        provider: str,
        *,
        base_url: str,
        api_key: str,
        model: str,
        timeout: float,
        max_retries: int,
        max_tokens_field: str = "max_completion_tokens",
    ) -> None:
        self.provider = provider
        self.model = model
        self._url = base_url.rstrip("/") + "/chat/completions"
        self._key = api_key
        self._timeout = timeout
        self._retries = max_retries
        self._max_tokens_field = max_tokens_field

    def generate(self, system: str, prompt: str, max_output_tokens: int) -> Generation:
        body = {
            "model": self.model,
            "messages": [
                {"role": "system", "content": system},
                {"role": "user", "content": prompt},
            ],
            self._max_tokens_field: max_output_tokens,
            "temperature": 0.2,
        }
        answer = post_json(
            self._url,
            {"Authorization": f"Bearer {self._key}"},
            body,
            timeout=self._timeout,
            max_retries=self._retries,
        )
        return parse_chat_completion(answer)


def parse_chat_completion(answer: Any) -> Generation:
    try:
        choice = answer["choices"][0]
        text = choice["message"]["content"] or ""
        usage = answer.get("usage") or {}
        return Generation(
            text=str(text),
            input_tokens=int(usage.get("prompt_tokens", 0)),
            output_tokens=int(usage.get("completion_tokens", 0)),
            truncated=choice.get("finish_reason") == "length",
        )
    except (KeyError, IndexError, TypeError, ValueError):
        raise ProviderError("unexpected chat completion shape") from None
