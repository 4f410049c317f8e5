"""The report's SVG chart is well-formed SVG with one line per agent, points where the
agent worked, and escaped text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from shared.agents.chart import BOTTOM, HEIGHT, TOP, Series, line_chart

NS = {"svg": "http://www.w3.org/2000/svg"}


def test_one_line_per_series_with_points_where_there_are_values() -> None:
    svg = line_chart(
        "Daily task score, 2026-W10",
        ["Mon", "Tue", "Wed"],
        [Series("Analyst", [1.0, None, 0.5]), Series("Estimator", [None, 0.0, None])],
    )
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.find("svg:title", NS).text == "Daily task score, 2026-W10"  # type: ignore[union-attr]
    [line] = root.findall("svg:polyline", NS)  # the estimator has one point: no line
    points = [tuple(map(float, p.split(","))) for p in line.get("points", "").split()]
    plot = HEIGHT - TOP - BOTTOM
    assert [y for _, y in points] == [pytest.approx(TOP), pytest.approx(TOP + plot / 2)]
    assert points[0][0] < points[1][0]
    assert len(root.findall("svg:circle", NS)) == 3
    legend = [t.text for t in root.findall("svg:text", NS) if t.get("class") == "legend"]
    assert legend == ["Analyst", "Estimator"]


def test_names_cannot_inject_markup() -> None:
    svg = line_chart("<b>t</b>", ["a"], [Series('<script>alert("x")</script>', [0.5])])
    root = ET.fromstring(svg)
    assert root.find(".//svg:script", NS) is None
    assert "<script>" not in svg
    legend = [t.text for t in root.findall("svg:text", NS) if t.get("class") == "legend"]
    assert legend == ['<script>alert("x")</scri']  # escaped, and cut to 24 characters


def test_an_empty_week_still_draws() -> None:
    root = ET.fromstring(line_chart("Nothing", ["Mon"], []))
    assert any(t.text == "no tasks this week" for t in root.findall("svg:text", NS))
