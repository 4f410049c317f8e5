"""`aia simulate` writes metrics, charts and a summary; charts are real SVG."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from shared.cli import main
from shared.simulation.indicators import METRIC_FIELDS, METRIC_INFO
from tests.support import svg


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
    for metric, info in METRIC_INFO.items():
        chart = svg.parse((out / "charts" / f"{metric}.svg").read_text())
        assert svg.title(chart).startswith(info.title)
        texts = svg.texts(chart)
        assert {info.title, "Simulated years"} <= set(texts)
        assert info.unit in " ".join(texts)  # a long axis title is wrapped
        [line] = svg.drawn_lines(chart)
        assert len(line) == 36  # one point a month
    summary = json.loads((out / "summary.json").read_text())
    assert summary["last"]["tick"] == 36 and summary["parameters"]["households"] == 600


def test_aia_simulate_refuses_bad_parameters(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--households", "5", "--ticks", "3", "--out", "/tmp/x"]) == 2
    assert "invalid parameters" in capsys.readouterr().err
