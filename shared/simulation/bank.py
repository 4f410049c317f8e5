"""The bank's capital requirement, credit rationing and resolution (ADR 0044; Caiani et
al. 2016 for a bank that lends up to what its equity allows).

The bank's loans (firms' loans and overdrafts, households' debts; public debt carries
no risk weight, as a sovereign's own-currency debt under Basel's standardised approach)
may be at most its equity over the capital requirement. New credit slows over the last
quarter of that room and stops at it: `credit_supply` is the share of new credit asked
for that the bank grants this month, applied to firms' new loans and to households'
credit lines alike. A bank whose equity falls below half its requirement (after loan
losses or a sovereign default) is recapitalised by the government to where it lends
normally again (its loans at the start of the rationing band; at the requirement
itself it could grant no new credit, not even households' lines), paid from the
government's account and so financed by bonds like any other outlay: without it
nothing stopped the equity from going negative (ADR 0040, "Not done").
"""

from __future__ import annotations

import numpy as np

from shared.simulation.month import Month
from shared.simulation.stock_flow import BANK, GOVERNMENT

CAPITAL_REQUIREMENT = 0.08  # Basel III: total capital of at least 8 % of risk-weighted assets
RATIONING_BAND = 0.25  # new credit slows over the last quarter of the room equity allows
RESOLUTION_THRESHOLD = 0.5  # recapitalised when equity is below half the requirement


def bank_lending(mo: Month) -> float:
    """Loans outstanding at the start of the month (after households' defaults)."""
    firms = mo.state.firms
    household_debt = -float(np.minimum(mo.deposits, 0.0).sum())
    firm_debt = float(firms.loans[1:].sum()) - float(np.minimum(firms.deposits[1:], 0.0).sum())
    return household_debt + firm_debt


def credit_conditions(mo: Month) -> None:
    """Recapitalise a bank below its resolution threshold, then set how much new credit
    the bank grants this month."""
    m = mo.state.macro
    lending = bank_lending(mo)
    required = CAPITAL_REQUIREMENT * lending
    mo.bank_lending = lending
    mo.recapitalisation = 0.0
    if m.bank_equity < RESOLUTION_THRESHOLD * required:
        mo.recapitalisation = required / (1 - RATIONING_BAND) - m.bank_equity
        mo.ledger.transfer(
            "recapitalisation", GOVERNMENT, mo.recapitalisation, BANK, mo.recapitalisation
        )
    equity = m.bank_equity + mo.recapitalisation
    mo.bank_capital_ratio = equity / lending if lending > 0 else 1.0
    allowed = max(equity, 0.0) / CAPITAL_REQUIREMENT
    mo.credit_room = max(allowed - lending, 0.0)
    band = RATIONING_BAND * allowed
    mo.credit_supply = min(mo.credit_room / band, 1.0) if band > 0 else 0.0
