"""`aia simulate` writes metrics, charts and a summary; charts are real SVG; the CSV is
numbers a spreadsheet reads as numbers; `aia compare` sets two output directories side
by side."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest

from shared.cli import main
from shared.simulation.indicators import ADDED_FIELDS, INTEGER_FIELDS, METRIC_FIELDS, METRIC_INFO
from shared.simulation.metrics_csv import read_metrics_csv
from tests.support import svg

FIRST_YEAR = 12


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
        # one point a month; growth only once a year of months exists
        assert len(line) == (36 - FIRST_YEAR if metric == "gdp_growth" else 36)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["last"]["tick"] == 36 and summary["parameters"]["households"] == 600


def test_every_field_of_metrics_csv_reads_back_as_a_number(tmp_path: Path) -> None:
    out = tmp_path / "run"
    assert main(["simulate", "--households", "300", "--ticks", "15", "--out", str(out)]) == 0
    text = (out / "metrics.csv").read_text()
    assert "np." not in text and "(" not in text
    header, *rows = list(csv.reader(text.splitlines()))
    assert len(rows) == 15
    for row in rows:
        tick = int(row[0])
        for name, field in zip(header, row, strict=True):
            if name == "gdp_growth" and tick <= FIRST_YEAR:
                assert field == "", f"month {tick} has growth {field} with no year to compare"
                continue
            value = int(field) if name in INTEGER_FIELDS else float(field)
            assert not math.isnan(value), f"{name} of month {tick} is NaN"
    growth = [row[header.index("gdp_growth")] for row in rows]
    assert all(float(g) > -1 for g in growth[FIRST_YEAR:])  # a real year-on-year change


def test_growth_is_absent_in_the_first_year_not_annualised(tmp_path: Path) -> None:
    out = tmp_path / "run"
    assert main(["simulate", "--households", "300", "--ticks", "14", "--out", str(out)]) == 0
    rows = list(csv.DictReader((out / "metrics.csv").open()))
    assert [r["gdp_growth"] for r in rows[:FIRST_YEAR]] == [""] * FIRST_YEAR
    # month 13 against month 1: the ratio of real GDP twelve months apart
    expected = float(rows[12]["gdp_real"]) / float(rows[0]["gdp_real"]) - 1
    assert float(rows[12]["gdp_growth"]) == pytest.approx(expected, rel=1e-9)
    assert abs(float(rows[12]["gdp_growth"])) < 0.5  # not the 93 % of an annualised month


def test_aia_simulate_refuses_bad_parameters(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--households", "5", "--ticks", "3", "--out", "/tmp/x"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--households" in err


def test_aia_compare_aligns_two_output_directories(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, more = tmp_path / "base", tmp_path / "basic-income"
    args = ["simulate", "--households", "300", "--seed", "3"]
    assert main([*args, "--ticks", "16", "--out", str(base)]) == 0
    policy = '{"fiscal": {"basic_income": 0.2}}'
    assert main([*args, "--ticks", "14", "--policy", policy, "--out", str(more)]) == 0
    capsys.readouterr()

    report = tmp_path / "report"
    assert main(["compare", str(base), str(more), "--out", str(report)]) == 0
    table = capsys.readouterr().out
    assert "14 months compared (last month 14)" in table
    comparison = json.loads((report / "comparison.json").read_text())
    assert comparison["ticks"] == list(range(1, 15))  # the months both runs have
    base_rows = list(csv.DictReader((base / "metrics.csv").open()))
    more_rows = list(csv.DictReader((more / "metrics.csv").open()))
    month_14 = {r["id"]: r["last"] for r in comparison["runs"]}
    [difference] = comparison["differences"]
    for metric in ("unemployment_rate", "gini_income", "gdp_real"):
        a, b = float(base_rows[13][metric]), float(more_rows[13][metric])
        assert month_14[str(base)][metric] == pytest.approx(a)
        assert difference["last"][metric] == pytest.approx(b - a)
        assert metric in table
    # growth: month 13 and 14 only, the mean of those
    growth = [float(r["gdp_growth"]) for r in base_rows[12:14]]
    [base_run, _] = comparison["runs"]
    assert base_run["mean"]["gdp_growth"] == pytest.approx(sum(growth) / 2)
    chart = svg.parse((report / "charts" / "unemployment_rate.svg").read_text())
    assert len(svg.drawn_lines(chart)) == 2  # a line per run


def test_aia_compare_names_a_directory_that_is_not_a_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = tmp_path / "run"
    assert main(["simulate", "--households", "300", "--ticks", "2", "--out", str(run)]) == 0
    capsys.readouterr()
    assert main(["compare", str(run), str(tmp_path / "nothing")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nothing is not an `aia simulate` output" in err
    assert main(["compare", str(run), str(run), "--metrics", "gdp,cpi"]) == 2
    assert "no metric named gdp" in capsys.readouterr().err


def test_a_metrics_file_from_before_the_fidelity_metrics_still_compares(tmp_path: Path) -> None:
    """`aia compare` reads an output directory written before labour_share and
    price_change_share existed (ADR 0041): those months have no value, like the first
    year's growth; a file missing any other column is still refused."""
    new = tmp_path / "new"
    assert main(["simulate", "--households", "300", "--ticks", "14", "--out", str(new)]) == 0
    old = tmp_path / "old"
    old.mkdir()
    rows = list(csv.reader((new / "metrics.csv").open()))
    # the columns from labour_share on came later (ADRs 0041, 0044)
    kept = METRIC_FIELDS.index("labour_share")
    assert METRIC_FIELDS[kept : kept + 2] == ("labour_share", "price_change_share")
    assert set(METRIC_FIELDS[kept:]) <= ADDED_FIELDS
    with (old / "metrics.csv").open("w", newline="") as handle:
        csv.writer(handle).writerows(row[:kept] for row in rows)
    (old / "summary.json").write_text((new / "summary.json").read_text())
    assert main(["compare", str(old), str(new)]) == 0
    records = read_metrics_csv((old / "metrics.csv").open())
    assert records[-1]["labour_share"] is None and records[-1]["unemployment_rate"] >= 0
    with (old / "metrics.csv").open("w", newline="") as handle:
        csv.writer(handle).writerows(row[: kept - 1] for row in rows)  # token_error gone too
    with pytest.raises(ValueError, match="no column token_error"):
        read_metrics_csv((old / "metrics.csv").open())
