"""The monthly economic update: the flagship economy's latest figures against twelve
simulated months earlier, as the `economy.report.ready` event the email journey sends."""

from __future__ import annotations

from shared.email.events import EconomicReportReady
from shared.events.handling import HandlerContext
from shared.simulation.events import EconomicReportDue
from shared.simulation.indicators import TickMetrics
from shared.simulation.store import LIVE_ID, SimulationStore

# (metric, label, shown as a percentage, what "up" means for people)
_FIGURES = (
    ("gdp_growth", "Real GDP growth (year on year)", True),
    ("unemployment_rate", "Unemployment", True),
    ("inflation", "Inflation (annualised)", True),
    ("policy_rate", "Central bank policy rate", True),
    ("gini_income", "Income inequality (Gini)", False),
    ("mean_health", "Average health", False),
    ("aia_velocity", "AIA velocity", False),
)


def _shown(value: float, percent: bool) -> str:
    return f"{value * 100:.1f} %" if percent else f"{value:.3f}"


def _change(now: float, before: float | None, percent: bool) -> tuple[str | None, str | None]:
    if before is None:
        return None, None
    delta = now - before
    direction = "flat" if abs(delta) < 1e-9 else ("up" if delta > 0 else "down")
    amount = f"{delta * 100:+.1f} points" if percent else f"{delta:+.3f}"
    return f"{amount} over 12 months", direction


def month_a_year_before(store: SimulationStore, latest: TickMetrics) -> TickMetrics | None:
    """The live economy's month twelve months before `latest` (None in its first year)."""
    if latest.tick <= 12:
        return None
    # `from_tick` is exclusive: the first month after tick - 13 is tick - 12
    earlier = store.metrics(LIVE_ID, from_tick=latest.tick - 13, limit=1)
    return earlier[0] if earlier else None


def economic_figures(latest: TickMetrics, year_ago: TickMetrics | None) -> list[dict[str, str]]:
    figures = []
    for metric, label, percent in _FIGURES:
        now = getattr(latest, metric)
        if now is None:
            continue  # growth before a year of months exists: no figure rather than a guess
        value = float(now)
        before = getattr(year_ago, metric) if year_ago else None
        change, direction = _change(value, None if before is None else float(before), percent)
        figure = {"label": label, "value": _shown(value, percent)}
        if change and direction:
            figure |= {"change": change, "direction": direction}
        figures.append(figure)
    return figures


def compose_economic_report(ctx: HandlerContext[EconomicReportDue]) -> None:
    store = ctx.features.simulations
    latest = store.latest_metrics(LIVE_ID)
    period = (ctx.event.time.replace(day=1)).strftime("%Y-%m")
    url = f"{ctx.platform.settings.app_base_url}/economy"
    if latest is None:
        ctx.emit(
            EconomicReportReady(
                period=period,
                headline="The flagship economy is still warming up: figures next month.",
                report_url=url,
            )
        )
        return
    tick = latest.tick
    year_ago = month_a_year_before(store, latest)
    headline = (
        f"Unemployment {latest.unemployment_rate * 100:.1f} %, inflation "
        f"{latest.inflation * 100:.1f} %, policy rate {latest.policy_rate * 100:.1f} % "
        f"(simulated month {tick})."
    )
    highlights = []
    if year_ago:
        growth = latest.gdp_real / year_ago.gdp_real - 1 if year_ago.gdp_real else 0.0
        highlights.append(f"Real GDP changed {growth * 100:+.1f} % over twelve simulated months.")
    ctx.emit(
        EconomicReportReady(
            period=period,
            headline=headline,
            figures=economic_figures(latest, year_ago),
            highlights=highlights,
            report_url=url,
        )
    )
