"""Stripe purchases and the processed Stripe event ids move from the document store to
SQL, beside the ledger, so one transaction can claim an event, lock its purchase and post
the ledger movement (docs/decisions/0014-payments.md). The first release's documents are
copied in when the payments feature starts (`shared.ledger.payments.first_release`).

Revision ID: 0007_payments
Revises: 0006_account_state
"""

import sqlalchemy as sa
from alembic import op

from shared.adapters.sql.schema import UtcDateTime

revision = "0007_payments"
down_revision = "0006_account_state"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "purchases",
        sa.Column("payment_intent", sa.String(255), nullable=False),
        sa.Column("session_id", sa.String(255), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("aia_minor", sa.BigInteger(), nullable=False),
        sa.Column("refunded_minor", sa.BigInteger(), nullable=False),
        sa.Column("entry_id", sa.String(36), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("payment_intent", name="pk_purchases"),
        sa.UniqueConstraint("session_id", name="uq_purchases_session_id"),
        sa.CheckConstraint("aia_minor > 0", name="ck_purchases_aia_positive"),
        sa.CheckConstraint(
            "refunded_minor >= 0 AND refunded_minor <= aia_minor",
            name="ck_purchases_refunded_share",
        ),
    )
    op.create_index("ix_purchases_user_id", "purchases", ["user_id"])
    op.create_table(
        "stripe_events",
        sa.Column("id", sa.String(255), nullable=False),
        sa.Column("type", sa.String(100), nullable=False),
        sa.Column("outcome", sa.String(40), nullable=False),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_stripe_events"),
    )


def downgrade() -> None:
    op.drop_table("stripe_events")
    op.drop_index("ix_purchases_user_id", table_name="purchases")
    op.drop_table("purchases")
