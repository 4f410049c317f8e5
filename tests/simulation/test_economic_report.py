"""The monthly economic update is composed from the flagship economy's figures."""

from __future__ import annotations

import json

from shared.events.envelope import new_event
from shared.runtime.local import LocalRuntime
from shared.simulation.events import EconomicReportDue, LiveEconomyAdvanceRequested


def reports(runtime: LocalRuntime) -> list[dict]:  # type: ignore[type-arg]
    return [
        json.loads(m.data)
        for m in runtime.bus.messages("economy-reports")
        if m.attributes["ce-type"] == "tech.013a.economy.report.ready"
    ]


def test_the_update_carries_the_flagship_figures(app_runtime: LocalRuntime) -> None:
    app_runtime.bus.publish(new_event(EconomicReportDue(), source="test"))
    app_runtime.dispatcher.drain()
    [early] = reports(app_runtime)
    assert "warming up" in early["headline"] and early["figures"] == []

    advance = LiveEconomyAdvanceRequested(ticks=12, households=2000, warm_up=24)
    app_runtime.bus.publish(new_event(advance, source="test"))
    app_runtime.dispatcher.drain()
    app_runtime.bus.publish(new_event(EconomicReportDue(), source="test"))
    app_runtime.dispatcher.drain()
    report = reports(app_runtime)[-1]
    labels = [f["label"] for f in report["figures"]]
    assert labels[:3] == [
        "Real GDP growth (year on year)",
        "Unemployment",
        "Inflation (annualised)",
    ]
    unemployment = report["figures"][1]
    assert unemployment["value"].endswith(" %") and "over 12 months" in unemployment["change"]
    assert "simulated month" in report["headline"]
    assert report["report_url"].endswith("/economy")


def test_an_economy_in_its_first_year_reports_no_growth(app_runtime: LocalRuntime) -> None:
    advance = LiveEconomyAdvanceRequested(ticks=1, households=2000, warm_up=6)
    app_runtime.bus.publish(new_event(advance, source="test"))
    app_runtime.dispatcher.drain()
    app_runtime.bus.publish(new_event(EconomicReportDue(), source="test"))
    app_runtime.dispatcher.drain()
    report = reports(app_runtime)[-1]
    labels = [f["label"] for f in report["figures"]]
    assert "simulated month 6" in report["headline"]
    assert labels[0] == "Unemployment" and not any("growth" in label for label in labels)
