"""Credit and its losses (ADR 0040; Caiani et al. 2016, Dosi et al. 2010).

Households borrow on a credit line the bank grants by income: `borrowing_limit` average
wages to a worker or a pensioner, three quarters of that to someone out of work
(spending stops at it, see finance.spend). Interest still accrues on a debt at the
line; what a household owes beyond its line, it cannot pay: that part is defaulted on at
the start of the month and written off, a loss to the bank's equity. Losing one's job
shrinks the line, so a job loss can end in a default. Before, such debts compounded
without end, at whatever rate the central bank set, and overdrafts were automatic.
"""

from __future__ import annotations

import numpy as np

from shared.simulation.month import Month
from shared.simulation.stock_flow import BANK, HOUSEHOLDS

JOBLESS_LINE = 0.75  # share of the credit line the bank grants to someone out of work


def household_defaults(mo: Month) -> None:
    line = mo.b.borrowing_limit * mo.state.macro.average_wage
    # only debtors beyond the smaller line need a look (a small subset)
    debtors = np.flatnonzero(mo.deposits < -JOBLESS_LINE * line)
    jobless = (mo.employer[debtors] == 0) & ~mo.retired[debtors]  # as finance.incomes
    their_line = np.where(jobless, JOBLESS_LINE * line, line)
    beyond = mo.deposits[debtors] < -their_line
    defaulting, their_line = debtors[beyond], their_line[beyond]
    mo.household_written_off = 0.0
    if defaulting.size:
        excess = -their_line - mo.deposits[defaulting]
        mo.deposits[defaulting] = -their_line
        mo.household_written_off = float(excess.sum())
        mo.ledger.transfer(
            "write-offs", BANK, mo.household_written_off, HOUSEHOLDS, mo.household_written_off
        )
    mo.household_defaults = int(defaulting.size)
