"""A month's metrics gain its bankruptcies: the firms that closed because their debt
passed the limit, a part of its firm exits (ADR 0051). Months stored before have none
(NULL): their exits were not split by cause.

Revision ID: 0019_bankruptcies_metric
Revises: 0018_expectations_metrics
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_bankruptcies_metric"
down_revision = "0018_expectations_metrics"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("simulation_metrics") as batch:
        batch.add_column(sa.Column("firm_bankruptcies", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("simulation_metrics") as batch:
        batch.drop_column("firm_bankruptcies")
