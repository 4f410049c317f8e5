"""A month's metrics gain public capital: public purchases' share of GDP averaged over
the capital's lifetime, which firms' productivity follows (ADR 0053). Months stored
before have none (NULL): their model had no public capital.

Revision ID: 0020_public_capital_metric
Revises: 0019_bankruptcies_metric
"""

import sqlalchemy as sa
from alembic import op

revision = "0020_public_capital_metric"
down_revision = "0019_bankruptcies_metric"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("simulation_metrics") as batch:
        batch.add_column(sa.Column("public_capital", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("simulation_metrics") as batch:
        batch.drop_column("public_capital")
