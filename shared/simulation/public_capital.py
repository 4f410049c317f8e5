"""Public capital: roads, networks and schools that public purchases build and that make
every firm more productive (ADR 0053; Aschauer 1989, Bom & Ligthart 2014).

The stock is kept as an index: public purchases' share of trend GDP, averaged over the
capital's lifetime (it depreciates about 4 % a year, so a lasting cut has half its
effect after some 16 years). Firms' productivity answers its changes with the output
elasticity of public capital (0.08): purchases cut by a tenth for good cost about 0.8 %
of productivity once the stock has worn down. The share of purchases that is
investment is taken as fixed, so the index moves as the stock itself does.
"""

from __future__ import annotations

from shared.simulation.month import Month


def public_capital_gain(mo: Month) -> float:
    """This month's index of public capital (`mo.public_capital`), and the factor by
    which it moves every firm's productivity."""
    b, m = mo.b, mo.state.macro
    bought = mo.public_paid / max(m.trend_gdp, 1e-300)
    before = m.public_capital
    mo.public_capital = before + b.public_capital_depreciation * (bought - before)
    if before <= 0:
        return 1.0
    return float((mo.public_capital / before) ** b.public_capital_elasticity)
