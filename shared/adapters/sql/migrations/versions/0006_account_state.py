"""Account state every request checks: when the address was verified (the welcome grant
and transfers wait for it), a token version (logout everywhere, password reset and
disabling end every session at once) and why and when an operator disabled the account.

Accounts of the first release keep working but start unverified: they verify from the
link they can ask for again (their welcome grant, already paid, is not paid twice: the
grant's ledger key is per user). `welcome_grants` holds one row per mailbox that was paid.

Revision ID: 0006_account_state
Revises: 0005_simulations
"""

import sqlalchemy as sa
from alembic import op

from shared.adapters.sql.schema import UtcDateTime

revision = "0006_account_state"
down_revision = "0005_simulations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "welcome_grants",
        sa.Column("mailbox_digest", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("granted_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name="fk_welcome_grants_user_id_users",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("mailbox_digest", name="pk_welcome_grants"),
    )
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("email_verified_at", UtcDateTime(), nullable=True))
        batch.add_column(
            sa.Column("token_version", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("disabled_at", UtcDateTime(), nullable=True))
        batch.add_column(
            sa.Column("disabled_reason", sa.String(300), nullable=False, server_default="")
        )


def downgrade() -> None:
    op.drop_table("welcome_grants")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("disabled_reason")
        batch.drop_column("disabled_at")
        batch.drop_column("token_version")
        batch.drop_column("email_verified_at")
