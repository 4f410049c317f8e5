"""Deploys stay reversible (shared/adapters/sql/releases.py, ADR 0033): every migration
after the previous release only expands the schema, unless it declares itself a contract
step; the check reads each migration's `upgrade()` and is shown to bite on deliberate
mistakes. On PostgreSQL: the chain takes an empty database to head one revision at a
time, and the previous release's database keeps every row and value through the upgrade
while what the previous release writes still fits the head schema (its rows insert)."""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from shared.adapters.sql.migrate import alembic_config, migrate
from shared.adapters.sql.releases import PREVIOUS_RELEASE
from tests.support.postgres import temporary_database

HERE = Path(__file__).parent
RELEASE_SQL = HERE / "release-1.postgresql.sql"
# Values a migration after the previous release rewrote on purpose, and why.
REWRITTEN = {
    ("simulation_metrics", "gdp_growth"): "0012: growth is year on year, none in months 1-12",
}
_DESTRUCTIVE_SQL = re.compile(r"\b(DROP\s+(TABLE|COLUMN)|RENAME\b|SET\s+NOT\s+NULL)", re.I)


def _revisions_after(base: str) -> list[tuple[str, Path]]:
    """(revision, file) of each migration after `base`, oldest first."""
    scripts = ScriptDirectory.from_config(alembic_config())
    chain = [(s.revision, Path(str(s.path))) for s in scripts.walk_revisions(base=base)]
    return [r for r in reversed(chain) if r[0] != base]


def _literal(node: ast.AST | None) -> object:
    try:
        return ast.literal_eval(node) if node is not None else None
    except ValueError:
        return None


def destructive_changes(source: str, born: set[str]) -> list[str]:
    """What `upgrade()` does that the previous release could trip on. `born`: tables
    created after the previous release (no release depends on them; they may go)."""
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "contract_step" for t in node.targets
        ):
            return []  # a declared contract step of a later release
    upgrade = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "upgrade")
    found: list[str] = []
    for node in ast.walk(upgrade):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        call, kw = node.func.attr, {k.arg: k.value for k in node.keywords}
        first = _literal(node.args[0]) if node.args else None
        if call == "create_table" and isinstance(first, str):
            born.add(first)
        elif call == "drop_table" and first not in born:
            found.append(f"drops table {first}")
        elif call == "drop_column":
            found.append(f"drops column {_literal(node.args[-1])}")
        elif call == "rename_table":
            found.append(f"renames table {first}")
        elif call == "alter_column":
            if "new_column_name" in kw:
                found.append(f"renames column {first}")
            if _literal(kw.get("nullable")) is False and "server_default" not in kw:
                found.append(f"makes {first} NOT NULL")
            if "type_" in kw:
                found.append(f"changes the type of {first}")
        elif call == "add_column" and node.args and isinstance(node.args[-1], ast.Call):
            column = node.args[-1]
            ckw = {k.arg: k.value for k in column.keywords}
            if _literal(ckw.get("nullable")) is False and "server_default" not in ckw:
                found.append(f"adds NOT NULL column {_literal(column.args[0])} with no default")
        elif call == "execute" and isinstance(first, str) and _DESTRUCTIVE_SQL.search(first):
            found.append(f"runs {_DESTRUCTIVE_SQL.search(first).group(0)!r}")  # type: ignore[union-attr]
    return found


def test_every_migration_after_the_previous_release_only_expands() -> None:
    after = _revisions_after(PREVIOUS_RELEASE)
    assert after, "no migration after the previous release: nothing checked"
    born: set[str] = set()
    found = {rev: destructive_changes(path.read_text(), born) for rev, path in after}
    assert {rev: f for rev, f in found.items() if f} == {}


BAD = {
    "drops a column": "batch.drop_column('email')",
    "drops a table the release uses": "op.drop_table('users')",
    "renames a column": "batch.alter_column('email', new_column_name='mail')",
    "renames a table": "op.rename_table('users', 'people')",
    "NOT NULL without default": "batch.add_column(sa.Column('x', sa.Text(), nullable=False))",
    "tightens a column": "batch.alter_column('name', existing_type=sa.Text(), nullable=False)",
    "changes a type": "batch.alter_column('name', type_=sa.Integer())",
    "drops in SQL": "op.execute('ALTER TABLE users DROP COLUMN name')",
}


