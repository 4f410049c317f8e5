"""Semantic versions and npm-style ranges (the node-semver grammar): comparators,
x-ranges (`1.x`, `1.2.*`, `*`), tilde, caret, hyphen ranges and `||` unions.

Ranges are desugared into comparator sets exactly as node-semver does, including its
`-0` upper bounds and its prerelease rule: a prerelease version satisfies a set only if
some comparator of the set names the same major.minor.patch with a prerelease."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_VERSION = re.compile(
    r"^\s*[v=]?\s*(\d+)(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?"
    r"(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?\s*$"
)
_PARTIAL = re.compile(
    r"^[v=]?(\*|[xX]|\d+)(?:\.(\*|[xX]|\d+))?(?:\.(\*|[xX]|\d+))?"
    r"(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?$"
)
_OP = re.compile(r"^(<=|>=|<|>|=|\^|~>|~)?\s*(.*)$")


class InvalidSemver(ValueError):
    pass


def _pre_key(pre: tuple[str, ...]) -> tuple[tuple[int, int, str], ...]:
    # Numeric identifiers sort numerically and below alphanumeric ones (semver 2.0.0 §11).
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre)


@dataclass(frozen=True)
class SemVer:
    major: int
    minor: int = 0
    patch: int = 0
    pre: tuple[str, ...] = ()

    @property
    def release(self) -> tuple[int, int, int]:
        return (self.major, self.minor, self.patch)

    def key(self) -> tuple[int, int, int, int, tuple[tuple[int, int, str], ...]]:
        return (self.major, self.minor, self.patch, 0 if self.pre else 1, _pre_key(self.pre))

    def __lt__(self, other: SemVer) -> bool:
        return self.key() < other.key()

    def __le__(self, other: SemVer) -> bool:
        return self.key() <= other.key()

    def __gt__(self, other: SemVer) -> bool:
        return self.key() > other.key()

    def __ge__(self, other: SemVer) -> bool:
        return self.key() >= other.key()

    def bump_patch(self) -> SemVer:
        return SemVer(self.major, self.minor, self.patch + 1)

    def __str__(self) -> str:
        base = f"{self.major}.{self.minor}.{self.patch}"
        return f"{base}-{'.'.join(self.pre)}" if self.pre else base


def parse_version(text: str) -> tuple[SemVer, int]:
    """A version and how many release components were given (1-3): `20` is a line."""
    match = _VERSION.match(text)
    if match is None or any(p and p in "xX*" for p in match.groups()[1:3]):
        raise InvalidSemver(f"{text!r} is not a semantic version")
    major, minor, patch, pre = match.groups()
    given = 1 + (minor is not None) + (patch is not None)
    version = SemVer(
        int(major), int(minor or 0), int(patch or 0), tuple(pre.split(".")) if pre else ()
    )
    return version, given


@dataclass(frozen=True)
class Comparator:
    op: str  # one of < <= > >= =
    version: SemVer

    def test(self, v: SemVer) -> bool:
        if self.op == "<":
            return v < self.version
        if self.op == "<=":
            return v <= self.version
        if self.op == ">":
            return v > self.version
        if self.op == ">=":
            return v >= self.version
        return v.key() == self.version.key()

    def __str__(self) -> str:
        return f"{self.op}{self.version}"


ComparatorSet = tuple[Comparator, ...]
ANY: ComparatorSet = (Comparator(">=", SemVer(0, 0, 0)),)


@dataclass(frozen=True)
class _Partial:
    major: int | None
    minor: int | None
    patch: int | None
    pre: tuple[str, ...]


def _partial(text: str) -> _Partial:
    match = _PARTIAL.match(text)
    if match is None:
        raise InvalidSemver(f"{text!r} is not a version or x-range")
    parts = match.groups()[:3]
    numbers: list[int | None] = []
    wild = False
    for part in parts:
        if part is None or part in ("*", "x", "X") or wild:
            wild = True
            numbers.append(None)
        else:
            numbers.append(int(part))
    pre = tuple(match.group(4).split(".")) if match.group(4) and numbers[2] is not None else ()
    return _Partial(numbers[0], numbers[1], numbers[2], pre)


def _upper(p: _Partial) -> SemVer:
    """The exclusive `-0` bound just above an x-range."""
    assert p.major is not None
    if p.minor is None:
        return SemVer(p.major + 1, 0, 0, ("0",))
    return SemVer(p.major, p.minor + 1, 0, ("0",))


def _lower(p: _Partial) -> SemVer:
    return SemVer(p.major or 0, p.minor or 0, p.patch or 0, p.pre)


def _xrange(p: _Partial) -> ComparatorSet:
    if p.major is None:
        return ANY
    if p.patch is None:
        return (Comparator(">=", _lower(p)), Comparator("<", _upper(p)))
    return (Comparator("=", _lower(p)),)


def _tilde(p: _Partial) -> ComparatorSet:
    if p.major is None:
        return ANY
    if p.minor is None:
        return (Comparator(">=", _lower(p)), Comparator("<", SemVer(p.major + 1, 0, 0, ("0",))))
    return (Comparator(">=", _lower(p)), Comparator("<", SemVer(p.major, p.minor + 1, 0, ("0",))))


def _caret(p: _Partial) -> ComparatorSet:
    if p.major is None:
        return ANY
    low = Comparator(">=", _lower(p))
    if p.major > 0 or p.minor is None:
        return (low, Comparator("<", SemVer(p.major + 1, 0, 0, ("0",))))
    if p.minor > 0 or p.patch is None:
        return (low, Comparator("<", SemVer(0, p.minor + 1, 0, ("0",))))
    return (low, Comparator("<", SemVer(0, 0, p.patch + 1, ("0",))))


def _primitive(op: str, p: _Partial) -> ComparatorSet:
    if p.major is None:
        return ANY if op in (">=", "<=", "=") else (Comparator("<", SemVer(0, 0, 0, ("0",))),)
    if p.patch is not None:
        return (Comparator(op, _lower(p)),)
    # Partial versions with an operator, as node-semver reads them.
    if op == ">":
        return (Comparator(">=", SemVer(*_upper(p).release)),)
    if op == ">=":
        return (Comparator(">=", _lower(p)),)
    if op == "<":
        return (Comparator("<", SemVer(p.major, p.minor or 0, 0, ("0",))),)
    if op == "<=":
        return (Comparator("<", _upper(p)),)
    return _xrange(p)


def _hyphen(low: _Partial, high: _Partial) -> ComparatorSet:
    comparators: list[Comparator] = []
    if low.major is not None:
        comparators.append(Comparator(">=", _lower(low)))
    if high.major is not None:
        if high.patch is not None:
            comparators.append(Comparator("<=", _lower(high)))
        else:
            comparators.append(Comparator("<", _upper(high)))
    return tuple(comparators) or ANY


def _simple(token: str) -> ComparatorSet:
    match = _OP.match(token)
    assert match is not None
    op, rest = match.group(1) or "", match.group(2)
    partial = _partial(rest)
    if op == "^":
        return _caret(partial)
    if op in ("~", "~>"):
        return _tilde(partial)
    if op == "":
        return _xrange(partial)
    return _primitive(op, partial)


@lru_cache(maxsize=4096)
def parse_range(text: str) -> tuple[ComparatorSet, ...]:
    """Desugar a range into OR-ed comparator sets; raises InvalidSemver."""
    sets: list[ComparatorSet] = []
    for alternative in text.split("||"):
        alternative = re.sub(r"(<=|>=|<|>|=|\^|~>|~)\s+", r"\1", alternative.strip())
        if not alternative:
            sets.append(ANY)
            continue
        hyphen = re.fullmatch(r"(\S+)\s+-\s+(\S+)", alternative)
        if hyphen:
            sets.append(_hyphen(_partial(hyphen.group(1)), _partial(hyphen.group(2))))
            continue
        comparators: list[Comparator] = []
        for token in alternative.split():
            comparators.extend(_simple(token))
        sets.append(tuple(comparators))
    return tuple(sets)


def _set_allows(comparators: ComparatorSet, v: SemVer) -> bool:
    if not all(c.test(v) for c in comparators):
        return False
    if not v.pre:
        return True
    return any(c.version.pre and c.version.release == v.release for c in comparators)


def satisfies(version: SemVer | str, range_text: str) -> bool:
    v = parse_version(version)[0] if isinstance(version, str) else version
    return any(_set_allows(s, v) for s in parse_range(range_text))


def boundary_versions(range_text: str) -> list[SemVer]:
    """Every version a range names, and the one just past each exclusive lower bound:
    the candidates at which the range's truth can change."""
    found: list[SemVer] = []
    for comparators in parse_range(range_text):
        for c in comparators:
            base = SemVer(*c.version.release)
            found.append(base)
            if c.op == ">":
                found.append(base.bump_patch())
    return found
