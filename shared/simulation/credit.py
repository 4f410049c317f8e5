"""Credit and its losses (ADR 0040; Caiani et al. 2016, Dosi et al. 2010).

Households borrow on a credit line of `borrowing_limit` average wages (spending stops
at it, see finance.spend). Interest still accrues on a debt at the line; what a
household owes beyond it, it cannot pay: that part is defaulted on at the start of the
month and written off, a loss to the bank's equity. Before, such debts compounded
without end, at whatever rate the central bank set.
"""

from __future__ import annotations

import numpy as np

from shared.simulation.month import Month
from shared.simulation.stock_flow import BANK, HOUSEHOLDS


def household_defaults(mo: Month) -> None:
    line = mo.b.borrowing_limit * mo.state.macro.average_wage
    defaulting = np.flatnonzero(mo.deposits < -line)
    mo.household_written_off = 0.0
    if defaulting.size:
        excess = -line - mo.deposits[defaulting]
        mo.deposits[defaulting] = -line
        mo.household_written_off = float(excess.sum())
        mo.ledger.transfer(
            "write-offs", BANK, mo.household_written_off, HOUSEHOLDS, mo.household_written_off
        )
    mo.household_defaults = int(defaulting.size)
