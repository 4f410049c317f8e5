"""Answers that leave a key out rather than send it as null: a field declared with
`exclude_if=absent_when_none` is dropped from the JSON when it holds None, so the
documented shape and the bytes sent agree with what clients have always read."""

from __future__ import annotations


def absent_when_none(value: object) -> bool:
    return value is None
