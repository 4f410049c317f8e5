"""The accounts use cases. Framework-free: the HTTP layer calls these with validated
input; a rule that says no raises a domain error (shared/errors.py)."""

from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from shared.accounts.addresses import mailbox_digest
from shared.accounts.events import (
    AccountStatusChanged,
    EmailVerified,
    PasswordResetAsked,
    PasswordResetRequested,
    UserRegistered,
    VerificationRequested,
)
from shared.accounts.handles import looks_like_handle, normalise_handle
from shared.accounts.passwords import Passwords, password_problems
from shared.accounts.records import (
    AccountStore,
    ApiKey,
    EmailTaken,
    HandleTaken,
    PasswordReset,
    RefreshToken,
    User,
    Verification,
)
from shared.accounts.tokens import (
    InvalidToken,
    KeyRing,
    digest,
    issue_access_token,
    issue_link_token,
    keyed_secret,
    new_secret,
    read_link_token,
    same_digest,
    verify_access_token,
)
from shared.api.spec import Principal
from shared.errors import Conflict, Forbidden, Invalid, NotFound, Unauthenticated
from shared.events.envelope import Event, new_event
from shared.ports.clock import Clock
from shared.ports.directory import Account
from shared.settings import Settings

log = logging.getLogger("aia.accounts")

VERIFY_EMAIL = "verify-email"
SCOPES = ("read", "write", "admin")
_INVALID_RESET = "reset token is invalid, used or expired"


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


