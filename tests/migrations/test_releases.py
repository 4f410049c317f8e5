"""PREVIOUS_RELEASE moves with releases (shared/adapters/sql/releases.py, ADR 0042).

Cutting a release is one commit: record it in `RELEASES` (version, commit, head), bump the
version. This fails while a release was cut without being recorded (the tree's version is
not the next after the last recorded one), recorded without the version moving on, or
recorded with a head that is not in the chain. In production, the `aia-migrate` job
refuses a database that is not at or after PREVIOUS_RELEASE (`--after-previous-release`):
the expand-only check covered only the migrations after it."""

from __future__ import annotations

import itertools
import tomllib
from collections.abc import Sequence
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from packaging.version import Version
from sqlalchemy import create_engine, text

import shared
from shared.adapters.sql.migrate import (
    NotAfterPreviousRelease,
    alembic_config,
    current_revision,
    migrate,
)
from shared.adapters.sql.releases import PREVIOUS_RELEASE, RELEASES, Release
from shared.cli import main
from tests.conftest import ROOT


def _chain() -> list[str]:
    """Every revision, oldest first."""
    scripts = ScriptDirectory.from_config(alembic_config())
    return [s.revision for s in reversed(list(scripts.walk_revisions()))]


def _next_versions(version: str) -> set[Version]:
    v = Version(version)
    return {
        Version(f"{v.major + 1}.0.0"),
        Version(f"{v.major}.{v.minor + 1}.0"),
        Version(f"{v.major}.{v.minor}.{v.micro + 1}"),
    }


def release_problems(releases: Sequence[Release], tree_version: str, chain: list[str]) -> list[str]:
    problems = []
    if not releases:
        return ["no release recorded"]
    for release in releases:
        if release.head not in chain:
            problems.append(f"{release.version}: head {release.head} is not a migration")
    for before, after in itertools.pairwise(releases):
        if Version(after.version) <= Version(before.version):
            problems.append(f"{after.version} is recorded after {before.version}")
        if {before.head, after.head} <= set(chain) and (
            chain.index(after.head) < chain.index(before.head)
        ):
            problems.append(f"{after.version}'s head {after.head} is before {before.head}")
    last = releases[-1]
    if Version(tree_version) <= Version(last.version):
        problems.append(
            f"the tree is still version {tree_version}, which was released: bump the version"
        )
    elif Version(tree_version) not in _next_versions(last.version):
        problems.append(
            f"the tree is version {tree_version} but the last recorded release is "
            f"{last.version}: record the releases cut in between (RELEASES)"
        )
    return problems


def tree_version() -> str:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["version"] == shared.__version__, "pyproject and shared.__version__ differ"
    return str(project["version"])


def test_the_record_of_releases_holds() -> None:
    assert release_problems(RELEASES, tree_version(), _chain()) == []
    assert RELEASES[-1].head == PREVIOUS_RELEASE
    assert all(len(r.commit) >= 7 for r in RELEASES)


CUT = Release("0.2.0", "abcdef1", "0012_growth_after_a_year")


@pytest.mark.parametrize(
    ("releases", "version", "found"),
    [
        # release 0.2.0 cut (the version moved on to 0.3.0) but never recorded
        (RELEASES, "0.3.0", "record the releases cut in between"),
        # recorded, but the tree still says 0.2.0
        ((*RELEASES, CUT), "0.2.0", "bump the version"),
        # recorded with a head that is no migration
        ((*RELEASES, CUT._replace(head="0099_nothing")), "0.3.0", "is not a migration"),
        # recorded with a head before the previous release's
        ((*RELEASES, CUT._replace(head="0004_governance")), "0.3.0", "is before"),
    ],
)
def test_the_check_bites(releases: tuple[Release, ...], version: str, found: str) -> None:
    problems = release_problems(releases, version, _chain())
    assert any(found in p for p in problems), problems
    # and the same release recorded properly passes
    assert release_problems((*RELEASES, CUT), "0.3.0", _chain()) == []


# --- the deploy's guard: aia migrate --after-previous-release --------------------------
def _database(tmp_path: Path, at: str | None) -> str:
    url = f"sqlite:///{tmp_path / 'aia.db'}"
    if at is not None:
        engine = create_engine(url)
        migrate(engine, at)
        engine.dispose()
    return url


def _revision(url: str) -> str | None:
    engine = create_engine(url)
    with engine.connect() as conn:
        revision = current_revision(conn)
    engine.dispose()
    return revision


def _before_previous_release() -> str:
    chain = _chain()
    return chain[chain.index(PREVIOUS_RELEASE) - 1]


@pytest.mark.parametrize("at", [None, PREVIOUS_RELEASE, "head"])
def test_a_database_at_or_after_the_previous_release_is_migrated(tmp_path: Path, at) -> None:
    url = _database(tmp_path, at)
    assert main(["migrate", "--url", url, "--after-previous-release"]) == 0
    assert _revision(url) == _chain()[-1]


def test_a_database_before_the_previous_release_is_refused(tmp_path: Path, capsys) -> None:
    before = _before_previous_release()
    url = _database(tmp_path, before)
    assert main(["migrate", "--url", url, "--after-previous-release"]) == 1
    assert f"before PREVIOUS_RELEASE {PREVIOUS_RELEASE}" in capsys.readouterr().err
    assert _revision(url) == before, "nothing was migrated"
    # without the flag (make run, a developer's database) it is migrated as before
    assert main(["migrate", "--url", url]) == 0
    assert _revision(url) == _chain()[-1]


def test_a_database_a_newer_release_migrated_is_refused(tmp_path: Path) -> None:
    url = _database(tmp_path, "head")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099_from_the_future'"))
    with pytest.raises(NotAfterPreviousRelease, match="does not know"):
        migrate(engine, previous_release=PREVIOUS_RELEASE)
    engine.dispose()
