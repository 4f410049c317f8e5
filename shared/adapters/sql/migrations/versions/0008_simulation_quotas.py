"""Per-user simulation limits: the runs each user started (household-months, start,
finish) and a row per user that serialises their admissions.

Simulations started before this revision have no run row: they count toward neither
limit.

Revision ID: 0008_simulation_quotas
Revises: 0007_payments
"""

import sqlalchemy as sa
from alembic import op

from shared.adapters.sql.schema import UtcDateTime

revision = "0008_simulation_quotas"
down_revision = "0007_payments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "simulation_runs",
        sa.Column("simulation_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("household_months", sa.BigInteger(), nullable=False),
        sa.Column("started_at", UtcDateTime(), nullable=False),
        sa.Column("finished_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("simulation_id", name="pk_simulation_runs"),
    )
    op.create_index("ix_simulation_runs_user_id", "simulation_runs", ["user_id", "started_at"])
    op.create_table(
        "simulation_quotas",
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("admitted_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_simulation_quotas"),
    )


def downgrade() -> None:
    op.drop_table("simulation_quotas")
    op.drop_index("ix_simulation_runs_user_id", table_name="simulation_runs")
    op.drop_table("simulation_runs")
