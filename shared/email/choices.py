"""A user's choice of email categories, changed from the API or the preferences page."""

from __future__ import annotations

from shared.email.feature import EmailFeature
from shared.email.types import LOCKED_CATEGORIES
from shared.errors import Invalid


def change_preferences(
    feature: EmailFeature, user_id: str, changes: dict[str, bool]
) -> dict[str, bool]:
    """Turn categories on or off; turning one on also lifts a one-click unsubscribe of
    the account's address from it. Security mail cannot be turned off."""
    for locked in LOCKED_CATEGORIES:
        if changes.get(locked.value) is False:
            raise Invalid(
                f"{locked.value} emails cannot be turned off", field=f"categories.{locked.value}"
            )
    now = feature.clock.now()
    categories = feature.preferences.update(user_id, changes, now)
    account = feature.directory.account(user_id)
    if account is not None:
        for category, on in changes.items():
            if on:
                feature.suppressions.resubscribe(account.email, category, now)
    return categories
