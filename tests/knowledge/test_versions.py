"""Version logic: PEP 440 through `packaging`, npm-style semver ranges, release lines."""

from __future__ import annotations

import pytest

from shared.knowledge.semver import InvalidSemver, parse_range, satisfies
from shared.knowledge.versions import InvalidConstraint, contains, judge, validate_constraint


@pytest.mark.parametrize(
    ("version", "range_text", "expected"),
    [
        ("1.2.3", "^1.2.3", True),
        ("1.9.9", "^1.2.3", True),
        ("2.0.0", "^1.2.3", False),
        ("0.2.9", "^0.2.3", True),
        ("0.3.0", "^0.2.3", False),  # caret below 1.0 locks the minor
        ("0.0.4", "^0.0.3", False),  # ... and below 0.1 the patch
        ("1.2.9", "~1.2.3", True),
        ("1.3.0", "~1.2.3", False),
        ("1.9.0", "~1", True),
        ("1.4.0", "1.x", True),
        ("2.0.0", "1.2.*", False),
        ("3.0.0", "*", True),
        ("2.3.9", "1.2.3 - 2.3", True),  # partial upper bound of a hyphen range
        ("2.4.0", "1.2.3 - 2.3", False),
        ("2.3.4", "1.2.3 - 2.3.4", True),
        ("1.3.0", ">1.2", True),  # >1.2 means >=1.3.0
        ("1.2.7", ">1.2", False),
        ("1.2.0", "<=1.2", True),
        ("1.3.0", "<=1.2", False),
        ("20.11.1", "^18.19.1 || ^20.11.1 || ^22.0.0", True),
        ("20.10.0", "^18.19.1 || ^20.11.1 || ^22.0.0", False),
        ("18.17.0", ">= 18.17.0", True),  # space after the operator
        ("v16.0.0", ">=16", True),
        ("1.2.3-beta.2", ">=1.2.3-beta.1 <2", True),
        ("1.2.4-beta", ">=1.2.3-beta.1 <2", False),  # prereleases only on the named tuple
        ("3.0.0-alpha", "^2", False),
        ("1.0.0-alpha", "1.0.0-alpha", True),
        ("1.0.0-alpha.1", ">1.0.0-alpha", True),  # numeric id after alphanumeric
        ("1.0.0-beta", ">1.0.0-alpha.1", True),
    ],
)
def test_semver_ranges(version: str, range_text: str, expected: bool) -> None:
    assert satisfies(version, range_text) is expected


def test_semver_desugaring_matches_node_semver() -> None:
    [[low, high]] = parse_range("^1.2.3")
    assert (str(low), str(high)) == (">=1.2.3", "<2.0.0")
    [[low, high]] = parse_range("~0.2")
    assert (str(low), str(high)) == (">=0.2.0", "<0.3.0")
    # the upper bounds exclude the next release's prereleases (node-semver 7 spells
    # them `<2.0.0-0`; the prerelease rule gives the same answers)
    assert not satisfies("2.0.0-0", "^1.2.3") and not satisfies("2.0.0-alpha", "^1.2.3")
    assert not satisfies("0.3.0-0", "~0.2") and satisfies("0.2.99", "~0.2")


@pytest.mark.parametrize("bad", ["^x.y", ">=1.2.3.4", "1.2.3 -", "~>"])
def test_invalid_semver_ranges_are_rejected(bad: str) -> None:
    with pytest.raises((InvalidSemver, InvalidConstraint)):
        validate_constraint("semver", bad)
    with pytest.raises(InvalidSemver):
        parse_range(bad)


@pytest.mark.parametrize(
    ("version", "spec", "expected"),
    [
        ("3.12", ">=3.10", True),
        ("3.9", ">=3.10", False),
        ("5.2.3", "==5.2.*", True),
        ("5.1", "==5.2.*", False),
        ("2.2.7", "~=2.2", True),
        ("3.0", "~=2.2", False),
        ("3.12.1", ">=3.10,<3.13", True),
        ("3.13.0", ">=3.10,<3.13", False),
        ("1.0rc1", ">=1.0rc1", True),
        ("2.0.post1", ">2.0", False),  # PEP 440: >V excludes post-releases of V
        ("2.0.post1", ">=2.0", True),
    ],
)
def test_pep440_specifiers(version: str, spec: str, expected: bool) -> None:
    assert contains("pep440", spec, version) is expected


def test_invalid_pep440_is_rejected() -> None:
    with pytest.raises(InvalidConstraint):
        validate_constraint("pep440", "=>3.10")


def test_release_lines_are_judged_as_lines() -> None:
    # Node 20 qualifies for Angular 18 from 20.11.1 on: the fix is that exact version.
    verdict = judge("semver", "^18.19.1 || ^20.11.1 || ^22.0.0", "20", line=True)
    assert (verdict.outcome, verdict.version) == ("upgrade-within-line", "20.11.1")
    assert judge("semver", "^18.19.1 || ^20.11.1 || ^22.0.0", "16", line=True).outcome == (
        "violated"
    )
    assert judge("pep440", ">=3.10", "3.12", line=True).outcome == "satisfied"
    verdict = judge("pep440", ">=3.9.5", "3.9", line=True)
    assert (verdict.outcome, verdict.version) == ("upgrade-within-line", "3.9.5")
    assert judge("pep440", ">=3.10", "3.9.18", line=False).outcome == "violated"
