"""What a simulation costs: its work, households x months, at a price per million
household-months, and never less than a minimum per run. Both are settings `prices`:
`simulation` (the minimum) and `simulation_per_million_household_months`; a missing
key costs nothing, so `prices={}` makes simulations free."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from shared.money import to_minor

ITEM = "simulation"
PER_MILLION = "simulation_per_million_household_months"


@dataclass(frozen=True)
class SimulationPrice:
    household_months: int
    amount: int  # AIA minor units
    minimum: int
    per_million_household_months: int


def simulation_price(prices: Mapping[str, str], households: int, months: int) -> SimulationPrice:
    work = households * months
    minimum = to_minor(prices.get(ITEM, "0"))
    per_million = to_minor(prices.get(PER_MILLION, "0"))
    by_work = -(-per_million * work // 1_000_000)  # rounded up to a whole minor unit
    return SimulationPrice(work, max(minimum, by_work), minimum, per_million)
