"""Rules every template keeps, read from the files (cheaper than finding each in a browser)."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "shared" / "web" / "templates"
SCROLL_BOX = re.compile(r'<div[^>]*class="[^"]*table-scroll[^"]*"[^>]*>')
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=\"|<style")


def _text(path: Path) -> str:
    return re.sub(r"\{#.*?#\}", "", path.read_text(), flags=re.S)  # not Jinja's comments


def test_every_scroll_box_can_be_reached_with_the_keyboard() -> None:
    """A box that scrolls sideways (a wide table at 390 px) must take focus, or a keyboard
    user cannot scroll it (axe: scrollable-region-focusable)."""
    boxes = [
        f"{path.name}: {tag}"
        for path in sorted(TEMPLATES.glob("*.j2"))
        for tag in SCROLL_BOX.findall(_text(path))
        if 'tabindex="0"' not in tag
    ]
    assert not boxes, boxes


def test_no_template_has_inline_script_or_style() -> None:
    """The Content-Security-Policy allows neither; a JSON data block (never run) is fine."""
    found = [
        path.name
        for path in sorted(TEMPLATES.glob("*.j2"))
        for tag in INLINE.findall(_text(path))
        if 'type="application/json"' not in tag
    ]
    assert not found, found
