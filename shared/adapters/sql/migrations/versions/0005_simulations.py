"""Simulations: state blobs, per-tick metrics, applied policy changes (the tables the
simulation store used to create itself).

Revision ID: 0005_simulations
Revises: 0004_governance
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_simulations"
down_revision = "0004_governance"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Databases that ran the store's own create_all before this revision keep their
    # tables: create only what is missing.
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "simulation_states" not in existing:
        op.create_table(
            "simulation_states",
            sa.Column("simulation_id", sa.String(64), nullable=False),
            sa.Column("tick", sa.Integer(), nullable=False),
            sa.Column("horizon", sa.Integer(), nullable=True),
            sa.Column("params", sa.Text(), nullable=False),
            sa.Column("state", sa.LargeBinary(), nullable=False),
            sa.Column("last_event_id", sa.String(64), nullable=True),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("simulation_id", name="pk_simulation_states"),
        )
    if "simulation_metrics" not in existing:
        op.create_table(
            "simulation_metrics",
            sa.Column("simulation_id", sa.String(64), nullable=False),
            sa.Column("tick", sa.Integer(), nullable=False),
            sa.Column("gdp_nominal", sa.Float(), nullable=False),
            sa.Column("gdp_real", sa.Float(), nullable=False),
            sa.Column("gdp_growth", sa.Float(), nullable=False),
            sa.Column("labor_productivity", sa.Float(), nullable=False),
            sa.Column("unemployment_rate", sa.Float(), nullable=False),
            sa.Column("inflation", sa.Float(), nullable=False),
            sa.Column("policy_rate", sa.Float(), nullable=False),
            sa.Column("output_gap", sa.Float(), nullable=False),
            sa.Column("tax_revenue", sa.Float(), nullable=False),
            sa.Column("gini_income", sa.Float(), nullable=False),
            sa.Column("gini_wealth", sa.Float(), nullable=False),
            sa.Column("mean_health", sa.Float(), nullable=False),
            sa.Column("population", sa.BigInteger(), nullable=False),
            sa.Column("aia_supply", sa.Float(), nullable=False),
            sa.Column("aia_velocity", sa.Float(), nullable=False),
            sa.Column("aia_gov_supply", sa.Float(), nullable=False),
            sa.Column("vacancy_rate", sa.Float(), nullable=False),
            sa.Column("participation_rate", sa.Float(), nullable=False),
            sa.Column("employment", sa.BigInteger(), nullable=False),
            sa.Column("cpi", sa.Float(), nullable=False),
            sa.Column("average_wage", sa.Float(), nullable=False),
            sa.Column("consumption", sa.Float(), nullable=False),
            sa.Column("investment", sa.Float(), nullable=False),
            sa.Column("public_spending", sa.Float(), nullable=False),
            sa.Column("government_balance", sa.Float(), nullable=False),
            sa.Column("public_debt_ratio", sa.Float(), nullable=False),
            sa.Column("aia_price", sa.Float(), nullable=False),
            sa.Column("aia_minted", sa.Float(), nullable=False),
            sa.Column("aia_burned", sa.Float(), nullable=False),
            sa.Column("aia_gov_staked_share", sa.Float(), nullable=False),
            sa.Column("aia_gov_gini", sa.Float(), nullable=False),
            sa.Column("firms_hiring", sa.BigInteger(), nullable=False),
            sa.Column("firm_exits", sa.BigInteger(), nullable=False),
            sa.Column("firm_size_skewness", sa.Float(), nullable=False),
            sa.Column("sfc_error", sa.Float(), nullable=False),
            sa.Column("token_error", sa.Float(), nullable=False),
            sa.PrimaryKeyConstraint("simulation_id", "tick", name="pk_simulation_metrics"),
        )
    if "simulation_policy_changes" not in existing:
        op.create_table(
            "simulation_policy_changes",
            sa.Column("event_id", sa.String(64), nullable=False),
            sa.Column("simulation_id", sa.String(64), nullable=False),
            sa.Column("tick", sa.Integer(), nullable=False),
            sa.Column("changes", sa.Text(), nullable=False),
            sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("event_id", name="pk_simulation_policy_changes"),
        )
        op.create_index(
            "ix_simulation_policy_changes_simulation_id",
            "simulation_policy_changes",
            ["simulation_id"],
        )


def downgrade() -> None:
    for table in ("simulation_policy_changes", "simulation_metrics", "simulation_states"):
        op.drop_table(table)
