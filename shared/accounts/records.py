"""What the accounts feature stores, and the interface of the store that keeps it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from shared.events.envelope import Event


class EmailTaken(Exception):
    pass


class HandleTaken(Exception):
    pass


@dataclass(frozen=True)
class User:
    id: str
    email: str
    name: str
    password_hash: str
    roles: tuple[str, ...]
    created_at: datetime
    disabled: bool = False
    email_verified_at: datetime | None = None
    token_version: int = 0  # sessions issued at a lower version are over
    disabled_at: datetime | None = None
    disabled_reason: str = ""
    handle: str | None = None  # the public name others may pay (lower case, no `@`)

    @property
    def verified(self) -> bool:
        return self.email_verified_at is not None


@dataclass(frozen=True)
class UserFilter:
    """Which accounts an operator's search keeps; None: any. `email_contains` is matched
    without regard to case; `handle` is the stored form (lower case, no `@`)."""

    email_contains: str | None = None
    handle: str | None = None
    role: str | None = None
    disabled: bool | None = None
    verified: bool | None = None


NO_FILTER = UserFilter()


@dataclass(frozen=True)
class RefreshToken:
    token_hash: str
    user_id: str
    family_id: str
    issued_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
    revoked_at: datetime | None = None


@dataclass(frozen=True)
class PasswordReset:
    token_hash: str
    user_id: str
    expires_at: datetime
    used_at: datetime | None = None


@dataclass(frozen=True)
class ApiKey:
    id: str
    user_id: str
    name: str
    prefix: str
    key_hash: str
    scopes: tuple[str, ...]
    created_at: datetime
    revoked_at: datetime | None = None
    last_used_at: datetime | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Verification:
    """What verifying an address did: `newly` false when it was already verified;
    `welcome_grant` true when this account is the first of its mailbox to verify."""

    newly: bool
    welcome_grant: bool


class AccountStore(Protocol):
    def add_user(self, user: User, events: Sequence[Event] = ()) -> None:
        """Store the user and stage `events` in the outbox, in one transaction.
        Raises EmailTaken when the normalised email exists."""
        ...

    def user_by_id(self, user_id: str) -> User | None: ...

    def user_by_email(self, email: str) -> User | None: ...

    def user_by_handle(self, handle: str) -> User | None: ...

    def set_handle(self, user_id: str, handle: str | None) -> bool:
        """Choose (or with None drop) the user's public handle; False for an unknown
        user. Raises HandleTaken when another account has it."""
        ...

    def list_users(self, limit: int, offset: int, matching: UserFilter = NO_FILTER) -> list[User]:
        """Accounts oldest first (then by id), those `matching` only."""
        ...

    def set_name(self, user_id: str, name: str) -> bool:
        """Change the name others see; False for an unknown user."""
        ...

    def verify_email(
        self,
        user_id: str,
        email: str,
        mailbox_digest: str,
        at: datetime,
        event_for: Callable[[bool], Event],
    ) -> Verification | None:
        """Mark the address verified if `email` is still the account's address (None
        otherwise); claim the mailbox's welcome grant in the same transaction (insert
        first: one per mailbox) and stage `event_for(welcome_grant)` in the outbox."""
        ...

    def end_sessions(
        self, user_id: str, at: datetime, events: Sequence[Event] = (), password_hash: str = ""
    ) -> bool:
        """Raise the token version (every access token issued before is refused), revoke
        every refresh token and, when given, set the new password, in one transaction."""
        ...

    def set_disabled(
        self, user_id: str, disabled: bool, reason: str, at: datetime, events: Sequence[Event]
    ) -> bool:
        """Disable (ending every session) or re-enable the account; False if unknown."""
        ...

    def set_password(self, user_id: str, password_hash: str) -> None: ...

    def set_roles(self, user_id: str, roles: tuple[str, ...]) -> bool: ...

    def add_refresh_token(self, token: RefreshToken) -> None: ...

    def refresh_token(self, token_hash: str) -> RefreshToken | None: ...

    def use_refresh_token(self, token_hash: str, at: datetime) -> bool:
        """Mark used if still unused and unrevoked; False otherwise (atomic)."""
        ...

    def revoke_family(self, family_id: str, at: datetime) -> None: ...

    def session_ended(self, family_id: str) -> bool:
        """Whether the sign-in whose refresh family this is was logged out (or its
        family revoked on a refresh token's reuse)."""
        ...

    def stage(self, events: Sequence[Event]) -> None:
        """Put events in the outbox (published right after, or by the relay)."""
        ...

    def add_reset(self, reset: PasswordReset, events: Sequence[Event] = ()) -> bool:
        """Store the reset and stage `events`; False (and nothing staged) when a reset
        with the same token hash exists (a redelivered request)."""
        ...

    def reset(self, token_hash: str, at: datetime) -> PasswordReset | None:
        """The unused, unexpired reset with this hash, without using it."""
        ...

    def use_reset(self, token_hash: str, at: datetime) -> PasswordReset | None:
        """Consume an unused, unexpired reset token (atomic); None if not usable."""
        ...

    def add_api_key(self, key: ApiKey) -> None: ...

    def api_key_by_prefix(self, prefix: str) -> ApiKey | None: ...

    def api_keys(self, user_id: str) -> list[ApiKey]: ...

    def revoke_api_key(self, user_id: str, key_id: str, at: datetime) -> bool:
        """Revoke one of `user_id`'s keys; False when it is not theirs or not there."""
        ...
