"""Reading the charts that shared/charts.py draws (pygal's SVG) as what a reader sees:
texts, each series' line as points, dots, legend names, the y axis' labelled positions."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/2000/svg}"
Element = ET.Element


def parse(svg: str | bytes) -> Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg"
    return root


def _classes(element: Element) -> set[str]:
    return set(element.get("class", "").split())


def texts(root: Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{NS}text")]


def title(root: Element) -> str:
    found = root.find(f"{NS}title")
    assert found is not None, "the chart has no <title>"
    return found.text or ""


def _points(d: str) -> list[tuple[float, float]]:
    """The vertices of a path of M and L commands (a trailing h/v segment is ignored)."""
    d = re.split(r"[hv]", d)[0]
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", d)]
    return list(zip(numbers[::2], numbers[1::2], strict=True))


def lines(root: Element) -> list[list[tuple[float, float]]]:
    """Each series' line as its vertices (in the plot's coordinates, y down)."""
    found = []
    for group in root.iter(f"{NS}g"):
        if "series" in _classes(group):
            found.extend(
                _points(path.get("d", ""))
                for path in group.findall(f"{NS}path")
                if "line" in _classes(path)
            )
    return found


def drawn_lines(root: Element) -> list[list[tuple[float, float]]]:
    """The lines a reader sees: two vertices or more."""
    return [line for line in lines(root) if len(line) > 1]


def dots(root: Element) -> list[tuple[float, float]]:
    return [
        (float(c.get("cx", "nan")), float(c.get("cy", "nan")))
        for c in root.iter(f"{NS}circle")
        if "dot" in _classes(c)
    ]


def legend(root: Element) -> list[str]:
    return [
        t.text or ""
        for group in root.iter(f"{NS}g")
        if "legend" in _classes(group)
        for t in group.findall(f"{NS}text")
    ]


def y_guides(root: Element) -> dict[str, float]:
    """Each y axis label and the height of its guide line."""
    found = {}
    for axis in root.iter(f"{NS}g"):
        if {"axis", "y"} <= _classes(axis):
            for guides in axis.findall(f"{NS}g"):
                path, text = guides.find(f"{NS}path"), guides.find(f"{NS}text")
                if path is not None and text is not None:
                    found[text.text or ""] = _points(path.get("d", ""))[0][1]
    return found


def zero_line(root: Element) -> bool:
    """Whether the line at zero is drawn apart from the grid (dark, dashed)."""
    return any(
        {"major", "line"} <= _classes(p) and "guide" not in _classes(p)
        for p in root.iter(f"{NS}path")
    )
