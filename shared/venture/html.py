"""The report as an HTML page with charts (Jinja2, autoescaped; inline SVG)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from shared.venture import charts
from shared.venture.narrative import usd


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("shared.venture", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
    )
    env.filters["usd"] = usd
    return env


def render_report(view: dict[str, Any]) -> str:
    """`view` is the JSON view of a report (see `shared.venture.api.report_view`)."""
    report = view.get("report")
    return (
        _environment()
        .get_template("report.html.j2")
        .render(**view, charts=_charts(report) if report else {})
    )


def _charts(report: dict[str, Any]) -> dict[str, Markup]:
    market, blueprint, resources = report["market"], report["blueprint"], report["resources"]
    out = {
        "market": charts.bars(
            [("TAM", market["tam"]), ("SAM", market["sam"]), ("SOM", market["som"])],
            "Market size, reconciled",
            log=True,
        ),
        "projection": charts.lines(
            {
                "SOM": [(p["year"], p["som"]) for p in market["projection"]],
                "SOM (low)": _scenario_path(market, "low"),
                "SOM (high)": _scenario_path(market, "high"),
            },
            "Five-year SOM projection",
            "year",
        ),
        "phases": charts.bars(
            [(p["name"], p["cost_usd"]) for p in blueprint["phases"]], "Cost by phase"
        ),
        "cash": charts.lines(
            {
                "cash remaining": [
                    (m["month"], m["cash_remaining_usd"]) for m in resources["months"]
                ],
                "monthly burn": [(m["month"], m["burn_usd"]) for m in resources["months"]],
            },
            "Burn and cash",
            "month",
        ),
    }
    competition = report.get("competition")
    if competition:
        out["positioning"] = charts.scatter(
            [
                (p["name"], p["price_position"], p["breadth"], p["ours"])
                for p in competition["positioning"]
            ],
            "Positioning map",
        )
    return out


def _scenario_path(market: dict[str, Any], name: str) -> list[tuple[float, float]]:
    scenario = market["sensitivity"][name]
    growth = 1 + scenario["cagr_percent"] / 100
    return [
        (p["year"], scenario["som"] * growth ** (p["year"] - market["base_year"]))
        for p in market["projection"]
    ]