@pytest.mark.parametrize("change", sorted(BAD))
def test_the_check_bites(change: str) -> None:
    source = f"def upgrade() -> None:\n    {BAD[change]}\n"
    assert destructive_changes(source, set()) != []
    # the same change declared as a later release's contract step passes
    assert destructive_changes(f"contract_step = 'unused since release 2'\n{source}", set()) == []


def test_what_the_check_lets_through() -> None:
    source = """def upgrade() -> None:
    op.create_table('runs', sa.Column('id', sa.Text(), nullable=False))
    batch.add_column(sa.Column('x', sa.Text(), nullable=False, server_default=''))
    batch.add_column(sa.Column('y', sa.Text(), nullable=True))
    batch.alter_column('state', existing_type=sa.LargeBinary(), nullable=True)
    op.drop_table('runs')
"""
    assert destructive_changes(source, set()) == []


# --- on PostgreSQL ---------------------------------------------------------------------
def _head() -> str:
    [head] = ScriptDirectory.from_config(alembic_config()).get_heads()
    return head


def _load_release(url: str, only_rows: bool = False) -> None:
    sql = RELEASE_SQL.read_text()
    if only_rows:  # what the release's code writes, into a schema migrated here
        # (pg_dump's order is by table name, not by foreign key: checked in any order)
        sql = "SET session_replication_role = replica;\n" + "\n".join(
            line
            for line in sql.splitlines()
            if line.startswith("INSERT INTO") and "alembic_version" not in line
        )
    libpq = url.replace("postgresql+psycopg://", "postgresql://")
    subprocess.run(
        ["psql", "--quiet", "-v", "ON_ERROR_STOP=1", "-d", libpq],
        input=sql,
        text=True,
        check=True,
        capture_output=True,
    )


def _rows(url: str) -> dict[str, list[dict[str, object]]]:
    engine = create_engine(url)
    try:
        tables = [t for t in inspect(engine).get_table_names() if t != "alembic_version"]
        with engine.connect() as conn:
            return {
                t: [dict(r._mapping) for r in conn.execute(text(f'SELECT * FROM "{t}"'))]
                for t in tables
            }
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_the_chain_takes_an_empty_database_to_head_one_revision_at_a_time() -> None:
    scripts = ScriptDirectory.from_config(alembic_config())
    revisions = [s.revision for s in reversed(list(scripts.walk_revisions()))]
    with temporary_database("aia_chain") as url:
        engine = create_engine(url)
        try:
            for revision in revisions:
                migrate(engine, revision)
                with engine.connect() as conn:
                    version = conn.execute(text("SELECT version_num FROM alembic_version"))
                    assert version.scalar() == revision
            migrate(engine)  # at head: nothing to do
        finally:
            engine.dispose()
    assert revisions[-1] == _head()


@pytest.mark.postgres
def test_the_previous_release_database_keeps_every_row_through_the_upgrade() -> None:
    with temporary_database("aia_previous") as url:
        _load_release(url)
        before = _rows(url)
        engine = create_engine(url)
        with engine.connect() as conn:
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        assert version == PREVIOUS_RELEASE, "the fixture is not the previous release"
        migrate(engine)
        engine.dispose()
        after = _rows(url)
    assert sum(len(rows) for rows in before.values()) > 20, "the fixture holds data"
    for table, rows in before.items():
        assert len(after[table]) == len(rows), table
        kept = [{c: v for c, v in row.items() if (table, c) not in REWRITTEN} for row in rows]
        now = [{c: row[c] for c in kept[0]} for row in after[table]] if rows else []
        assert sorted(map(repr, now)) == sorted(map(repr, kept)), table


@pytest.mark.postgres
def test_what_the_previous_release_writes_still_fits_the_head_schema() -> None:
    """Its rows, as it wrote them (positional, without the columns added since), insert
    into a database migrated to head: a rollback to it would not fail on a write."""
    with temporary_database("aia_rollback") as url:
        engine = create_engine(url)
        migrate(engine)
        engine.dispose()
        _load_release(url, only_rows=True)
        assert len(_rows(url)["ledger_lines"]) > 0
