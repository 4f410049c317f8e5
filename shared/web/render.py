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
# What a page that draws a chart adds (render_page(..., charts=True)): uPlot from npm and
# our charts.js, which draws every <figure data-chart> (macros.html.j2: chart).
CHART_STYLESHEETS = ("vendor/uPlot.min.css",)
CHART_SCRIPTS = ("vendor/uPlot.iife.min.js", "charts.js")


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
        chart_stylesheets=[ASSET_PREFIX + name for name in CHART_STYLESHEETS],
        chart_scripts=[ASSET_PREFIX + name for name in CHART_SCRIPTS],
    )
    return env


def render_page(template: str, **values: Any) -> str:
    """`values` must include `title` (the <title> and, by default, the <h1>) and
    `csrf_token` for pages with forms; `user` is the signed-in principal or None;
    `charts=True` loads the chart scripts (only pages that draw one pay for them)."""
    values.setdefault("user", None)
    values.setdefault("csrf_token", "")
    values.setdefault("charts", False)
    return _env().get_template(template).render(**values)
