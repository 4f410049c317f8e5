"""What features may know about an account without depending on the accounts feature:
who it is, how to reach them, and whether they may be paid or transfer. The accounts
feature answers it; the composition root hands it to the features that ask."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Account:
    user_id: str
    email: str
    name: str
    roles: tuple[str, ...]
    verified: bool  # the email address is proven the holder's
    disabled: bool

    @property
    def active(self) -> bool:
        return not self.disabled


class AccountDirectory(Protocol):
    def account(self, user_id: str) -> Account | None:
        """The account as it is now; None for an unknown id."""
        ...
