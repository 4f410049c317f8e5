"""A month's real GDP growth is year on year, so it has no value before a year of
months exists: `simulation_metrics.gdp_growth` becomes nullable, and the first year's
stored figures (one month's change annualised, 93 % in month one) become NULL. They
were derived from `gdp_real`, which stays; nothing a later month needs is lost.

Revision ID: 0012_growth_after_a_year
Revises: 0009_simulations_in_sql
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_growth_after_a_year"
down_revision = "0011_policy_decided_by"
branch_labels = None
depends_on = None

MONTHS = 12


def upgrade() -> None:
    with op.batch_alter_table("simulation_metrics") as batch:
        batch.alter_column("gdp_growth", existing_type=sa.Float(), nullable=True)
    op.execute(f"UPDATE simulation_metrics SET gdp_growth = NULL WHERE tick <= {MONTHS}")  # noqa: S608 - a constant


def downgrade() -> None:
    # the earlier release needs a number: "no growth" is the least misleading one
    op.execute("UPDATE simulation_metrics SET gdp_growth = 0 WHERE gdp_growth IS NULL")
    with op.batch_alter_table("simulation_metrics") as batch:
        batch.alter_column("gdp_growth", existing_type=sa.Float(), nullable=False)
