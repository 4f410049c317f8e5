"""The relational schema, in one MetaData that Alembic migrations are checked against
(tests/accounts/test_migrations.py). Times are stored as UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from shared.simulation.indicators import (
    ADDED_FIELDS,
    INTEGER_FIELDS,
    METRIC_FIELDS,
    OPTIONAL_FIELDS,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware in Python, UTC in the database (SQLite has no time zones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        moment: datetime = value
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


users = Table(
    "users",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("roles", String(200), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("email_verified_at", UtcDateTime()),
    # sessions (access and refresh tokens) carry the version they were issued at; raising
    # it ends them all on their next use
    Column("token_version", Integer, nullable=False, default=0, server_default="0"),
    Column("disabled_at", UtcDateTime()),
    Column("disabled_reason", String(300), nullable=False, default="", server_default=""),
    # the public handle the user chose (lower case, unique; NULL: none), so others can pay
    # them without knowing their address
    Column("handle", String(30)),
    Index("ix_users_handle", "handle", unique=True),
)

# One welcome grant per mailbox (shared/accounts/addresses.py): the row is inserted first,
# in the transaction that verifies the address, so two aliases cannot both be granted.
welcome_grants = Table(
    "welcome_grants",
    metadata,
    Column("mailbox_digest", String(64), primary_key=True),
    Column("user_id", String(36), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("granted_at", UtcDateTime(), nullable=False),
)

refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", String(36), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("family_id", String(32), nullable=False),
    Column("issued_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("used_at", UtcDateTime()),
    Column("revoked_at", UtcDateTime()),
    Index("ix_refresh_tokens_family_id", "family_id"),
    Index("ix_refresh_tokens_user_id", "user_id"),
)

password_resets = Table(
    "password_resets",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", String(36), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("used_at", UtcDateTime()),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("user_id", String(36), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("prefix", String(16), nullable=False, unique=True),
    Column("key_hash", String(64), nullable=False),
    Column("scopes", String(100), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("revoked_at", UtcDateTime()),
    Column("last_used_at", UtcDateTime()),
    Index("ix_api_keys_user_id", "user_id"),
)

outbox = Table(
    "outbox",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(64), nullable=False, unique=True),
    Column("data", Text, nullable=False),
    Column("attributes", Text, nullable=False),
    Column("ordering_key", String(200)),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("published_at", UtcDateTime()),
    Index("ix_outbox_published_at", "published_at"),
)

ledger_accounts = Table(
    "ledger_accounts",
    metadata,
    Column("id", String(120), primary_key=True),
    Column("owner", String(100), nullable=False),
    Column("token", String(10), nullable=False),
    Column("balance", BigInteger, nullable=False),
    Column("frozen", Boolean, nullable=False, default=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Index("ix_ledger_accounts_owner", "owner"),
)

ledger_entries = Table(
    "ledger_entries",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("idempotency_key", String(255), nullable=False, unique=True),
    Column("kind", String(40), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("memo", String(500), nullable=False),
    Column("request_hash", String(64), nullable=False),
    Column("details", Text, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)

ledger_lines = Table(
    "ledger_lines",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entry_id", String(36), ForeignKey("ledger_entries.id"), nullable=False),
    Column("account_id", String(120), ForeignKey("ledger_accounts.id"), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("balance_after", BigInteger, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Index("ix_ledger_lines_account_id", "account_id", "created_at", "id"),
    Index("ix_ledger_lines_entry_id", "entry_id"),
)

ledger_supply = Table(
    "ledger_supply",
    metadata,
    Column("token", String(10), primary_key=True),
    Column("minted", BigInteger, nullable=False),
    Column("burned", BigInteger, nullable=False),
)

ledger_audit = Table(
    "ledger_audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UtcDateTime(), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("action", String(40), nullable=False),
    Column("subject", String(120), nullable=False),
    Column("details", Text, nullable=False),
)

# -- payments (docs/decisions/0014-payments.md) ------------------------------------------
purchases = Table(
    "purchases",
    metadata,
    # one paid Checkout is one payment intent; refunds find their purchase by it
    Column("payment_intent", String(255), primary_key=True),
    Column("session_id", String(255), nullable=False, unique=True),
    Column("user_id", String(36), nullable=False),
    Column("aia_minor", BigInteger, nullable=False),
    Column("refunded_minor", BigInteger, nullable=False),
    Column("entry_id", String(36), nullable=False),  # the ledger entry that credited it
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    CheckConstraint("aia_minor > 0", name="ck_purchases_aia_positive"),
    CheckConstraint(
        "refunded_minor >= 0 AND refunded_minor <= aia_minor", name="ck_purchases_refunded_share"
    ),
    Index("ix_purchases_user_id", "user_id"),
)

stripe_events = Table(
    "stripe_events",
    metadata,
    # inserted first in the event's transaction: a second delivery finds the key taken
    Column("id", String(255), primary_key=True),
    Column("type", String(100), nullable=False),
    Column("outcome", String(40), nullable=False),
    Column("received_at", UtcDateTime(), nullable=False),
)

# -- governance (docs/decisions/0010-governance.md) -------------------------------------
governance_proposals = Table(
    "governance_proposals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("proposer_id", String(36), nullable=False),
    Column("idempotency_key", String(200)),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False),
    Column("actions", Text, nullable=False),
    Column("changes", Text, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("snapshot_at", UtcDateTime(), nullable=False),
    Column("deadline_at", UtcDateTime(), nullable=False),
    Column("quorum_bps", Integer, nullable=False),
    Column("quorum_mode", String(10), nullable=False),
    Column("timelock_seconds", Integer, nullable=False),
    Column("grace_seconds", Integer, nullable=False),
    Column("outcome", String(12)),
    Column("quorum", BigInteger),
    Column("queued_at", UtcDateTime()),
    Column("eta", UtcDateTime()),
    Column("executed_at", UtcDateTime()),
    Column("canceled_at", UtcDateTime()),
    Column("canceled_by", String(100)),
    Column("settled", Boolean, nullable=False, default=False),
    Index("ix_governance_proposals_proposer_id", "proposer_id", "idempotency_key", unique=True),
    Index("ix_governance_proposals_settled", "settled"),
)

governance_votes = Table(
    "governance_votes",
    metadata,
    Column("proposal_id", Integer, ForeignKey("governance_proposals.id"), primary_key=True),
    Column("voter_id", String(36), primary_key=True),
    Column("support", String(8), nullable=False),
    Column("power", BigInteger, nullable=False),
    Column("conviction", Integer, nullable=False),
    Column("locked", BigInteger, nullable=False),
    Column("weight", BigInteger, nullable=False),
    Column("reason", String(500), nullable=False),
    Column("cast_at", UtcDateTime(), nullable=False),
    Column("lock_owner", String(100)),
    Column("lock_state", String(10), nullable=False),
    Column("release_at", UtcDateTime()),
    Column("locked_at", UtcDateTime()),
    Column("released_at", UtcDateTime()),
    Index("ix_governance_votes_voter_id", "voter_id"),
    Index("ix_governance_votes_lock_state", "lock_state", "release_at"),
)

governance_delegations = Table(
    "governance_delegations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("delegator_id", String(36), nullable=False),
    Column("delegatee_id", String(36)),
    Column("at", UtcDateTime(), nullable=False),
    Index("ix_governance_delegations_delegator_id", "delegator_id", "at", "id"),
    Index("ix_governance_delegations_delegatee_id", "delegatee_id"),
)

governance_milestones = Table(
    "governance_milestones",
    metadata,
    Column("proposal_id", Integer, ForeignKey("governance_proposals.id"), primary_key=True),
    Column("milestone", String(30), primary_key=True),
    Column("at", UtcDateTime(), nullable=False),
)


# One row per simulation: what it is, where it is, and its raw state (NULL until its
# first tick builds it); docs/decisions/0004-simulation-state-layout.md.
simulation_states = Table(
    "simulation_states",
    metadata,
    Column("simulation_id", String(64), primary_key=True),
    # "" until the first release's document of the simulation is copied in: nobody's
    Column("owner_id", String(64), nullable=False, server_default=""),
    Column("status", String(16), nullable=False, server_default="queued"),
    Column("tick", Integer, nullable=False),
    Column("horizon", Integer, nullable=True),
    Column("params", Text, nullable=False),
    Column("latest", Text, nullable=False, server_default="{}"),
    Column("charged_minor", BigInteger, nullable=False, server_default="0"),
    Column("agent_id", String(64), nullable=True),
    # counted against the owner's daily quota; NULL: counts toward no limit
    Column("household_months", BigInteger, nullable=True),
    Column("state", LargeBinary, nullable=True),
    Column("last_event_id", String(64), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False, server_default=text("CURRENT_TIMESTAMP")),
    Column("updated_at", UtcDateTime(), nullable=False),
    # the economy model that produced the run (shared.simulation.model_version); rows
    # from before model versions, and what the previous release writes, are model 1
    Column("model_version", Integer, nullable=False, server_default="1"),
    Column("failure_reason", Text, nullable=True),  # why a failed run failed
    Index("ix_simulation_states_owner_id", "owner_id", "created_at"),
)

# A simulation moved to another model (the live economy, when a release changes the
# model): the month it met, and the state of the old model it replaced, kept unread.
simulation_model_changes = Table(
    "simulation_model_changes",
    metadata,
    Column("simulation_id", String(64), primary_key=True),
    Column("tick", Integer, primary_key=True),
    Column("from_version", Integer, nullable=False),
    Column("to_version", Integer, nullable=False),
    Column("event_id", String(64), nullable=False),
    Column("changed_at", UtcDateTime(), nullable=False),
    Column("previous_state", LargeBinary, nullable=True),
)

simulation_metrics = Table(
    "simulation_metrics",
    metadata,
    Column("simulation_id", String(64), primary_key=True),
    *(
        Column(
            name,
            BigInteger if name in INTEGER_FIELDS else Float,
            nullable=name in OPTIONAL_FIELDS or name in ADDED_FIELDS,
        )
        if name != "tick"
        else Column("tick", Integer, primary_key=True)
        for name in METRIC_FIELDS
    ),
)

simulation_policy_changes = Table(
    "simulation_policy_changes",
    metadata,
    Column("event_id", String(64), primary_key=True),
    Column("simulation_id", String(64), nullable=False, index=True),
    Column("tick", Integer, nullable=False),
    Column("changes", Text, nullable=False),
    Column("reason", Text, nullable=False, server_default=""),
    Column("applied_at", DateTime(timezone=True), nullable=False),
    # JSON of the proposal that decided it (`shared.simulation.events.DecidedBy`)
    Column("decided_by", Text),
)

# Per-user simulation limits (docs/decisions/0016-simulation-pricing-and-quotas.md): a
# row per user that admissions lock before they count the user's simulations.
simulation_quotas = Table(
    "simulation_quotas",
    metadata,
    Column("user_id", String(64), primary_key=True),
    Column("admitted_at", UtcDateTime(), nullable=False),
)

# Impact previews of governance proposals (docs/decisions/0038-impact-preview-for-
# proposals.md): one row per proposal (its charge, the live state it starts from, its
# figures when ready) and one per run (seed x with/without the change).
impact_previews = Table(
    "impact_previews",
    metadata,
    Column("proposal_id", Integer, primary_key=True, autoincrement=False),
    Column("owner_id", String(64), nullable=False),
    Column("title", String(200), nullable=False),
    Column("status", String(16), nullable=False),
    Column("reason", Text, nullable=True),
    Column("changes", Text, nullable=False),
    Column("params", Text, nullable=True),
    Column("from_tick", Integer, nullable=True),
    Column("seeds", Text, nullable=False),
    Column("months", Integer, nullable=False),
    Column("households", Integer, nullable=False),
    Column("household_months", BigInteger, nullable=False),
    Column("charged_minor", BigInteger, nullable=False),
    Column("refunded", Boolean, nullable=False),
    Column("start_state", LargeBinary, nullable=True),
    Column("figures", Text, nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("completed_at", UtcDateTime(), nullable=True),
    Index("ix_impact_previews_owner_id", "owner_id", "created_at"),
)

impact_preview_runs = Table(
    "impact_preview_runs",
    metadata,
    Column("proposal_id", Integer, primary_key=True, autoincrement=False),
    Column("seed", BigInteger, primary_key=True, autoincrement=False),
    Column("branch", String(16), primary_key=True),
    Column("tick", Integer, nullable=False),
    Column("state", LargeBinary, nullable=True),
    Column("series", Text, nullable=False),
    Column("last_event_id", String(64), nullable=True),
    Column("updated_at", UtcDateTime(), nullable=False),
)
