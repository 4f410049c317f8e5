from __future__ import annotations

from datetime import datetime

from shared.events.envelope import EventData


class UserRegistered(EventData, event_type="tech.013a.user.registered"):
    """A new account: the onboarding journey starts from it."""

    user_id: str
    email: str
    name: str

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
