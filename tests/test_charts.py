"""The charts every feature draws (shared/charts.py, on pygal): well-formed, self-contained
SVG with a <title>, no script, escaped text; what each kind shows. The features' own
tests check their charts through their routes (simulation, agents, venture)."""

from __future__ import annotations

import math
import re

import pytest

from shared import charts
from tests.support import svg

HOSTILE = '<script>alert("x")</script>'


def _all_kinds(name: str) -> list[str]:
    return [
        charts.line_chart(name, [charts.Series(name, [(0, 1), (1, -1)])], x_title=name),
        charts.category_line_chart(
            name, [name], [charts.CategorySeries(name, [0.5])], y_range=(0, 1)
        ),
        charts.bar_chart(name, [(name, 3.0), ("b", 1.0)], log=True),
        charts.scatter_chart(
            name,
            [charts.PointGroup(name, [charts.LabelledPoint(name, 0.5, 0.5)])],
            x_title=name,
            y_title=name,
            x_ticks={0: name, 1: "high"},
            y_ticks={0: "low", 1: name},
        ),
    ]


def test_every_kind_is_self_contained_svg_with_a_title_and_escaped_text() -> None:
    for document in _all_kinds(HOSTILE):
        root = svg.parse(document)
        assert svg.title(root).startswith(HOSTILE)
        assert root.get("role") == "img"
        assert any(t.startswith(HOSTILE) for t in svg.texts(root))  # text, not markup
        assert "<script" not in document and root.find(f".//{svg.NS}script") is None
        assert not document.startswith("<?xml")  # the same text is inlined in HTML
        # no external reference: no URL but the SVG namespace
        urls = set(re.findall(r"(?:https?:)?//[\w.-]+[^\s\"')<]*", document))
        assert urls == {"http://www.w3.org/2000/svg"}, urls
        assert "xml-stylesheet" not in document and "@import" not in document


def test_a_line_chart_shows_titles_labels_and_a_zero_line_when_values_change_sign() -> None:
    root = svg.parse(
        charts.line_chart(
            "Output gap",
            [charts.Series("gap", [(t / 12, 0.01 * ((t % 24) - 12)) for t in range(1, 121)])],
            x_title="Simulated years",
            y_title="of potential output",
            subtitle="600 households, seed 2",
            y_format=charts.percent,
        )
    )
    texts = svg.texts(root)
    for text in ("Output gap", "600 households, seed 2", "Simulated years", "of potential output"):
        assert text in texts
    assert "0%" in texts and "10%" in texts  # the y axis in percent
    assert svg.zero_line(root)
    [line] = svg.drawn_lines(root)
    assert len(line) == 120
    assert svg.legend(root) == []  # one series: its name is the title

    positive = svg.parse(
        charts.line_chart("GDP", [charts.Series("gdp", [(0, 1.0), (1, 5.0)])], x_title="t")
    )
    assert not svg.zero_line(positive)


def test_an_empty_line_chart_says_so() -> None:
    root = svg.parse(
        charts.line_chart(
            "Nothing", [charts.Series("x", [])], x_title="years", no_data_text="no data yet"
        )
    )
    assert "no data yet" in svg.texts(root) and svg.lines(root) == []


def test_long_series_are_thinned_but_keep_their_extremes() -> None:
    values = [0.0] * 10_000
    values[5_000] = 9.0
    root = svg.parse(
        charts.line_chart(
            "t", [charts.Series("t", list(enumerate(values)))], x_title="x", size=(760, 360)
        )
    )
    [line] = svg.drawn_lines(root)
    assert len(line) <= 2 * 760
    top = min(y for _, y in line)
    assert top == pytest.approx(svg.y_guides(root)["9"], abs=1)  # the spike reaches 9


def test_big_values_are_labelled_compactly() -> None:
    assert [charts.compact(v) for v in (12.5, 1234, 56_789, 2_500_000)] == [
        "12.5",
        "1234",
        "56.8k",
        "2.5M",
    ]
    assert charts.percent(0.05) == "5%" and charts.percent(-0.125) == "-12.5%"


def test_a_category_chart_draws_one_line_per_series_and_a_dot_per_value() -> None:
    root = svg.parse(
        charts.category_line_chart(
            "Daily task score, 2026-W10",
            ["Mon", "Tue", "Wed"],
            [
                charts.CategorySeries("Analyst", [1.0, None, 0.5]),
                charts.CategorySeries("Estimator", [None, 0.0, None]),
            ],
            y_range=(0, 1),
            y_format=lambda v: f"{v:.2f}",
        )
    )
    assert svg.title(root) == "Daily task score, 2026-W10"
    [line] = svg.drawn_lines(root)  # the estimator has one point: no line
    guides = svg.y_guides(root)
    assert [y for _, y in line] == [pytest.approx(guides["1.00"]), pytest.approx(guides["0.50"])]
    assert line[0][0] < line[1][0]
    assert len(svg.dots(root)) == 3
    assert svg.legend(root) == ["Analyst", "Estimator"]
    assert {"Mon", "Tue", "Wed"} <= set(svg.texts(root))


