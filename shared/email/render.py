"""Rendering: Jinja2 in a sandbox with autoescape (HTML) from the templates shipped in
this package, CSS inlined into the HTML at render time (css-inline; media queries stay in
a <style> block for clients that honour them), a plain-text part from its own template."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import css_inline
from jinja2 import PackageLoader, StrictUndefined, select_autoescape
from jinja2.sandbox import SandboxedEnvironment

from shared.email.contexts import Context
from shared.email.types import EmailSpec

_ACCENTS = {
    "onboarding": "#2563eb",
    "security": "#b91c1c",
    "notifications": "#0f766e",
    "reports": "#7c3aed",
    "economics": "#047857",
    "governance": "#b45309",
    "alerts": "#dc2626",
}
_BLANK_RUNS = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str


@dataclass(frozen=True)
class Links:
    app: str
    preferences: str
    unsubscribe: str | None  # None for transactional security mail


@dataclass(frozen=True)
class Rendered:
    subject: str
    html: str
    text: str


def _when(value: datetime) -> str:
    moment = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    return moment.strftime("%a %d %b %Y, %H:%M UTC")


def _num(value: float | int | None, digits: int = 2) -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}"


def _signed(value: int | float) -> str:
    return f"{value:+g}"


def environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=PackageLoader("shared.email", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(when=_when, num=_num, signed=_signed)
    return env


@lru_cache(maxsize=1)
def _env() -> SandboxedEnvironment:
    return environment()


@lru_cache(maxsize=1)
def _inliner() -> css_inline.CSSInliner:
    return css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)


def render(
    spec: EmailSpec,
    context: Context,
    *,
    recipient: Recipient,
    links: Links,
    sender_name: str,
    domain: str,
) -> Rendered:
    env = _env()
    name = spec.type.value
    values: dict[str, Any] = {
        "c": context,
        "recipient": recipient,
        "links": links,
        "sender": {"name": sender_name, "address": spec.sender(domain)},
        "domain": domain,
        "category_label": spec.category.value.capitalize(),
        "accent": _ACCENTS[spec.category.value],
    }
    subject = env.get_template(f"{name}.subject.j2").render(values)
    # a header, not markup: one line, no CR/LF smuggled in from the context
    subject = " ".join(subject.split())[:250]
    values["subject"] = subject
    html = env.get_template(f"{name}.html.j2").render(values)
    text = env.get_template(f"{name}.txt.j2").render(values)
    text = _BLANK_RUNS.sub("\n\n", text).strip() + "\n"
    return Rendered(subject=subject, html=_inliner().inline(html), text=text)
