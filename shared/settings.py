"""Typed settings, read once from the environment at the edge of the process.

`AIA_BACKEND` picks every port's adapter at once (`local` or `gcp`); a per-port variable
(`AIA_EVENT_BUS`, `AIA_DOCUMENT_STORE`, `AIA_SQL`, `AIA_SECRETS`, `AIA_TASK_QUEUE`,
`AIA_WORKFLOWS`) overrides it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

Backend = Literal["local", "gcp"]
PORT_NAMES = ("event_bus", "document_store", "sql", "secrets", "task_queue", "workflows")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="AIA_", extra="ignore", frozen=True, populate_by_name=True
    )

    backend: Backend = "local"
    event_bus: Backend | None = None
    document_store: Backend | None = None
    sql: Backend | None = None
    secrets: Backend | None = None
    task_queue: Backend | None = None
    workflows: Backend | None = None

    environment: str = "local"
    data_dir: Path = Path(".aia-data")
    port: int = Field(default=8080, validation_alias=AliasChoices("PORT", "AIA_PORT"))
    public_base_url: str = ""
    primary_domain: str = Field(
        default="013a.tech", validation_alias=AliasChoices("PRIMARY_DOMAIN", "AIA_PRIMARY_DOMAIN")
    )
    gcp_project: str = Field(
        default="aia-local",
        validation_alias=AliasChoices("GOOGLE_CLOUD_PROJECT", "AIA_GCP_PROJECT"),
    )
    region: str = "europe-west1"
    database_url: str | None = None
    # PostgreSQL connections one process holds at most (no overflow): Terraform sets it
    # per instance so that pool x max SQL-using instances fits max_connections.
    sql_pool_size: int = Field(default=5, ge=1, le=50)
    tasks_location: str = "europe-west1"
    tasks_invoker_service_account: str | None = None
    # Where each HTTP function is reachable (Cloud Tasks and Workflows targets), e.g.
    # AIA_FUNCTION_URLS='{"api": "https://api-xyz.a.run.app"}'.
    function_urls: dict[str, str] = Field(default_factory=dict)
    # Endpoints of local stand-ins for tests; empty in production (the clients' defaults).
    # Pub/Sub and Firestore clients read PUBSUB_EMULATOR_HOST / FIRESTORE_EMULATOR_HOST.
    secret_manager_endpoint: str | None = None
    cloud_tasks_endpoint: str | None = None
    # Local workflows only: seconds of workflow time (sys.sleep, retry backoff) that pass per
    # real second. 1 is real time; 86400 lets a workflow's one-day sys.sleep end in 1 s.
    time_scale: float = Field(default=1.0, gt=0)

    # Accounts and access (issue 3).
    jwt_issuer: str = "https://api.013a.tech"
    jwt_audience: str = "api.013a.tech"
    access_token_ttl_seconds: int = Field(default=900, ge=60, le=86_400)
    refresh_token_ttl_seconds: int = Field(default=30 * 86_400, ge=3600)
    password_reset_ttl_seconds: int = Field(default=3600, ge=300, le=86_400)
    password_hash_time_cost: int = Field(default=3, ge=1, le=10)
    password_hash_memory_kib: int = Field(default=65_536, ge=8192)
    admin_email: str | None = None
    admin_password: SecretStr | None = None
    app_base_url: str = "https://app.013a.tech"
    cors_origins: list[str] = Field(
        default_factory=lambda: ["https://app.013a.tech", "https://admin.013a.tech"]
    )
    # Seconds a verification link stays valid (the welcome email carries one).
    email_verification_ttl_seconds: int = Field(default=7 * 86_400, ge=3600, le=90 * 86_400)
    # Proxies between the client and the API that append to X-Forwarded-For. Behind
    # Cloudflare and the Google load balancer the header arrives as `<whatever the client
    # sent>, <client>, <Cloudflare edge>, <load balancer>`: skip 2 from the right.
    trusted_proxy_hops: int = Field(default=2, ge=0, le=10)
    rate_limiter: Literal["local", "redis"] = "local"
    redis_url: str = "redis://127.0.0.1:6379/0"
    # Requests allowed per window, as "count/seconds", by route class and client (README,
    # "Limits"). `login-account` and `login-account-client` count wrong passwords only,
    # per account and per account and address; `password-reset-account` counts reset
    # requests per account whatever address they come from; `transfer-recipient-misses`
    # counts transfers to names that match no one, per sender.
    rate_limits: dict[str, str] = Field(
        default_factory=lambda: {
            "default": "600/60",
            "auth": "30/60",
            "login": "20/60",
            "login-account": "20/900",
            "login-account-client": "5/300",
            "password-reset": "5/300",
            "password-reset-account": "3/900",
            "transfer-recipient-misses": "10/3600",
        }
    )

    # Tokens and payments (issue 8). Amounts are decimal strings of whole tokens.
    ledger_genesis: dict[str, str] = Field(
        default_factory=lambda: {"AIA": "100000000", "AIA_GOV": "10000000"}
    )
    # A flat price per item; a simulation costs `simulation_per_million_household_months`
    # for each million households x months it runs, at least `simulation` (no key: free).
    prices: dict[str, str] = Field(
        default_factory=lambda: {
            "simulation": "1",
            "simulation_per_million_household_months": "5",
            "venture_report": "5",
        }
    )
    # Per user: simulations not yet completed or failed, and household-months started per
    # UTC day (the default allows one run of the largest size, 1M households x 2,400 months).
    simulation_max_concurrent: int = Field(default=3, ge=1, le=10_000)
    simulation_daily_household_months: int = Field(default=2_400_000_000, ge=1)
    # A governance proposal that changes the live policy is previewed over this many
    # seeds, each run with and without the change (0: no previews); paid by the proposer
    # at the simulation's price and counted against their simulation limits (ADR 0038).
    impact_preview_seeds: int = Field(default=3, ge=0, le=10)
    # welcome AIA from the treasury, paid once per verified address (not at registration)
    signup_grant_aia: str = "100"
    stripe_api_base: str | None = None  # tests point the library at a local stand-in
    # where Checkout pages live: the buy page's CSP lets its form go there (form-action
    # applies to the redirect a POST answers); tests name their stand-in's origin
    stripe_checkout_origin: str = Field(
        default="https://checkout.stripe.com", pattern=r"^https?://[A-Za-z0-9.\-]+(:[0-9]+)?$"
    )
    transfer_burn_bps: int = Field(default=10, ge=0, le=1000)
    aia_inflation_bps_per_year: int = Field(default=200, ge=0, le=5000)
    staking_yield_bps_per_year: int = Field(default=800, ge=0, le=5000)

    # Governance (issue 8, docs/decisions/0010-governance.md). Times in seconds; the
    # threshold in whole AIA_GOV; shares in basis points (1000 = 10 %, 10000 = 1.0).
    governance_proposal_threshold: str = "1000"
    governance_voting_delay_seconds: int = Field(default=86_400, ge=0, le=30 * 86_400)
    governance_voting_period_seconds: int = Field(default=7 * 86_400, ge=60, le=60 * 86_400)
    governance_quorum_bps: int = Field(default=1000, ge=0, le=10_000)
    # bravo: quorum counts For votes only; oz: For + Abstain (OpenZeppelin Governor)
    governance_quorum_mode: Literal["bravo", "oz"] = "oz"
    governance_timelock_seconds: int = Field(default=2 * 86_400, ge=0, le=30 * 86_400)
    governance_grace_period_seconds: int = Field(default=14 * 86_400, ge=60, le=90 * 86_400)
    governance_reminder_seconds: int = Field(default=86_400, ge=0)  # "voting ends soon"
    # Conviction: locking for k periods (1..max) weighs 1 + k * step (capped); unlocked 0.1.
    governance_conviction_max_periods: int = Field(default=6, ge=0, le=32)
    governance_conviction_step_bps: int = Field(default=1000, ge=0, le=10_000)
    governance_conviction_cap_bps: int = Field(default=30_000, ge=10_000, le=100_000)
    governance_unlocked_weight_bps: int = Field(default=1000, ge=0, le=10_000)
    # The conviction lock period; None: the voting period.
    governance_conviction_period_seconds: int | None = Field(default=None, ge=60)

    # Venture analysis (issue 5): the optional LLM-written report summary. The key is the
    # secret `<provider>-api-key` (`huggingface-api-token`); without one, a template.
    venture_llm_provider: Literal["none", "openai", "anthropic", "xai", "groq", "huggingface"] = (
        "none"
    )
    venture_llm_model: str = ""
    venture_llm_base_url: str | None = None
    venture_llm_timeout_seconds: float = Field(default=20, gt=0, le=120)
    venture_llm_max_retries: int = Field(default=2, ge=0, le=5)
    venture_llm_max_output_tokens: int = Field(default=600, ge=64, le=8192)
    venture_llm_token_budget: int = Field(default=3000, ge=256, le=200_000)

    # Email journeys (issue 6). Backends: `outbox` (.eml files under AIA_DATA_DIR/outbox),
    # `smtp`, `sendgrid`, `gmail`; `mail_routes` sends a category by another backend, e.g.
    # AIA_MAIL_ROUTES='{"security": "gmail"}'. Credentials are secrets: `smtp-password`,
    # `sendgrid-api-key`, `gmail-service-account` (a key with domain-wide delegation),
    # `email-unsubscribe-key`, `sendgrid-webhook-public-key`.
    mail_backend: Literal["outbox", "smtp", "sendgrid", "gmail"] = "outbox"
    mail_routes: dict[str, Literal["outbox", "smtp", "sendgrid", "gmail"]] = Field(
        default_factory=dict
    )
    mail_outbox_dir: Path | None = None  # default AIA_DATA_DIR/outbox
    # Reply-To by sender role (hello, security, ...); a role not listed replies to itself.
    mail_reply_to: dict[str, str] = Field(default_factory=dict)
    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_starttls: bool = False
    smtp_username: str | None = None
    smtp_ca_file: Path | None = None  # trust this CA for STARTTLS (tests, private relays)
    smtp_timeout_seconds: float = Field(default=10, gt=0, le=120)
    sendgrid_api_base: str = "https://api.sendgrid.com"
    gmail_api_base: str = "https://gmail.googleapis.com"
    mail_timeout_seconds: float = Field(default=10, gt=0, le=120)
    sendgrid_webhook_max_age_seconds: int = Field(default=600, ge=30)

    # AI agents (issue 10): performance scoring (docs/decisions/0011-agents.md) and the
    # daily reward pools, in whole tokens, split by score among the ranked agents.
    agent_score_half_life_days: float = Field(default=7.0, gt=0, le=365)
    agent_min_tasks: int = Field(default=5, ge=1, le=10_000)
    agent_max_per_owner: int = Field(default=20, ge=1, le=10_000)
    agent_reward_pools: dict[str, str] = Field(
        default_factory=lambda: {"AIA": "100000", "AIA_GOV": "1000"}
    )
    # Rewards follow AIA paid for platform-observed work (ADR 0011): one owner takes at
    # most this share of a day's pools, and an agent's AIA reward is at most this part of
    # the AIA its observed work cost that day (5000 = half: a rebate, never a profit).
    agent_reward_owner_cap_bps: int = Field(default=1000, ge=0, le=10_000)
    agent_reward_max_return_bps: int = Field(default=5000, ge=0, le=10_000)

    log_level: str = "INFO"
    delivery_workers: int = Field(default=4, ge=1, le=64)
    event_max_age_seconds: int = Field(default=7 * 24 * 3600, ge=60)
    idempotency_ttl_seconds: int = Field(default=7 * 24 * 3600, ge=60)
    scheduler_enabled: bool = True
    max_request_bytes: int = Field(default=1_048_576, ge=1024)

    def backend_for(self, port: str) -> Backend:
        """The adapter family chosen for one port: its own override, else `backend`."""
        if port not in PORT_NAMES:
            raise ValueError(f"unknown port {port!r}; known: {', '.join(PORT_NAMES)}")
        override: Backend | None = getattr(self, port)
        return override or self.backend

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        if self.backend_for("sql") == "gcp":
            raise ValueError("AIA_DATABASE_URL is required when AIA_SQL/AIA_BACKEND is gcp")
        return f"sqlite:///{(self.data_dir / 'aia.sqlite3').resolve()}"


@lru_cache(maxsize=1)
def current_settings() -> Settings:
    """The process's settings; read once (cold start) and cached."""
    return Settings()