def test_category_legends_are_cut_and_series_beyond_the_palette_dropped() -> None:
    many = [charts.CategorySeries(f"agent {i}", [0.5]) for i in range(12)]
    root = svg.parse(
        charts.category_line_chart(
            "t", ["a"], [charts.CategorySeries(HOSTILE, [0.5]), *many], y_range=(0, 1)
        )
    )
    names = svg.legend(root)
    assert names[0] == '<script>alert("x")</scri'  # escaped, and cut to 24 characters
    assert len(names) == len(charts.PALETTE)


def test_an_empty_category_chart_says_so_and_needs_labels() -> None:
    root = svg.parse(
        charts.category_line_chart(
            "Nothing", ["Mon"], [], y_range=(0, 1), no_data_text="no tasks this week"
        )
    )
    assert "no tasks this week" in svg.texts(root)
    with pytest.raises(ValueError, match="label"):
        charts.category_line_chart("t", [], [], y_range=(0, 1))


def test_bars_are_labelled_with_their_values_first_on_top() -> None:
    root = svg.parse(
        charts.bar_chart(
            "Market size",
            [("TAM", 4.2e10), ("SAM", 3.1e9), ("SOM", 2.5e7)],
            value_format=lambda v: f"${v:,.0f}",
            log=True,
        )
    )
    texts = svg.texts(root)
    assert "Market size (log scale)" in texts
    labels = [t for t in texts if t.startswith(("TAM", "SAM", "SOM"))]
    assert labels == ["SOM: $25,000,000", "SAM: $3,100,000,000", "TAM: $42,000,000,000"]
    bars = [r for r in root.iter(f"{svg.NS}rect") if "rect" in r.get("class", "")]
    widths = [float(r.get("width", "0")) for r in bars]
    assert len(widths) == 3 and all(w > 0 for w in widths)  # the smallest still shows
    assert widths == sorted(widths)  # SOM < SAM < TAM, drawn bottom-up


def test_a_scatter_chart_labels_each_point_in_its_groups_colour() -> None:
    root = svg.parse(
        charts.scatter_chart(
            "Positioning map",
            [
                charts.PointGroup("competitors", [charts.LabelledPoint("Acme", 0.2, 0.8)]),
                charts.PointGroup("ours", [charts.LabelledPoint("Us", 0.5, 0.6)]),
            ],
            x_title="price",
            y_title="feature breadth",
            x_ticks={0: "low", 1: "high"},
            y_ticks={0: "narrow", 1: "broad"},
        )
    )
    texts = svg.texts(root)
    assert {"Acme", "Us", "low", "high", "narrow", "broad", "price"} <= set(texts)
    assert svg.legend(root) == ["competitors", "ours"]
    assert len(svg.dots(root)) == 2


@pytest.mark.parametrize(
    "values",
    [
        [484.57290134543564, 484.57290134543575],
        [0.0, 0.0],
        [7.0],
        [1e6, 1e6 + 1e-7],
        [0.0, 5e-324],
        [-1e308, 1e308],
    ],
)
def test_flat_and_extreme_series_are_drawn(values: list[float]) -> None:
    # pygal's own scale never ends on a spread that is float noise (aia_gov_supply), divides
    # by a subnormal one and overflows on one past the largest float
    root = svg.parse(
        charts.line_chart("flat", [charts.Series("flat", list(enumerate(values)))], x_title="x")
    )
    assert [len(line) for line in svg.lines(root)] == ([len(values)] if len(values) > 1 else [])
    assert len(svg.y_guides(root)) >= 2


@pytest.mark.parametrize(
    "series",
    [
        [charts.Series("wave", [(m / 12, 1000 * math.sin(m / 7)) for m in range(600)])],
        [charts.Series("a", [(0, 1), (1, 3)]), charts.Series("b", [(0, 2.5), (2, -1)])],
        [],
    ],
)
def test_the_quick_xy_draws_pygals_document(
    series: list[charts.Series], monkeypatch: pytest.MonkeyPatch
) -> None:
    """line_chart's XY only reads pygal's settings in fewer calls: the SVG is pygal's own,
    byte for byte but for the random chart id."""
    import pygal

    def drawn() -> str:
        document = charts.line_chart("T", series, x_title="years", subtitle="s", y_title="u")
        return re.sub(r"chart-[0-9a-f-]{36}", "chart-id", document)

    quick = drawn()
    monkeypatch.setattr(charts, "_quick_xy", lambda: pygal.XY)
    assert quick == drawn()
