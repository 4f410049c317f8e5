"""Every account, page by page: the audience of a bulk email (economic reports,
governance), without depending on the accounts feature. The accounts feature answers
it; the composition root hands it to the email feature."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from shared.ports.directory import Account


class AccountAudience(Protocol):
    def accounts_page(self, limit: int, offset: int) -> Sequence[Account]:
        """Up to `limit` accounts from position `offset`, oldest first. Disabled accounts
        are included (flagged), so that an offset names the same place in the listing
        whoever was disabled since; the caller skips them."""
        ...
