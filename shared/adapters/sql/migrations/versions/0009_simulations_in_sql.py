"""A simulation lives in its SQL row: owner, status, charge, agent, latest figures and
times join its parameters, tick and state (docs/decisions/0004-simulation-state-layout.md).
The state is NULL until the first tick builds it. The per-run quota rows of
`simulation_runs` fold into the row (household-months, start, finish) and the table
goes; `simulation_quotas` stays, the row each admission locks. A policy change keeps
its reason.

The rows have no owner ("") until the first release's documents are copied in when the
simulation store starts (`shared.simulation.first_release`): the owner, charge, agent,
latest figures and times are only there.

Revision ID: 0009_simulations_in_sql
Revises: 0008_simulation_quotas
"""

import sqlalchemy as sa
from alembic import op

from shared.adapters.sql.schema import UtcDateTime

revision = "0009_simulations_in_sql"
down_revision = "0008_simulation_quotas"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("simulation_states") as batch:
        batch.add_column(sa.Column("owner_id", sa.String(64), nullable=False, server_default=""))
        batch.add_column(
            sa.Column("status", sa.String(16), nullable=False, server_default="queued")
        )
        batch.add_column(sa.Column("latest", sa.Text(), nullable=False, server_default="{}"))
        batch.add_column(
            sa.Column("charged_minor", sa.BigInteger(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("agent_id", sa.String(64), nullable=True))
        batch.add_column(sa.Column("household_months", sa.BigInteger(), nullable=True))
        batch.add_column(
            sa.Column(
                "created_at",
                UtcDateTime(),
                nullable=False,
                server_default=sa.text("CURRENT_TIMESTAMP"),
            )
        )
        batch.alter_column("state", existing_type=sa.LargeBinary(), nullable=True)
        batch.create_index("ix_simulation_states_owner_id", ["owner_id", "created_at"])
    # where a run is, from its tick; a finished quota row without the horizon reached
    # is a failed run; the quota rows' household-months and start move in
    op.execute(
        """
        UPDATE simulation_states SET
            created_at = COALESCE(
                (SELECT r.started_at FROM simulation_runs r
                 WHERE r.simulation_id = simulation_states.simulation_id),
                updated_at),
            household_months = (SELECT r.household_months FROM simulation_runs r
                                WHERE r.simulation_id = simulation_states.simulation_id),
            status = CASE
                WHEN horizon IS NOT NULL AND tick >= horizon THEN 'completed'
                WHEN EXISTS (SELECT 1 FROM simulation_runs r
                             WHERE r.simulation_id = simulation_states.simulation_id
                             AND r.finished_at IS NOT NULL) THEN 'failed'
                WHEN horizon IS NULL OR tick > 0 THEN 'running'
                ELSE 'queued'
            END
        """
    )
    op.drop_index("ix_simulation_runs_user_id", table_name="simulation_runs")
    op.drop_table("simulation_runs")
    with op.batch_alter_table("simulation_policy_changes") as batch:
        batch.add_column(sa.Column("reason", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("simulation_policy_changes") as batch:
        batch.drop_column("reason")
    op.create_table(
        "simulation_runs",
        sa.Column("simulation_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("household_months", sa.BigInteger(), nullable=False),
        sa.Column("started_at", UtcDateTime(), nullable=False),
        sa.Column("finished_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("simulation_id", name="pk_simulation_runs"),
    )
    op.create_index("ix_simulation_runs_user_id", "simulation_runs", ["user_id", "started_at"])
    op.execute(
        """
        INSERT INTO simulation_runs
            (simulation_id, user_id, household_months, started_at, finished_at)
        SELECT simulation_id, owner_id, household_months, created_at,
               CASE WHEN status IN ('completed', 'failed') THEN updated_at END
        FROM simulation_states WHERE household_months IS NOT NULL AND owner_id <> ''
        """
    )
    # a run that never started has no state; the earlier release cannot hold it
    op.execute("DELETE FROM simulation_states WHERE state IS NULL")
    with op.batch_alter_table("simulation_states") as batch:
        batch.drop_index("ix_simulation_states_owner_id")
        batch.alter_column("state", existing_type=sa.LargeBinary(), nullable=False)
        for column in (
            "created_at",
            "household_months",
            "agent_id",
            "charged_minor",
            "latest",
            "status",
            "owner_id",
        ):
            batch.drop_column(column)
