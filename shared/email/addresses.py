"""Mail addresses as they go on the wire. An internationalised domain (IDNA, RFC 5890)
goes as its ASCII form (`exämple.com` -> `xn--exmple-cua.com`), which every backend and
mail server accepts. A mailbox name beyond ASCII (`üñí@…`) needs SMTPUTF8 (RFC 6531) on
every hop: SMTP sends it where the server offers the extension, SendGrid cannot, so new
accounts must have an ASCII mailbox name (`shared.accounts.addresses.RegistrableEmail`)."""

from __future__ import annotations

import idna


def wire_address(address: str) -> str:
    """`address` with its domain in ASCII (A-labels); the mailbox name is unchanged."""
    local, _, domain = address.rpartition("@")
    if domain.isascii():
        return address
    return f"{local}@{idna.encode(domain, uts46=True).decode('ascii')}"


def needs_smtputf8(address: str) -> bool:
    """The mailbox name (before the @) is beyond ASCII."""
    return not address.rpartition("@")[0].isascii()
