"""Which addresses an account may have, and which mailbox an address reaches, for rules
that must hold once per person rather than once per spelling: the welcome grant is paid
once per mailbox, so `ada+1@x`, `ada+2@x` and, at Gmail, `a.d.a@gmail.com` count as
`ada@...`."""

from __future__ import annotations

import hashlib
from typing import Annotated

from pydantic import AfterValidator, EmailStr

# Providers that ignore dots in the local part (the same mailbox however it is dotted).
_DOTLESS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


def mailbox(email: str) -> str:
    """The canonical form of an address: lower case, no `+tag`, no dots where the
    provider ignores them."""
    local, _, domain = email.strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in _DOTLESS:
        domain = _DOTLESS[domain]
        local = local.replace(".", "")
    return f"{local}@{domain}"


def mailbox_digest(email: str) -> str:
    """What is stored: the mailbox's SHA-256, so the table holds no address in clear."""
    return hashlib.sha256(mailbox(email).encode()).hexdigest()


def _ascii_mailbox_name(address: str) -> str:
    # A mailbox name beyond ASCII needs SMTPUTF8 on every hop, which not every provider we
    # send through offers (shared/email/addresses.py); internationalised domains go as
    # A-labels everywhere.
    if not address.rpartition("@")[0].isascii():
        raise ValueError(
            "the part before @ must be ASCII: mail to internationalised mailbox names "
            "(SMTPUTF8) cannot be delivered by every provider we send through; "
            "internationalised domains such as ada@exämple.com are fine"
        )
    return address


# An address an account may be registered with: every mail backend can deliver to it.
RegistrableEmail = Annotated[EmailStr, AfterValidator(_ascii_mailbox_name)]
