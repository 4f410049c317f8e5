"""A month's metrics gain expected inflation and the central bank's credibility (ADR
0050). Months stored before have none (NULL): their model wrote the target into a wage
norm and had no credibility to report.

Revision ID: 0018_expectations_metrics
Revises: 0017_capital_and_credit_metrics
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_expectations_metrics"
down_revision = "0017_capital_and_credit_metrics"
branch_labels = None
depends_on = None

COLUMNS = (
    "expected_inflation",
    "central_bank_credibility",
)


def upgrade() -> None:
    with op.batch_alter_table("simulation_metrics") as batch:
        for name in COLUMNS:
            batch.add_column(sa.Column(name, sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("simulation_metrics") as batch:
        for name in reversed(COLUMNS):
            batch.drop_column(name)
