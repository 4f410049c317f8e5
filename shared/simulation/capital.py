"""Firms' capital: the plant that caps output and the investment that keeps it in line
with expected sales (ADR 0044; after Dosi et al. 2010 and Caiani et al. 2016).

Capital is kept in real units (units of the goods firms' output, valued at the goods
price index when a firm buys it or borrows against it). A firm's capacity is its
capital over the capital-output ratio; output above it is cut by shortening hours
(`cap_output`). Each month the firm wants enough capital to produce its expected sales
at normal utilisation and invests its depreciation plus a share of the gap (a flexible
accelerator), never less than nothing, expanding less when the real rate is above
neutral (`desired_investment`). It pays from cash above a month of wages first and
borrows the rest from the bank (firm_credit.py), whose capital requirement may ration
it; what it buys comes through the goods market as bulk demand, and only what it got is
added to its plant (`install`). A failed firm's plant passes to its entrant.
"""

from __future__ import annotations

import numpy as np

from shared.simulation.month import F64Array, Month
from shared.simulation.state import GOODS

RATE_FLOOR = 0.0  # the real rate can at most stop investment, never turn it negative


def goods_price(mo: Month) -> float:
    """The price of a unit of capital: goods firms' prices weighted by market share."""
    firms = mo.state.firms
    weights = np.where(firms.sector == GOODS, firms.share, 0.0)
    weights[0] = 0.0
    total = float(weights.sum())
    return float((weights * firms.price).sum() / total) if total > 0 else 1.0


def capacity(capital: F64Array, b_ratio: float) -> F64Array:
    """Output a plant can make in a month."""
    return capital / b_ratio


def cap_output(mo: Month) -> None:
    """Production beyond the plant's capacity is not possible: hours are cut to what the
    plant allows (labour is hoarded, as with any fall in hours). At normal utilisation
    (0.8) the cap binds only in a boom."""
    full = capacity(mo.state.firms.capital, mo.b.capital_output_ratio)
    mo.capacity = full
    over = mo.output > full
    if over.any():
        scale = full[over] / np.maximum(mo.output[over], 1e-300)
        mo.hours[over] *= scale
        mo.output[over] = full[over]


def desired_investment(mo: Month) -> F64Array:
    """Investment in real units each firm wants this month: depreciation plus a share of
    the gap between desired and present capital, never negative (a plant is not sold
    off). The real rate above neutral slows the expansion, not the replacement of worn
    plant: with capital of ten months' output, replacement is a tenth of GDP, and a
    rate that cut it in a boom turned investment against the cycle (ADR 0052)."""
    b, firms = mo.b, mo.state.firms
    desired = b.capital_output_ratio * firms.expected_sales / b.normal_utilisation
    expansion = b.capital_adjustment * (desired - firms.capital)
    expansion *= max(1 - b.rate_sensitivity * mo.real_rate_gap, RATE_FLOOR)
    units = b.depreciation * firms.capital + expansion
    np.maximum(units, 0.0, out=units)
    units[0] = 0.0
    return units


def install(mo: Month) -> F64Array:
    """Capital at the month's close: what depreciation leaves plus what was bought."""
    b, firms = mo.b, mo.state.firms
    capital = firms.capital * (1 - b.depreciation)
    capital += mo.invested / max(mo.capital_price, 1e-300)
    capital[0] = 0.0
    return capital
