"""Which schema the serving release runs on, for the rule that keeps a deploy reversible.

A deploy migrates first (the `aia-migrate` job), then the previous release keeps serving
on the new schema until traffic shifts, and serves on it again after a rollback. So every
migration after `PREVIOUS_RELEASE` must only expand: add tables, nullable columns or
columns with a server default, indexes; never drop or rename a table or column, never make
a column NOT NULL without a default. Removing what no release uses any more is a
*contract* step: its own migration, in a later release than the one that stopped using
it, with a module-level `contract_step = "<why it is safe>"` that the check reads
(tests/migrations/test_expand_only.py). docs/decisions/0033-migrations-and-restore.md.

`RELEASES` records every release cut, with the Alembic head it shipped; the tree's version
(pyproject.toml, `shared.__version__`) is the release being built, the next one after the
last recorded. Cutting a release is one commit: append it here (its version, commit and
head), bump the version, rebuild the previous release's database fixture at that commit
(tests/migrations/build_release_fixture.py). tests/migrations/test_releases.py fails while
any of that is missing, and the `aia-migrate` job refuses to migrate a database that is
not at or after `PREVIOUS_RELEASE` (docs/deploy.md, "Releases and the schema";
docs/decisions/0042)."""

from __future__ import annotations

from typing import NamedTuple


class Release(NamedTuple):
    version: str  # pyproject's version while it was built
    commit: str  # the commit it was cut at
    head: str  # the Alembic head it shipped


RELEASES: tuple[Release, ...] = (
    # release 1, whose database with its data is committed under tests/migrations/
    Release("0.1.0", "5ef2801", "0005_simulations"),
)

PREVIOUS_RELEASE = RELEASES[-1].head
