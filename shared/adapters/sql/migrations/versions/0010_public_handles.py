"""Public handles: a user may choose one so others can pay them by name (`@ada`) rather
than by address or id. NULL for everyone until they choose; unique (stored lower case).

Revision ID: 0010_public_handles
Revises: 0009_simulations_in_sql
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_public_handles"
down_revision = "0009_simulations_in_sql"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("handle", sa.String(30), nullable=True))
        batch.create_index("ix_users_handle", ["handle"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_index("ix_users_handle")
        batch.drop_column("handle")
