"""The report as an HTML page with charts (Jinja2, autoescaped; inline SVG)."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from shared import charts
from shared.venture.landscape_answer import Position
from shared.venture.market_answer import MarketAnalysis
from shared.venture.narrative import usd
from shared.venture.report_answer import VentureReport, VentureReportView

SIZE = (640, 260)  # the page scales each chart to its column (no fixed size)


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("shared.venture", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
    )
    env.filters["usd"] = usd
    return env


def render_report(view: VentureReportView) -> str:
    """The page reads the report as its JSON answer reads (the same keys)."""
    report = view.report
    return (
        _environment()
        .get_template("report.html.j2")
        .render(**view.model_dump(mode="json"), charts=_charts(report) if report else {})
    )


def _charts(report: VentureReport) -> dict[str, Markup]:
    market, blueprint, resources = report.market, report.blueprint, report.resources
    out = {
        "market": _bars(
            [("TAM", market.tam), ("SAM", market.sam), ("SOM", market.som)],
            "Market size, reconciled",
            log=True,
        ),
        "projection": _lines(
            {
                "SOM": [(p.year, p.som) for p in market.projection],
                "SOM (low)": _scenario_path(market, "low"),
                "SOM (high)": _scenario_path(market, "high"),
            },
            "Five-year SOM projection",
            "year",
        ),
        "phases": _bars([(p.name, p.cost_usd) for p in blueprint.phases], "Cost by phase"),
        "cash": _lines(
            {
                "cash remaining": [(m.month, m.cash_remaining_usd) for m in resources.months],
                "monthly burn": [(m.month, m.burn_usd) for m in resources.months],
            },
            "Burn and cash",
            "month",
        ),
    }
    if report.competition:
        out["positioning"] = _positioning(report.competition.positioning)
    return out


def _bars(items: list[tuple[str, float]], title: str, *, log: bool = False) -> Markup:
    if not items:
        return Markup("")
    svg = charts.bar_chart(title, items, value_format=usd, log=log, size=SIZE, fixed_size=False)
    return Markup(svg)  # noqa: S704 - pygal escapes every text it draws


def _lines(series: dict[str, list[tuple[float, float]]], title: str, x_title: str) -> Markup:
    if not any(series.values()):
        return Markup("")
    svg = charts.line_chart(
        title,
        [charts.Series(name, points) for name, points in series.items()],
        x_title=x_title,
        y_format=usd,
        size=SIZE,
        fixed_size=False,
    )
    return Markup(svg)  # noqa: S704 - pygal escapes every text it draws


def _positioning(positioning: list[Position]) -> Markup:
    """x: price (0 low, 1 high), y: feature breadth (0-1); ours in its own colour."""
    if not positioning:
        return Markup("")
    groups = [
        charts.PointGroup(
            name,
            [
                charts.LabelledPoint(p.name, p.price_position, p.breadth)
                for p in positioning
                if p.ours == ours
            ],
        )
        for name, ours in (("competitors", False), ("ours", True))
    ]
    svg = charts.scatter_chart(
        "Positioning map",
        groups,
        x_title="price",
        y_title="feature breadth",
        x_ticks={0.0: "low", 0.5: "", 1.0: "high"},
        y_ticks={0.0: "narrow", 0.5: "", 1.0: "broad"},
        size=(640, 300),
        fixed_size=False,
    )
    return Markup(svg)  # noqa: S704 - pygal escapes every text it draws


def _scenario_path(market: MarketAnalysis, name: str) -> list[tuple[float, float]]:
    scenario = getattr(market.sensitivity, name)
    growth = 1 + scenario.cagr_percent / 100
    return [
        (p.year, scenario.som * growth ** (p.year - market.base_year)) for p in market.projection
    ]
