"""Semantic versions and npm-style ranges, as node-semver reads them: the `node-semver`
package (a port of npm's own), in strict mode, with its prerelease rule (a prerelease
satisfies a range only where a comparator names the same major.minor.patch with a
prerelease). What this module adds: release lines (`20`, `3.12`: fewer than three
numbers), errors as InvalidSemver, and the versions at which a range's truth changes."""

from __future__ import annotations

import re
from functools import lru_cache

from nodesemver import ANY, Comparator, Range, make_range, make_semver
from nodesemver import SemVer as Version

# a version with one to three release numbers, then node-semver's prerelease/build
_LINE = re.compile(r"^\s*[v=]?\s*(\d+(?:\.\d+){0,2})((?:[-+].*)?)\s*$")


class InvalidSemver(ValueError):
    pass


def parse_version(text: str) -> tuple[Version, int]:
    """A version and how many release numbers were given (1-3): `20` is a line."""
    match = _LINE.match(text)
    if match is None:
        raise InvalidSemver(f"{text!r} is not a semantic version")
    numbers = match.group(1).split(".")
    full = ".".join(numbers + ["0"] * (3 - len(numbers))) + match.group(2)
    try:
        return make_semver(full, loose=False), len(numbers)
    except ValueError:
        raise InvalidSemver(f"{text!r} is not a semantic version") from None


def release(version: Version) -> tuple[int, int, int]:
    return (version.major, version.minor, version.patch)


def sort_key(version: Version) -> tuple[object, ...]:
    """Semver precedence: a prerelease sorts below its release; numeric identifiers
    numerically and below alphanumeric ones (semver 2.0.0 §11)."""
    pre = tuple((0, p, "") if isinstance(p, int) else (1, 0, p) for p in version.prerelease)
    return (*release(version), 0 if pre else 1, pre)


@lru_cache(maxsize=4096)
def _range(text: str) -> Range:
    try:
        return make_range(text, loose=False)
    except ValueError as exc:
        raise InvalidSemver(f"{text!r} is not a semver range: {exc}") from None


def parse_range(text: str) -> tuple[tuple[Comparator, ...], ...]:
    """The range desugared into OR-ed comparator sets; raises InvalidSemver."""
    return tuple(tuple(comparators) for comparators in _range(text).set)


def satisfies(version: Version | str, range_text: str) -> bool:
    v = parse_version(version)[0] if isinstance(version, str) else version
    return bool(_range(range_text).test(v))


def boundary_versions(range_text: str) -> list[tuple[int, int, int]]:
    """Every release a range names, and the one just past each exclusive lower bound:
    the candidates at which the range's truth can change."""
    found: list[tuple[int, int, int]] = []
    for comparators in parse_range(range_text):
        for comparator in comparators:
            if comparator.semver is ANY:
                found.append((0, 0, 0))
                continue
            major, minor, patch = release(comparator.semver)
            found.append((major, minor, patch))
            if comparator.operator == ">":
                found.append((major, minor, patch + 1))
    return found
