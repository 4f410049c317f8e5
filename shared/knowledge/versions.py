"""Version constraints in the scheme each technology uses: PEP 440 (Python packages,
through `packaging`) or semantic-version ranges (npm's grammar, through `node-semver`;
see `shared.knowledge.semver`).

A stack may name a release line (`3.12`, `20`) rather than an exact version. A
constraint is then judged against the whole line: satisfied by every version of it,
by some (the smallest such version is the fix), or by none."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from shared.knowledge import semver

Scheme = Literal["pep440", "semver"]
Outcome = Literal["satisfied", "upgrade-within-line", "violated"]
SCHEMES: tuple[Scheme, ...] = ("pep440", "semver")


class InvalidConstraint(ValueError):
    pass


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    version: str  # the version judged (or, for upgrade-within-line, the smallest that works)

    @property
    def ok(self) -> bool:
        return self.outcome == "satisfied"


@lru_cache(maxsize=8192)
def _specifiers(text: str) -> SpecifierSet:
    try:
        return SpecifierSet(text)
    except InvalidSpecifier as exc:
        raise InvalidConstraint(f"{text!r} is not a PEP 440 specifier: {exc}") from None


@lru_cache(maxsize=8192)
def _pep_version(text: str) -> Version:
    try:
        return Version(text)
    except InvalidVersion:
        raise InvalidConstraint(f"{text!r} is not a PEP 440 version") from None


def validate_constraint(scheme: Scheme, text: str) -> None:
    if scheme == "pep440":
        _specifiers(text)
    else:
        try:
            semver.parse_range(text)
        except semver.InvalidSemver as exc:
            raise InvalidConstraint(str(exc)) from None


def validate_version(scheme: Scheme, text: str) -> None:
    if scheme == "pep440":
        _pep_version(text)
    else:
        try:
            semver.parse_version(text)
        except semver.InvalidSemver as exc:
            raise InvalidConstraint(str(exc)) from None


def release_of(scheme: Scheme, text: str) -> tuple[int, ...]:
    """The numeric release components actually written (`3.12` -> (3, 12))."""
    if scheme == "pep440":
        return _pep_version(text).release
    version, given = semver.parse_version(text)
    return semver.release(version)[:given]


def sort_key(scheme: Scheme, text: str) -> tuple[object, ...]:
    if scheme == "pep440":
        return (_pep_version(text),)
    return semver.sort_key(semver.parse_version(text)[0])


def contains(scheme: Scheme, constraint: str, version: str) -> bool:
    if scheme == "pep440":
        return _specifiers(constraint).contains(_pep_version(version), prereleases=True)
    try:
        return semver.satisfies(version, constraint)
    except semver.InvalidSemver as exc:
        raise InvalidConstraint(str(exc)) from None


def in_line(line: tuple[int, ...], release: tuple[int, ...]) -> bool:
    padded = release + (0,) * max(0, len(line) - len(release))
    return padded[: len(line)] == line


def is_line(scheme: Scheme, text: str, known_lines: frozenset[str] = frozenset()) -> bool:
    """Whether `text` names a release line rather than one exact version."""
    if text in known_lines:
        return True
    return len(release_of(scheme, text)) < 3


def _candidates(scheme: Scheme, constraint: str, line: tuple[int, ...]) -> list[str]:
    points: list[tuple[int, ...]] = [line]
    if scheme == "pep440":
        for spec in _specifiers(constraint):
            raw = spec.version.removesuffix(".*")
            try:
                release = Version(raw).release
            except InvalidVersion:
                continue
            points.append(release)
            points.append((*release[:-1], release[-1] + 1))
    else:
        points.extend(semver.boundary_versions(constraint))
    inside = {p for p in points if in_line(line, p)}
    return [".".join(map(str, p)) for p in sorted(inside)]


def judge(scheme: Scheme, constraint: str, version: str, *, line: bool) -> Verdict:
    """Judge `version` (an exact version, or a release line when `line`)."""
    if not line:
        outcome: Outcome = "satisfied" if contains(scheme, constraint, version) else "violated"
        return Verdict(outcome, version)
    release = release_of(scheme, version)
    candidates = _candidates(scheme, constraint, release)
    working = [c for c in candidates if contains(scheme, constraint, c)]
    if not working:
        return Verdict("violated", version)
    if contains(scheme, constraint, ".".join(map(str, release))):
        return Verdict("satisfied", version)
    return Verdict("upgrade-within-line", working[0])
