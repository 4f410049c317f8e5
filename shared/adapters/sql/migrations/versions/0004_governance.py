"""Governance: proposals, votes, delegation checkpoints, announced milestones.

Revision ID: 0004_governance
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from shared.adapters.sql.schema import UtcDateTime

revision = "0004_governance"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "governance_proposals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("proposer_id", sa.String(36), nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("actions", sa.Text(), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("snapshot_at", UtcDateTime(), nullable=False),
        sa.Column("deadline_at", UtcDateTime(), nullable=False),
        sa.Column("quorum_bps", sa.Integer(), nullable=False),
        sa.Column("quorum_mode", sa.String(10), nullable=False),
        sa.Column("timelock_seconds", sa.Integer(), nullable=False),
        sa.Column("grace_seconds", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(12), nullable=True),
        sa.Column("quorum", sa.BigInteger(), nullable=True),
        sa.Column("queued_at", UtcDateTime(), nullable=True),
        sa.Column("eta", UtcDateTime(), nullable=True),
        sa.Column("executed_at", UtcDateTime(), nullable=True),
        sa.Column("canceled_at", UtcDateTime(), nullable=True),
        sa.Column("canceled_by", sa.String(100), nullable=True),
        sa.Column("settled", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_governance_proposals"),
    )
    op.create_index(
        "ix_governance_proposals_proposer_id",
        "governance_proposals",
        ["proposer_id", "idempotency_key"],
        unique=True,
    )
    op.create_index("ix_governance_proposals_settled", "governance_proposals", ["settled"])
    op.create_table(
        "governance_votes",
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("voter_id", sa.String(36), nullable=False),
        sa.Column("support", sa.String(8), nullable=False),
        sa.Column("power", sa.BigInteger(), nullable=False),
        sa.Column("conviction", sa.Integer(), nullable=False),
        sa.Column("locked", sa.BigInteger(), nullable=False),
        sa.Column("weight", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("cast_at", UtcDateTime(), nullable=False),
        sa.Column("lock_owner", sa.String(100), nullable=True),
        sa.Column("lock_state", sa.String(10), nullable=False),
        sa.Column("release_at", UtcDateTime(), nullable=True),
        sa.Column("locked_at", UtcDateTime(), nullable=True),
        sa.Column("released_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("proposal_id", "voter_id", name="pk_governance_votes"),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["governance_proposals.id"],
            name="fk_governance_votes_proposal_id_governance_proposals",
        ),
    )
    op.create_index("ix_governance_votes_voter_id", "governance_votes", ["voter_id"])
    op.create_index(
        "ix_governance_votes_lock_state", "governance_votes", ["lock_state", "release_at"]
    )
    op.create_table(
        "governance_delegations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("delegator_id", sa.String(36), nullable=False),
        sa.Column("delegatee_id", sa.String(36), nullable=True),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_governance_delegations"),
    )
    op.create_index(
        "ix_governance_delegations_delegator_id",
        "governance_delegations",
        ["delegator_id", "at", "id"],
    )
    op.create_index(
        "ix_governance_delegations_delegatee_id", "governance_delegations", ["delegatee_id"]
    )
    op.create_table(
        "governance_milestones",
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("milestone", sa.String(30), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("proposal_id", "milestone", name="pk_governance_milestones"),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["governance_proposals.id"],
            name="fk_governance_milestones_proposal_id_governance_proposals",
        ),
    )


def downgrade() -> None:
    for table in (
        "governance_milestones",
        "governance_delegations",
        "governance_votes",
        "governance_proposals",
    ):
        op.drop_table(table)
