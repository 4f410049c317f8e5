"""What features may know about an account without depending on the accounts feature:
who it is, how to reach them, and whether they may be paid or transfer; and which account
a sender means by an address or a handle. The accounts feature answers both; the
composition root hands them to the features that ask."""

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
    handle: str | None = None  # the public name the holder chose (no `@`), if any

    @property
    def active(self) -> bool:
        return not self.disabled


class AccountDirectory(Protocol):
    def account(self, user_id: str) -> Account | None:
        """The account as it is now; None for an unknown id."""
        ...


class RecipientLookup(Protocol):
    def recipient(self, reference: str) -> Account | None:
        """The account a sender names by user id, email address or public handle
        (`@ada`); None when nothing matches. Whether it may receive is the caller's rule."""
        ...
