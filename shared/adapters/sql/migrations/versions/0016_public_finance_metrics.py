"""A month's metrics gain the government's bond market (ADR 0040): the yield on new
bonds, the share of transfers and purchases cut by the debt brake or a crisis, and
the crisis flag. Months stored before have none (NULL): their model had no bonds.

Revision ID: 0016_public_finance_metrics
Revises: 0015_impact_previews
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_public_finance_metrics"
down_revision = "0015_impact_previews"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("simulation_metrics") as batch:
        batch.add_column(sa.Column("bond_yield", sa.Float(), nullable=True))
        batch.add_column(sa.Column("fiscal_cut", sa.Float(), nullable=True))
        batch.add_column(sa.Column("fiscal_crisis", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("simulation_metrics") as batch:
        batch.drop_column("fiscal_crisis")
        batch.drop_column("fiscal_cut")
        batch.drop_column("bond_yield")