def granted_scopes(principal: Principal) -> frozenset[str]:
    """What a credential may do: a session all its roles allow, a key its own scopes
    (an admin scope only while its owner is still an admin)."""
    allowed = {"read", "write", *(["admin"] if principal.is_admin else [])}
    if principal.via != "api_key":
        return frozenset(allowed)
    scopes = set(principal.scopes)
    if "admin" in scopes:
        scopes |= {"write", "read"}
    if "write" in scopes:
        scopes.add("read")
    return frozenset(scopes & allowed)


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
            raise Invalid("password " + "; ".join(problems), field="password")
        user = User(
            id=str(uuid.uuid4()),
            email=email,
            name=name.strip(),
            password_hash=self.passwords.hash(password),
            roles=roles,
            created_at=self.clock.now(),
        )
        event = new_event(
            UserRegistered(
                user_id=user.id,
                email=user.email,
                name=user.name,
                verify_url=self.verification_url(user),
            ),
            source="accounts",
        )
        try:
            self.store.add_user(user, [event])
        except EmailTaken:
            raise Conflict("an account with this email already exists", field="email") from None
        self._publish([event])
        log.info("user registered", extra={"user_id": user.id})
        return user

    def login(self, email: str, password: str) -> TokenPair:
        user = self.store.user_by_email(normalise_email(email))
        valid = self.passwords.verify(user.password_hash if user else None, password)
        if user is None or not valid or user.disabled:
            log.info("login failed", extra={"outcome": "failure"})
            raise Unauthenticated("email or password is incorrect")
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
            version=user.token_version,
            issuer=self.settings.jwt_issuer,
            audience=self.settings.jwt_audience,
            now=now,
            ttl=ttl,
            session=family_id,
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
            raise Unauthenticated("refresh token is invalid or expired")
        if not self.store.use_refresh_token(record.token_hash, now):
            # A used token presented again: it was stolen or replayed. Revoke the family so
            # neither the thief nor the victim keeps a session; the user logs in again.
            self.store.revoke_family(record.family_id, now)
            log.warning("refresh token reuse; family revoked", extra={"user_id": record.user_id})
            raise Unauthenticated("refresh token was already used; please log in again")
        user = self.store.user_by_id(record.user_id)
        if user is None or user.disabled:
            raise Unauthenticated("refresh token is invalid or expired")
        return self._issue(user, family_id=record.family_id)

    def logout(self, refresh_token: str) -> None:
        record = self.store.refresh_token(digest(refresh_token))
        if record is not None:
            self.store.revoke_family(record.family_id, self.clock.now())

    def end_sessions(self, user_id: str, actor: str) -> None:
        """Log out everywhere: every access and refresh token of the account stops working
        on its next use (API keys are revoked one by one)."""
        change = AccountStatusChanged(user_id=user_id, change="sessions_ended", actor=actor)
        event = new_event(change, source="accounts")
        if not self.store.end_sessions(user_id, self.clock.now(), [event]):
            raise NotFound("user", user_id)
        self._publish([event])

    # -- verifying the address -----------------------------------------------------------
    def verification_url(self, user: User) -> str:
        token = issue_link_token(
            self._key_ring(),
            purpose=VERIFY_EMAIL,
            subject=user.id,
            claims={"email": user.email},
            issuer=self.settings.jwt_issuer,
            audience=self.settings.jwt_audience,
            now=self.clock.now(),
            ttl=timedelta(seconds=self.settings.email_verification_ttl_seconds),
        )
        return f"{self.settings.app_base_url}/verify-email?token={token}"

    def verify_email(self, token: str) -> tuple[User, Verification]:
        """Verify the address the link was sent to. Idempotent: a second click answers
        as the first without paying anything again."""
        try:
            claims = read_link_token(
                self._key_ring(),
                token,
                purpose=VERIFY_EMAIL,
                issuer=self.settings.jwt_issuer,
                audience=self.settings.jwt_audience,
                now=self.clock.now(),
            )
        except InvalidToken:
            raise Invalid("the verification link is invalid or expired", field="token") from None
        user = self.store.user_by_id(str(claims["sub"]))
        if user is None or user.email != claims.get("email"):
            raise Invalid("the verification link is invalid or expired", field="token")
        outcome = self._mark_verified(user)
        if outcome is None:
            raise Invalid("the verification link is invalid or expired", field="token")
        return user, outcome

    def _mark_verified(self, user: User) -> Verification | None:
        staged: list[Event] = []

        def event_for(welcome_grant: bool) -> Event:
            verified = EmailVerified(user_id=user.id, email=user.email, welcome_grant=welcome_grant)
            staged.append(new_event(verified, source="accounts"))
            return staged[-1]

        outcome = self.store.verify_email(
            user.id, user.email, mailbox_digest(user.email), self.clock.now(), event_for
        )
        if staged:
            self._publish(staged)
            log.info("email verified", extra={"user_id": user.id})
        return outcome

    def resend_verification(self, user_id: str) -> None:
        user = self.store.user_by_id(user_id)
        if user is None:
            raise NotFound("user", user_id)
        if user.verified:
            raise Conflict("this address is already verified", problem="already-verified")
        event = new_event(
            VerificationRequested(
                user_id=user.id,
                email=user.email,
                name=user.name,
                verify_url=self.verification_url(user),
            ),
            source="accounts",
        )
        self._publish([event])

    # -- password reset ----------------------------------------------------------------
    def ask_password_reset(self, email: str) -> Event:
        """What the API does for every request, known address or not: publish the same
        event, so both paths take the same time (no account enumeration by timing)."""
        event = new_event(PasswordResetAsked(email=normalise_email(email)), source="accounts")
        self.store.stage([event])
        self._publish([event])
        return event

    def issue_password_reset(self, email: str, request_id: str) -> bool:
        """Store a reset for the account of `email` (if any) and stage the link's email.
        The token derives from the request id, so a redelivered request issues nothing
        new. True when a reset was issued now."""
        user = self.store.user_by_email(normalise_email(email))
        if user is None or user.disabled:
            return False
        token = keyed_secret(self._key_ring(), "password-reset", request_id)
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
            caused_by=f"{request_id}:link",
        )
        if not self.store.add_reset(PasswordReset(digest(token), user.id, expires), [event]):
            return False
        self._publish([event])
        return True

    def confirm_password_reset(self, token: str, new_password: str) -> None:
        now = self.clock.now()
        pending = self.store.reset(digest(token), now)
        user = self.store.user_by_id(pending.user_id) if pending else None
        if pending is None or user is None:
            raise Invalid(_INVALID_RESET, field="token")
        # the new password is checked before the token is spent: a rejected password
        # leaves the link usable for a second try
        problems = password_problems(new_password, user.email)
        if problems:
            raise Invalid("password " + "; ".join(problems), field="new_password")
        password_hash = self.passwords.hash(new_password)
        if self.store.use_reset(pending.token_hash, now) is None:
            raise Invalid(_INVALID_RESET, field="token")
        change = AccountStatusChanged(user_id=user.id, change="password_changed", actor="user")
        event = new_event(change, source="accounts")
        self.store.end_sessions(user.id, now, [event], password_hash=password_hash)
        self._publish([event])

    # -- API keys ----------------------------------------------------------------------
    def create_api_key(
        self, principal: Principal, name: str, scopes: tuple[str, ...]
    ) -> IssuedApiKey:
        """A new key may do no more than the credential that creates it, and only a
        session or an admin-scoped key may create keys at all."""
        if principal.via == "api_key" and "admin" not in principal.scopes:
            raise Forbidden(
                "API keys are created from a signed-in session (or a key with the admin scope)",
                problem="key-cannot-create-keys",
            )
        beyond = sorted(set(scopes) - granted_scopes(principal))
        if beyond:
            raise Forbidden(
                f"a new key's scopes must be within the caller's; not granted: {', '.join(beyond)}",
                field="scopes",
                problem="scope-escalation",
            )
        prefix = secrets.token_hex(6)
        secret = f"aia_{prefix}_{secrets.token_urlsafe(32)}"
        key = ApiKey(
            id=str(uuid.uuid4()),
            user_id=principal.user_id,
            name=name,
            prefix=prefix,
            key_hash=digest(secret),
            scopes=scopes,
            created_at=self.clock.now(),
        )
        self.store.add_api_key(key)
        return IssuedApiKey(key, secret)

    def revoke_api_key(self, user_id: str, key_id: str) -> None:
        """Revoke one of the user's keys at once; another user's key reads as missing."""
        if not self.store.revoke_api_key(user_id, key_id, self.clock.now()):
            raise NotFound("API key", key_id)

    # -- authentication ----------------------------------------------------------------
    def principal_from_token(self, token: str) -> Principal:
        """Who presents `token`, as the account is now: roles, status and sessions come
        from the user's row on every request, so a demotion, disabling, logout
        everywhere or password reset holds from the next request on."""
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
            raise Unauthenticated(f"invalid access token: {exc}") from None
        user = self.store.user_by_id(str(claims["sub"]))
        if user is None or user.disabled:
            raise Unauthenticated("the account no longer exists or is disabled")
        if int(claims.get("ver", 0)) < user.token_version:
            raise Unauthenticated("this session has ended; please log in again")
        session = claims.get("sid")
        if isinstance(session, str) and self.store.session_ended(session):
            raise Unauthenticated("this session has ended; please log in again")
        return _principal(user)

    def end_session(self, access_token: str) -> None:
        """Log out the sign-in `access_token` belongs to (a browser's sign-out): its
        refresh tokens are revoked and it, and every access token of that sign-in, stop
        working at once. A token that is invalid or expired already ends nothing."""
        try:
            claims = verify_access_token(
                self._key_ring(),
                access_token,
                issuer=self.settings.jwt_issuer,
                audience=self.settings.jwt_audience,
                now=self.clock.now(),
            )
        except InvalidToken:
            return
        session = claims.get("sid")
        if isinstance(session, str):
            self.store.revoke_family(session, self.clock.now())

    def _principal_from_api_key(self, secret: str) -> Principal:
        parts = secret.split("_", 2)
        key = self.store.api_key_by_prefix(parts[1]) if len(parts) == 3 else None
        if (
            key is None
            or key.revoked_at is not None
            or not same_digest(key.key_hash, digest(secret))
        ):
            raise Unauthenticated("invalid API key")
        user = self.store.user_by_id(key.user_id)
        if user is None or user.disabled:
            raise Unauthenticated("invalid API key")
        return _principal(user, scopes=frozenset(key.scopes), via="api_key")

    # -- administration ----------------------------------------------------------------
    def set_roles(self, actor: Principal, user_id: str, roles: tuple[str, ...]) -> User:
        if actor.user_id == user_id and "admin" not in roles:
            raise Conflict(
                "you cannot remove your own admin role; ask another admin",
                field="roles",
                problem="self-demotion",
            )
        if not self.store.set_roles(user_id, roles):
            raise NotFound("user", user_id)
        return self._user(user_id)

    def set_disabled(self, actor: Principal, user_id: str, disabled: bool, reason: str) -> User:
        """Disable an account (every session and key stops at once; it cannot log in) or
        enable it again."""
        if actor.user_id == user_id:
            raise Conflict("you cannot disable or enable your own account", problem="self-disable")
        change = AccountStatusChanged(
            user_id=user_id,
            change="disabled" if disabled else "enabled",
            actor=f"admin:{actor.user_id}",
            reason=reason,
        )
        event = new_event(change, source="accounts")
        if not self.store.set_disabled(user_id, disabled, reason, self.clock.now(), [event]):
            raise NotFound("user", user_id)
        self._publish([event])
        log.info(
            "account disabled" if disabled else "account enabled",
            extra={"user_id": user_id, "actor": actor.user_id},
        )
        return self._user(user_id)

    def account(self, user_id: str) -> Account | None:
        """The account as other features see it (shared/ports/directory.py)."""
        user = self.store.user_by_id(user_id)
        return None if user is None else _as_account(user)

    def recipient(self, reference: str) -> Account | None:
        """The account `reference` names: an email address, a public handle (`@ada`, or
        bare) or a user id (shared/ports/directory.py). One indexed read whichever it is."""
        text = reference.strip()
        if "@" in text[1:]:
            user = self.store.user_by_email(normalise_email(text))
        elif looks_like_handle(text):  # a user id (36 characters) never does
            user = self.store.user_by_handle(normalise_handle(text))
        else:
            user = self.store.user_by_id(text)
        return None if user is None else _as_account(user)

    def set_handle(self, user_id: str, handle: str | None) -> User:
        """Choose the public handle others may pay (`handle` already normalised), or drop
        it with None."""
        try:
            known = self.store.set_handle(user_id, handle)
        except HandleTaken:
            raise Conflict(
                f"@{handle} is taken; choose another", field="handle", problem="handle-taken"
            ) from None
        if not known:
            raise NotFound("user", user_id)
        return self._user(user_id)

    def set_name(self, user_id: str, name: str) -> User:
        """Change the name others see (in mail greetings, to those who pay them)."""
        if not self.store.set_name(user_id, name):
            raise NotFound("user", user_id)
        return self._user(user_id)

    def accounts_page(self, limit: int, offset: int) -> list[Account]:
        """Every account, oldest first, as other features see them (shared/ports/audience.py)."""
        return [_as_account(u) for u in self.store.list_users(limit, offset)]

    def _user(self, user_id: str) -> User:
        user = self.store.user_by_id(user_id)
        if user is None:
            raise NotFound("user", user_id)
        return user

    def ensure_admin(self, email: str, password: str) -> User:
        """The first admin, from settings (idempotent: an existing account gets the role).
        The operator chose the address, so it counts as verified."""
        existing = self.store.user_by_email(normalise_email(email))
        user = existing or self.register(email, password, "Administrator", roles=("user", "admin"))
        if "admin" not in user.roles:
            self.store.set_roles(user.id, tuple(sorted({*user.roles, "admin"})))
        if not user.verified:
            self._mark_verified(user)
        return user


def _principal(user: User, scopes: frozenset[str] = frozenset(), via: str = "token") -> Principal:
    return Principal(
        user_id=user.id,
        roles=frozenset(user.roles),
        scopes=scopes,
        via=via,
        verified=user.verified,
    )


def _as_account(user: User) -> Account:
    return Account(
        user_id=user.id,
        email=user.email,
        name=user.name,
        roles=user.roles,
        verified=user.verified,
        disabled=user.disabled,
        handle=user.handle,
    )
