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
