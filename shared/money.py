"""Tokens and amounts: exact decimals at the edges, integer minor units inside. A value type
every feature that prices, pays or votes shares, so it lives in the core."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal, InvalidOperation
from enum import StrEnum


class Token(StrEnum):
    AIA = "AIA"
    AIA_GOV = "AIA_GOV"


DECIMALS = 6
UNIT = 10**DECIMALS
CAPS = {Token.AIA: 1_000_000_000 * UNIT, Token.AIA_GOV: 100_000_000 * UNIT}


class AmountError(ValueError):
    pass


def to_minor(value: Decimal | str | int | float) -> int:
    """Parse an exact decimal amount into minor units; more than 6 decimals is an error,
    never a silent rounding."""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise AmountError(f"{value!r} is not a number") from None
    if not amount.is_finite():
        raise AmountError("amount must be finite")
    minor = amount * UNIT
    if minor != minor.to_integral_value():
        raise AmountError(f"at most {DECIMALS} decimal places")
    return int(minor)


def to_decimal(minor: int) -> str:
    return str((Decimal(minor) / UNIT).quantize(Decimal(1).scaleb(-DECIMALS)))


def basis_points(minor: int, bps: int) -> int:
    """`bps` ten-thousandths of an amount, rounded down to a whole minor unit."""
    return int((Decimal(minor) * bps / 10_000).to_integral_value(rounding=ROUND_DOWN))


def in_tokens(minor: int, token: Token | str) -> str:
    """An amount as people read it: `10,010 AIA`, `74.99 AIA`, `0.000001 AIA_GOV`
    (thousands grouped, no trailing zeros; exact, never rounded)."""
    value = (Decimal(minor) / UNIT).quantize(Decimal(1).scaleb(-DECIMALS))
    text = f"{value:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text} {Token(token).value}"


def percent(bps: int) -> str:
    """Basis points as a percentage people read: 10 -> `0.1 %`, 200 -> `2 %`."""
    value = Decimal(bps) / 100
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text} %"
