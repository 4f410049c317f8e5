"""The README's pictures and the files it names exist: its first screen is a screenshot,
and a moved page or decision must not leave it pointing at nothing."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def test_the_readme_opens_with_a_screenshot_and_the_address_to_open() -> None:
    opening = README.split("\n## ", 1)[0]
    assert re.search(r"!\[[^\]]+\]\(docs/screenshots/[\w-]+\.png\)", opening)
    assert "http://127.0.0.1:8080/" in opening and "/admin/" in opening


def test_every_picture_and_document_the_readme_names_exists() -> None:
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README)
    documents = re.findall(r"\b(docs/[\w./-]+\.md)\b", README)
    assert len(pictures) >= 5
    missing = [p for p in [*pictures, *documents] if not (ROOT / p).is_file()]
    assert not missing, missing
