"""The curated dataset shipped in the package (`data/*.csv`, described in
`data/README.md`), read through the same importer as users' registries."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from shared.knowledge.importer import ParsedRegistry, parse_csv

DATA = Path(__file__).parent / "data"
CURATED = "curated"


@lru_cache(maxsize=1)
def curated_registry() -> ParsedRegistry:
    """Parsed once per process: the files never change at run time."""
    files = {path.name: path.read_text(encoding="utf-8") for path in sorted(DATA.glob("*.csv"))}
    return parse_csv(CURATED, files)
