"""Impact previews of governance proposals: a row per proposal (charge, start state,
figures) and a row per run (seed x with/without the change). New tables only: nothing
stored before changes.

Revision ID: 0015_impact_previews
Revises: 0014_fidelity_metrics
"""

import sqlalchemy as sa
from alembic import op

from shared.adapters.sql.schema import UtcDateTime

revision = "0015_impact_previews"
down_revision = "0014_fidelity_metrics"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "impact_previews",
        sa.Column("proposal_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("owner_id", sa.String(64), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column("params", sa.Text(), nullable=True),
        sa.Column("from_tick", sa.Integer(), nullable=True),
        sa.Column("seeds", sa.Text(), nullable=False),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("households", sa.Integer(), nullable=False),
        sa.Column("household_months", sa.BigInteger(), nullable=False),
        sa.Column("charged_minor", sa.BigInteger(), nullable=False),
        sa.Column("refunded", sa.Boolean(), nullable=False),
        sa.Column("start_state", sa.LargeBinary(), nullable=True),
        sa.Column("figures", sa.Text(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("completed_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("proposal_id", name="pk_impact_previews"),
    )
    op.create_index("ix_impact_previews_owner_id", "impact_previews", ["owner_id", "created_at"])
    op.create_table(
        "impact_preview_runs",
        sa.Column("proposal_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seed", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("branch", sa.String(16), nullable=False),
        sa.Column("tick", sa.Integer(), nullable=False),
        sa.Column("state", sa.LargeBinary(), nullable=True),
        sa.Column("series", sa.Text(), nullable=False),
        sa.Column("last_event_id", sa.String(64), nullable=True),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("proposal_id", "seed", "branch", name="pk_impact_preview_runs"),
    )


def downgrade() -> None:
    op.drop_table("impact_preview_runs")
    op.drop_index("ix_impact_previews_owner_id", table_name="impact_previews")
    op.drop_table("impact_previews")
