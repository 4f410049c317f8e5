from __future__ import annotations

from pydantic import BaseModel, Field


class Pack(BaseModel):
    """An AIA pack on sale: how much AIA for how many cents of which currency."""

    aia: str = Field(description="AIA credited, exact decimal")
    price_cents: int = Field(
        gt=0, description="The price in the currency's minor units (cents: 500 is 5.00)"
    )
    currency: str = Field(
        default="usd", min_length=3, max_length=3, description="ISO 4217 code, lower case"
    )
    name: str = Field(description="The pack's name as shown at checkout")


DEFAULT_PACKS = {
    "aia-100": Pack(aia="100", price_cents=500, name="100 AIA"),
    "aia-1000": Pack(aia="1000", price_cents=4500, name="1,000 AIA"),
    "aia-10000": Pack(aia="10000", price_cents=40000, name="10,000 AIA"),
}
