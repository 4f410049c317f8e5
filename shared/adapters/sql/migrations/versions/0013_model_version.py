"""Every simulation records the economy model version that produced it
(`shared.simulation.model_version`): the rows stored before are model 1 (the server
default, which is also what the previous release writes while it still serves), and a
failed run keeps why it failed. The live economy's moves to a new model are recorded
with the month they met and the state they replaced. Expand only (ADR 0033).

Revision ID: 0013_model_version
Revises: 0012_growth_after_a_year
"""

import sqlalchemy as sa
from alembic import op

from shared.adapters.sql.schema import UtcDateTime

revision = "0013_model_version"
down_revision = "0012_growth_after_a_year"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("simulation_states") as batch:
        batch.add_column(
            sa.Column("model_version", sa.Integer(), nullable=False, server_default="1")
        )
        batch.add_column(sa.Column("failure_reason", sa.Text(), nullable=True))
    op.create_table(
        "simulation_model_changes",
        sa.Column("simulation_id", sa.String(64), nullable=False),
        sa.Column("tick", sa.Integer(), nullable=False),
        sa.Column("from_version", sa.Integer(), nullable=False),
        sa.Column("to_version", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("changed_at", UtcDateTime(), nullable=False),
        sa.Column("previous_state", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("simulation_id", "tick", name="pk_simulation_model_changes"),
    )


def downgrade() -> None:
    op.drop_table("simulation_model_changes")
    with op.batch_alter_table("simulation_states") as batch:
        batch.drop_column("failure_reason")
        batch.drop_column("model_version")
