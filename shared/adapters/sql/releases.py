"""Which schema the serving release runs on, for the rule that keeps a deploy reversible.

A deploy migrates first (the `aia-migrate` job), then the previous release keeps serving
on the new schema until traffic shifts, and serves on it again after a rollback. So every
migration after `PREVIOUS_RELEASE` must only expand: add tables, nullable columns or
columns with a server default, indexes; never drop or rename a table or column, never make
a column NOT NULL without a default. Removing what no release uses any more is a
*contract* step: its own migration, in a later release than the one that stopped using
it, with a module-level `contract_step = "<why it is safe>"` that the check reads
(tests/migrations/test_expand_only.py). docs/decisions/0033-migrations-and-restore.md.

`PREVIOUS_RELEASE` is the Alembic head of the last release that shipped: release 1
(commit 5ef2801), whose database with its data is committed under tests/migrations/
(release-1.*.sql). No release has been tagged since; whoever cuts the next one sets this
to that release's head when it ships."""

from __future__ import annotations

PREVIOUS_RELEASE = "0005_simulations"
