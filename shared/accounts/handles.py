"""Public handles: a name a user chooses so others can pay them without knowing their
address or id (`@ada`). Optional, unique whatever the case, and never one that reads as
the platform speaking (`admin`, `treasury`, ...)."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field

PATTERN = r"^@?[A-Za-z][A-Za-z0-9_-]{2,29}$"
_SHAPE = re.compile(PATTERN)
# Names a stranger could use to pose as the platform or its operators.
RESERVED = frozenset(
    {
        "admin",
        "administrator",
        "aia",
        "api",
        "billing",
        "help",
        "issuance",
        "moderator",
        "operator",
        "root",
        "security",
        "staff",
        "support",
        "system",
        "treasury",
    }
)


def normalise_handle(handle: str) -> str:
    """The stored form: lower case, without the leading `@`."""
    return handle.strip().removeprefix("@").lower()


def looks_like_handle(reference: str) -> bool:
    return bool(_SHAPE.fullmatch(reference.strip()))


def _choosable(handle: str) -> str:
    name = normalise_handle(handle)
    if name in RESERVED:
        raise ValueError(f"@{name} is reserved")
    return name


# A handle a user may choose: 3-30 letters, digits, `-` or `_`, starting with a letter
# (an `@` in front is accepted and dropped), stored in lower case.
ChoosableHandle = Annotated[
    str,
    Field(pattern=PATTERN, examples=["ada_lovelace"]),
    AfterValidator(_choosable),
]
