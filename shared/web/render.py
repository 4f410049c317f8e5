"""Pages are Jinja2 templates (autoescaped) extending `base.html.j2`: one <h1>, landmarks,
and only same-origin assets, so the strict Content-Security-Policy holds (no inline script
or style anywhere)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

STATIC_DIR = Path(__file__).parent / "static"
ASSET_PREFIX = "/assets/"
# What every page loads: our stylesheet, and htmx from npm (vendored at build time by
# scripts/build-web.sh). The browser tests hold their compressed weight to the budget.
STYLESHEETS = ("app.css",)
SCRIPTS = ("vendor/htmx.min.js",)


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("shared.web", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        stylesheets=[ASSET_PREFIX + name for name in STYLESHEETS],
        scripts=[ASSET_PREFIX + name for name in SCRIPTS],
    )
    return env


def render_page(template: str, **values: Any) -> str:
    """`values` must include `title` (the <title> and, by default, the <h1>) and
    `csrf_token` for pages with forms; `user` is the signed-in principal or None."""
    values.setdefault("user", None)
    values.setdefault("csrf_token", "")
    return _env().get_template(template).render(**values)
