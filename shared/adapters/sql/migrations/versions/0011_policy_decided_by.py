"""A policy change remembers the governance proposal that decided it, so
`GET /v1/economy/policy` can say which proposal last changed the live economy's policy.
Changes recorded before this revision have none (their reason names the proposal).

Revision ID: 0011_policy_decided_by
Revises: 0009_simulations_in_sql
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_policy_decided_by"
down_revision = "0010_public_handles"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("simulation_policy_changes") as batch:
        batch.add_column(sa.Column("decided_by", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("simulation_policy_changes") as batch:
        batch.drop_column("decided_by")
