"""Reading JSON that users send. `json.loads` alone recurses once per nesting level (deep
input raises RecursionError, a 500), reads NaN, Infinity and 1e999 as floats no arithmetic
or JSON output survives, and keeps U+0000 and lone surrogates, which PostgreSQL and UTF-8
encoders refuse. `parse_json` refuses each of these as `UnreadableJson`, naming where,
and measures nesting before the decoder recurses."""

from __future__ import annotations

import json
import math
import re
from typing import Any

MAX_DEPTH = 32  # our deepest model nests 6 levels; free-form `context` maps get the rest

_LEXEME = r"""(?P<open>[\[{])|(?P<close>[\]}])|(?P<string>"(?:[^"\\]++|\\.)*+")|(?P<stray>")"""
_TOKENS = re.compile(_LEXEME, re.DOTALL)
_TOKENS_BYTES = re.compile(_LEXEME.encode(), re.DOTALL)
# only an escape can put U+0000 or a surrogate half into a decoded string
_SUSPECT = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")
_SUSPECT_BYTES = re.compile(_SUSPECT.pattern.encode())


class UnreadableJson(ValueError):
    """JSON refused before use. `path` is the dotted location ("" for the whole text),
    `code` a stable slug for clients."""

    def __init__(self, detail: str, *, code: str, path: str = "") -> None:
        super().__init__(f"{path}: {detail}" if path else detail)
        self.detail = detail
        self.code = code
        self.path = path


def parse_json(text: str | bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """The JSON value of `text`; `UnreadableJson` for input that parses but cannot be
    used safely, plain `ValueError` for input that is not JSON at all."""
    _check_depth(text, max_depth)
    odd: list[str] = []

    def number(literal: str) -> float:
        value = float(literal)
        if not math.isfinite(value):
            odd.append(literal)
        return value

    def constant(name: str) -> float:
        odd.append(name)
        return float(name)

    try:
        data = json.loads(text, parse_float=number, parse_constant=constant)
    except RecursionError:  # below max_depth only if the stack was nearly used up already
        raise _too_deep(max_depth) from None
    suspect = _SUSPECT_BYTES if isinstance(text, bytes) else _SUSPECT
    if odd or suspect.search(text):  # type: ignore[arg-type]  # pattern matches its input
        _check_values(data)
    return data


def _too_deep(max_depth: int) -> UnreadableJson:
    return UnreadableJson(f"nested deeper than {max_depth} levels", code="json_too_deep")


def _check_depth(text: str | bytes, max_depth: int) -> None:
    if isinstance(text, bytes):
        opens = text.count(b"[") + text.count(b"{")
        kinds = (t.lastgroup for t in _TOKENS_BYTES.finditer(text))
    else:
        opens = text.count("[") + text.count("{")
        kinds = (t.lastgroup for t in _TOKENS.finditer(text))
    if opens <= max_depth:
        return
    depth = 0
    for kind in kinds:
        if kind == "open":
            depth += 1
            if depth > max_depth:
                raise _too_deep(max_depth)
        elif kind == "close":
            depth -= 1
        elif kind == "stray":
            return  # an unterminated string: the decoder says so, without recursing


def _check_values(data: Any) -> None:
    """The first non-finite number, NUL or lone surrogate, in document order."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, float) and not math.isfinite(value):
            raise UnreadableJson(
                "is not a finite number (NaN, Infinity or beyond 1.8e308)",
                code="number_not_finite",
                path=path,
            )
        if isinstance(value, str):
            _check_text(value, path)
        elif isinstance(value, dict):
            for key in value:
                _check_text(key, path)
            stack.extend((_join(path, k), v) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend((_join(path, i), v) for i, v in reversed(list(enumerate(value))))


def _check_text(text: str, path: str) -> None:
    if "\x00" in text:
        raise UnreadableJson("contains a NUL character (\\u0000)", code="string_nul", path=path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise UnreadableJson(
            "contains a lone UTF-16 surrogate (not a character)",
            code="string_surrogate",
            path=path,
        ) from None


def _join(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)
