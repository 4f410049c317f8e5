"""Schema migrations (Alembic), run at startup of the local runtime and by the
deployment pipeline (`aia migrate`) before new revisions take traffic."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

_LOCK_ID = 0x013A  # PostgreSQL advisory lock: one migrator at a time
log = logging.getLogger("aia.migrate")


class NotAfterPreviousRelease(RuntimeError):
    """The database runs a schema older than the release the expand-only check assumed:
    the migrations in between were never checked against what serves on it."""


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    return config


def migrate(engine: Engine, revision: str = "head", previous_release: str | None = None) -> None:
    """Upgrade to `revision`. With `previous_release` (the deploy's job passes
    PREVIOUS_RELEASE), refuse a database that is not empty and not at or after it."""
    config = alembic_config()
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})
        before = current_revision(conn)
        if previous_release is not None:
            check_at_or_after(before, previous_release)
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
        # the job's log records the schema each deploy found and left
        log.info(
            "schema %s -> %s (previous release %s)",
            before or "empty",
            current_revision(conn),
            previous_release or "not checked",
        )


def current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def check_at_or_after(deployed: str | None, previous_release: str) -> None:
    """A first deploy (no schema) passes; else the deployed revision must be the previous
    release's head or one of its descendants in this image's chain."""
    if deployed is None:
        return
    scripts = ScriptDirectory.from_config(alembic_config())
    known = {s.revision for s in scripts.walk_revisions()}
    if deployed not in known:
        raise NotAfterPreviousRelease(
            f"the database is at {deployed}, a revision this release does not know "
            "(a newer release migrated it: deploy that one or later)"
        )
    history = {s.revision for s in scripts.walk_revisions(base="base", head=deployed)}
    if previous_release not in history:
        raise NotAfterPreviousRelease(
            f"the database is at {deployed}, before PREVIOUS_RELEASE {previous_release}: "
            "the migrations in between were never checked against the release serving "
            "on it (shared/adapters/sql/releases.py names a release that was not deployed)"
        )
