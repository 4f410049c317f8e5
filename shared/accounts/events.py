from __future__ import annotations

from datetime import datetime
from typing import Literal

from shared.events.envelope import EventData


class UserRegistered(EventData, event_type="tech.013a.user.registered"):
    """A new account: the onboarding journey starts from it."""

    user_id: str
    email: str
    name: str
    # the signed link that verifies the address (absent in events of the first release)
    verify_url: str | None = None

    def subject(self) -> str:
        return f"users/{self.user_id}"


class PasswordResetRequested(EventData, event_type="tech.013a.user.password_reset_requested"):
    """A reset link to send from security@ (single use, expires)."""

    user_id: str
    email: str
    name: str
    reset_url: str
    expires_at: datetime

    def subject(self) -> str:
        return f"users/{self.user_id}"


class PasswordResetAsked(EventData, event_type="tech.013a.user.password_reset_asked"):
    """Someone asked for a reset link for `email`. The API publishes this for every
    request, known address or not, so both take the same time; the handler looks the
    account up and, if there is one, issues the link (`PasswordResetRequested`)."""

    email: str

    def subject(self) -> str:
        return "password-resets"


class EmailVerified(EventData, event_type="tech.013a.user.email_verified"):
    """The owner of the account proved the address is theirs. `welcome_grant` is true for
    the first account of its mailbox: the ledger pays the welcome AIA from it."""

    user_id: str
    email: str
    welcome_grant: bool

    def subject(self) -> str:
        return f"users/{self.user_id}"


class AccountStatusChanged(EventData, event_type="tech.013a.user.status_changed"):
    """An operator disabled or re-enabled an account, or its sessions were ended
    (logout everywhere, password reset): for the security audit trail."""

    user_id: str
    change: Literal["disabled", "enabled", "sessions_ended", "password_changed"]
    actor: str
    reason: str = ""

    def subject(self) -> str:
        return f"users/{self.user_id}"


class VerificationRequested(EventData, event_type="tech.013a.user.verification_requested"):
    """The account holder asked for a new verification link (the first one is in the
    welcome email): sent on its own from hello@."""

    user_id: str
    email: str
    name: str
    verify_url: str

    def subject(self) -> str:
        return f"users/{self.user_id}"


# Everything the `users` topic carries: each of its subscribers accepts all of them.
USER_EVENTS = (
    UserRegistered,
    PasswordResetRequested,
    EmailVerified,
    VerificationRequested,
    AccountStatusChanged,
)
UserEvent = (
    UserRegistered
    | PasswordResetRequested
    | EmailVerified
    | VerificationRequested
    | AccountStatusChanged
)
