"""The token ledger: accounts, append-only journal (entries and lines), supply, audit.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

from shared.adapters.sql.schema import UtcDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_APPEND_ONLY = """
CREATE OR REPLACE FUNCTION ledger_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'the ledger journal is append-only (% on %)', TG_OP, TG_TABLE_NAME;
END $$ LANGUAGE plpgsql;
"""


def upgrade() -> None:
    op.create_table(
        "ledger_accounts",
        sa.Column("id", sa.String(120), nullable=False),
        sa.Column("owner", sa.String(100), nullable=False),
        sa.Column("token", sa.String(10), nullable=False),
        sa.Column("balance", sa.BigInteger(), nullable=False),
        sa.Column("frozen", sa.Boolean(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_accounts"),
        # the issuance account holds minus the supply; every other balance is >= 0
        sa.CheckConstraint(
            "balance >= 0 OR owner = 'issuance'", name="ck_ledger_accounts_not_negative"
        ),
    )
    op.create_index("ix_ledger_accounts_owner", "ledger_accounts", ["owner"])
    op.create_table(
        "ledger_entries",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("idempotency_key", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("memo", sa.String(500), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_entries"),
        sa.UniqueConstraint("idempotency_key", name="uq_ledger_entries_idempotency_key"),
    )
    op.create_table(
        "ledger_lines",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entry_id", sa.String(36), nullable=False),
        sa.Column("account_id", sa.String(120), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("balance_after", sa.BigInteger(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_lines"),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["ledger_entries.id"], name="fk_ledger_lines_entry_id_ledger_entries"
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["ledger_accounts.id"],
            name="fk_ledger_lines_account_id_ledger_accounts",
        ),
    )
    op.create_index(
        "ix_ledger_lines_account_id", "ledger_lines", ["account_id", "created_at", "id"]
    )
    op.create_index("ix_ledger_lines_entry_id", "ledger_lines", ["entry_id"])
    op.create_table(
        "ledger_supply",
        sa.Column("token", sa.String(10), nullable=False),
        sa.Column("minted", sa.BigInteger(), nullable=False),
        sa.Column("burned", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("token", name="pk_ledger_supply"),
    )
    op.create_table(
        "ledger_audit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("subject", sa.String(120), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_audit"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_APPEND_ONLY)
        for table in ("ledger_entries", "ledger_lines", "ledger_audit"):
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION ledger_append_only()"
            )
    else:
        for table in ("ledger_entries", "ledger_lines", "ledger_audit"):
            for op_name in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{op_name.lower()} BEFORE {op_name} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, 'the ledger journal is append-only'); END"
                )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in ("ledger_entries", "ledger_lines", "ledger_audit"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute("DROP FUNCTION IF EXISTS ledger_append_only()")
    for table in (
        "ledger_audit",
        "ledger_supply",
        "ledger_lines",
        "ledger_entries",
        "ledger_accounts",
    ):
        op.drop_table(table)
