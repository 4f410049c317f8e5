"""`aia simulate` writes metrics, charts and a summary; charts are real SVG."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from shared.cli import main
from shared.simulation.charts import line_chart, nice_ticks
from shared.simulation.indicators import METRIC_FIELDS, METRIC_INFO

NS = "{http://www.w3.org/2000/svg}"


def test_aia_simulate_writes_csv_charts_and_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run"
    code = main(
        ["simulate", "--households", "600", "--ticks", "36", "--seed", "2", "--out", str(out)]
    )
    assert code == 0
    err = capsys.readouterr().err
    assert "100% month 36/36" in err and "ms/month" in err  # the progress bar, on stderr
    rows = list(csv.reader((out / "metrics.csv").open()))
    assert rows[0] == list(METRIC_FIELDS) and len(rows) == 37
    assert {p.stem for p in (out / "charts").glob("*.svg")} == set(METRIC_INFO)
    for chart in (out / "charts").glob("*.svg"):
        ET.fromstring(chart.read_text())  # well-formed
    summary = json.loads((out / "summary.json").read_text())
    assert summary["last"]["tick"] == 36 and summary["parameters"]["households"] == 600


def test_aia_simulate_refuses_bad_parameters(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--households", "5", "--ticks", "3", "--out", "/tmp/x"]) == 2
    assert "invalid parameters" in capsys.readouterr().err


def test_line_chart_has_axes_labels_and_a_zero_line() -> None:
    svg = ET.fromstring(
        line_chart(
            list(range(1, 121)),
            [0.01 * ((t % 24) - 12) for t in range(1, 121)],
            title="Output gap",
            y_label="of potential output",
            percent=True,
        )
    )
    texts = [t.text for t in svg.iter(f"{NS}text")]
    assert texts[0] == "Output gap" and "Simulated years" in texts
    assert "of potential output" in texts and "0%" in texts
    assert any(line.get("stroke-dasharray") for line in svg.iter(f"{NS}line"))  # zero line
    empty = ET.fromstring(line_chart([], [], title="Nothing", y_label="x"))
    assert "no data yet" in [t.text for t in empty.iter(f"{NS}text")]


def test_long_series_are_thinned_but_keep_their_extremes() -> None:
    values = [0.0] * 10_000
    values[5_000] = 9.0
    svg = ET.fromstring(line_chart(list(range(10_000)), values, title="t", y_label="y"))
    [line] = svg.iter(f"{NS}polyline")
    points = line.get("points", "").split()
    assert len(points) < 2_000
    assert min(float(p.split(",")[1]) for p in points) < 100  # the spike reaches the top


def test_nice_ticks() -> None:
    assert nice_ticks(0.031, 0.089) == [0.02, 0.04, 0.06, 0.08, 0.1]
    assert nice_ticks(5, 5)[0] < 5 < nice_ticks(5, 5)[-1]
