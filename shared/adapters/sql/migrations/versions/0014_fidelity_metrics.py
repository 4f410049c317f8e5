"""Two figures the fidelity suite measures become metrics of every month (ADR 0041):
`simulation_metrics.labour_share` and `price_change_share`, nullable: months stored
before them have no value (the model did not measure them), and the previous release,
which does not know them, still inserts its rows.

Revision ID: 0014_fidelity_metrics
Revises: 0013_model_version
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_fidelity_metrics"
down_revision = "0013_model_version"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("simulation_metrics") as batch:
        batch.add_column(sa.Column("labour_share", sa.Float(), nullable=True))
        batch.add_column(sa.Column("price_change_share", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("simulation_metrics") as batch:
        batch.drop_column("price_change_share")
        batch.drop_column("labour_share")
