"""The accounts use cases. Framework-free: the HTTP layer calls these with validated
input and maps `AccountError`s to problem+json."""

from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from shared.accounts.events import PasswordResetRequested, UserRegistered
from shared.accounts.passwords import Passwords, password_problems
from shared.accounts.records import (
    AccountStore,
    ApiKey,
    EmailTaken,
    PasswordReset,
    RefreshToken,
    User,
)
from shared.accounts.tokens import (
    InvalidToken,
    KeyRing,
    digest,
    issue_access_token,
    new_secret,
    same_digest,
    verify_access_token,
)
from shared.api.spec import Principal
from shared.events.envelope import Event, new_event
from shared.ports.clock import Clock
from shared.settings import Settings

log = logging.getLogger("aia.accounts")


class AccountError(Exception):
    def __init__(self, status: int, detail: str, field: str | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.field = field


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "bearer"  # noqa: S105 - the OAuth token type


@dataclass(frozen=True)
class IssuedApiKey:
    key: ApiKey
    secret: str


def normalise_email(email: str) -> str:
    # Domains are case-insensitive; we also treat the local part so, as every major
    # provider does, so Alice@x and alice@x cannot be two accounts.
    return email.strip().lower()


class AccountService:
    def __init__(
        self,
        store: AccountStore,
        passwords: Passwords,
        key_ring: Callable[[], KeyRing],
        clock: Clock,
        settings: Settings,
        publish: Callable[[list[Event]], None],
    ) -> None:
        self.store = store
        self.passwords = passwords
        self._key_ring = key_ring
        self.clock = clock
        self.settings = settings
        self._publish = publish

    # -- registration and login --------------------------------------------------------
    def register(
        self, email: str, password: str, name: str, roles: tuple[str, ...] = ("user",)
    ) -> User:
        email = normalise_email(email)
        problems = password_problems(password, email)
        if problems:
            raise AccountError(400, "password " + "; ".join(problems), field="password")
        user = User(
            id=str(uuid.uuid4()),
            email=email,
            name=name.strip(),
            password_hash=self.passwords.hash(password),
            roles=roles,
            created_at=self.clock.now(),
        )
        event = new_event(
            UserRegistered(user_id=user.id, email=user.email, name=user.name), source="accounts"
        )
        try:
            self.store.add_user(user, [event])
        except EmailTaken:
            raise AccountError(409, "an account with this email already exists", "email") from None
        self._publish([event])
        log.info("user registered", extra={"user_id": user.id})
        return user

    def login(self, email: str, password: str) -> TokenPair:
        user = self.store.user_by_email(normalise_email(email))
        valid = self.passwords.verify(user.password_hash if user else None, password)
        if user is None or not valid or user.disabled:
            log.info("login failed", extra={"outcome": "failure"})
            raise AccountError(401, "email or password is incorrect")
        if self.passwords.needs_rehash(user.password_hash):
            self.store.set_password(user.id, self.passwords.hash(password))
        log.info("login succeeded", extra={"user_id": user.id, "outcome": "success"})
        return self._issue(user, family_id=uuid.uuid4().hex)

    def _issue(self, user: User, family_id: str) -> TokenPair:
        now = self.clock.now()
        ttl = timedelta(seconds=self.settings.access_token_ttl_seconds)
        access = issue_access_token(
            self._key_ring(),
            subject=user.id,
            roles=list(user.roles),
            issuer=self.settings.jwt_issuer,
            audience=self.settings.jwt_audience,
            now=now,
            ttl=ttl,
        )
        refresh = new_secret("aiar")
        self.store.add_refresh_token(
            RefreshToken(
                token_hash=digest(refresh),
                user_id=user.id,
                family_id=family_id,
                issued_at=now,
                expires_at=now + timedelta(seconds=self.settings.refresh_token_ttl_seconds),
            )
        )
        return TokenPair(access, refresh, int(ttl.total_seconds()))

    def refresh(self, refresh_token: str) -> TokenPair:
        now = self.clock.now()
        record = self.store.refresh_token(digest(refresh_token))
        if record is None or record.revoked_at is not None or record.expires_at <= now:
            raise AccountError(401, "refresh token is invalid or expired")
        if not self.store.use_refresh_token(record.token_hash, now):
            # A used token presented again: it was stolen or replayed. Revoke the family so
            # neither the thief nor the victim keeps a session; the user logs in again.
            self.store.revoke_family(record.family_id, now)
            log.warning("refresh token reuse; family revoked", extra={"user_id": record.user_id})
            raise AccountError(401, "refresh token was already used; please log in again")
        user = self.store.user_by_id(record.user_id)
        if user is None or user.disabled:
            raise AccountError(401, "refresh token is invalid or expired")
        return self._issue(user, family_id=record.family_id)

    def logout(self, refresh_token: str) -> None:
        record = self.store.refresh_token(digest(refresh_token))
        if record is not None:
            self.store.revoke_family(record.family_id, self.clock.now())

    # -- password reset ----------------------------------------------------------------
    def request_password_reset(self, email: str) -> None:
        """Always succeeds from the caller's view: no account enumeration."""
        user = self.store.user_by_email(normalise_email(email))
        if user is None or user.disabled:
            return
        token = secrets.token_urlsafe(32)
        expires = self.clock.now() + timedelta(seconds=self.settings.password_reset_ttl_seconds)
        event = new_event(
            PasswordResetRequested(
                user_id=user.id,
                email=user.email,
                name=user.name,
                reset_url=f"{self.settings.app_base_url}/reset-password?token={token}",
                expires_at=expires,
            ),
            source="accounts",
        )
        self.store.add_reset(PasswordReset(digest(token), user.id, expires), [event])
        self._publish([event])

    def confirm_password_reset(self, token: str, new_password: str) -> None:
        reset = self.store.use_reset(digest(token), self.clock.now())
        if reset is None:
            raise AccountError(400, "reset token is invalid, used or expired", field="token")
        user = self.store.user_by_id(reset.user_id)
        if user is None:
            raise AccountError(400, "reset token is invalid, used or expired", field="token")
        problems = password_problems(new_password, user.email)
        if problems:
            raise AccountError(400, "password " + "; ".join(problems), field="new_password")
        self.store.set_password(user.id, self.passwords.hash(new_password))
        self.store.revoke_user_tokens(user.id, self.clock.now())

    # -- API keys ----------------------------------------------------------------------
    def create_api_key(self, user_id: str, name: str, scopes: tuple[str, ...]) -> IssuedApiKey:
        prefix = secrets.token_hex(6)
        secret = f"aia_{prefix}_{secrets.token_urlsafe(32)}"
        key = ApiKey(
            id=str(uuid.uuid4()),
            user_id=user_id,
            name=name,
            prefix=prefix,
            key_hash=digest(secret),
            scopes=scopes,
            created_at=self.clock.now(),
        )
        self.store.add_api_key(key)
        return IssuedApiKey(key, secret)

    # -- authentication ----------------------------------------------------------------
    def principal_from_token(self, token: str) -> Principal:
        if token.startswith("aia_"):
            return self._principal_from_api_key(token)
        try:
            claims = verify_access_token(
                self._key_ring(),
                token,
                issuer=self.settings.jwt_issuer,
                audience=self.settings.jwt_audience,
                now=self.clock.now(),
            )
        except InvalidToken as exc:
            raise AccountError(401, f"invalid access token: {exc}") from None
        return Principal(user_id=str(claims["sub"]), roles=frozenset(claims.get("roles", [])))

    def _principal_from_api_key(self, secret: str) -> Principal:
        parts = secret.split("_", 2)
        key = self.store.api_key_by_prefix(parts[1]) if len(parts) == 3 else None
        if (
            key is None
            or key.revoked_at is not None
            or not same_digest(key.key_hash, digest(secret))
        ):
            raise AccountError(401, "invalid API key")
        user = self.store.user_by_id(key.user_id)
        if user is None or user.disabled:
            raise AccountError(401, "invalid API key")
        return Principal(
            user_id=user.id,
            roles=frozenset(user.roles),
            scopes=frozenset(key.scopes),
            via="api_key",
        )

    # -- administration ----------------------------------------------------------------
    def ensure_admin(self, email: str, password: str) -> User:
        """The first admin, from settings (idempotent: an existing account gets the role)."""
        existing = self.store.user_by_email(normalise_email(email))
        if existing is None:
            return self.register(email, password, "Administrator", roles=("user", "admin"))
        if "admin" not in existing.roles:
            self.store.set_roles(existing.id, tuple(sorted({*existing.roles, "admin"})))
        return existing
