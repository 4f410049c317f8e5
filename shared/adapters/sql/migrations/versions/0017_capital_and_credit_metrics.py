"""A month's metrics gain firms' capital and the bank's credit (ADR 0044): capacity
utilisation, firms' loans, the share of loan demand refused, the bank's capital ratio,
its recapitalisation and the month's write-offs. Months stored before have none (NULL):
their model had no capital or loans.

Revision ID: 0017_capital_and_credit_metrics
Revises: 0016_public_finance_metrics
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_capital_and_credit_metrics"
down_revision = "0016_public_finance_metrics"
branch_labels = None
depends_on = None

COLUMNS = (
    "capacity_utilisation",
    "firm_loans",
    "credit_rationed",
    "bank_capital_ratio",
    "bank_recapitalisation",
    "write_offs",
)


def upgrade() -> None:
    with op.batch_alter_table("simulation_metrics") as batch:
        for name in COLUMNS:
            batch.add_column(sa.Column(name, sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("simulation_metrics") as batch:
        for name in reversed(COLUMNS):
            batch.drop_column(name)
