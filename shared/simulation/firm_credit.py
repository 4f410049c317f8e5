"""Firms' bank loans (ADR 0044; Caiani et al. 2016, Dosi et al. 2010).

A firm pays for investment from cash above a month of wages (after this month's wage
bill) first and borrows the rest, up to a loan-to-value limit on its plant, from the
bank, which grants the share its capital requirement allows (bank.py). Loans pay the
loan rate (policy rate plus the spread) and are amortised over five years; a firm that
cannot service them runs into overdraft and, beyond the bankruptcy limit, fails
(goods.update_firms): the entrant takes over the plant with the part of the loan the
plant secures (half its lending value at most) and the rest is written off against the
bank's equity.

In the money accounts a loan is the bank's claim: the bank's net money is its equity
less its bonds and its loans, so granting a loan moves money from the bank to the firm
(row "loans"), a repayment moves it back ("repayments") and a write-off moves no money
(equity and loans fall together).
"""

from __future__ import annotations

import numpy as np

from shared.simulation.capital import desired_investment, goods_price
from shared.simulation.month import F64Array, IntArray, Month
from shared.simulation.state import MONTHS
from shared.simulation.stock_flow import BANK, FIRMS

LOAN_MONTHS = 60.0  # amortised over five years (a typical term loan for equipment)
LOAN_TO_VALUE = 0.6  # the bank lends against at most 60 % of the plant's value
LIQUIDITY_MONTHS = 1.0  # cash a firm keeps, in months of wages, before investing from it
# what a failed firm's plant recovers of its lending value (a forced sale fetches about half
# of book value: Ramey & Shapiro 2001 measure 28-72 % for aerospace equipment)
RECOVERY = 0.5


def service_loans(mo: Month) -> None:
    """Interest at the loan rate and the month's amortisation, paid from the firm's cash
    (into overdraft if it has none)."""
    loans = mo.state.firms.loans
    rate = (mo.rate + mo.params.policy.monetary.loan_spread) / MONTHS
    interest = loans * rate
    repayment = loans / LOAN_MONTHS
    mo.firm_cash = mo.firm_cash - interest - repayment
    mo.firm_interest = mo.firm_interest - interest  # a cost in this month's profit
    paid, repaid = float(interest.sum()), float(repayment.sum())
    mo.bank_income += paid
    mo.ledger.transfer("loan interest", FIRMS, paid, BANK, paid)
    mo.ledger.transfer("repayments", FIRMS, repaid, BANK, repaid)
    mo.loans = loans - repayment


def finance_investment(mo: Month) -> F64Array:
    """Each firm's investment demand (money) and the loans granted for it."""
    firms = mo.state.firms
    mo.capital_price = price = goods_price(mo)
    wanted = desired_investment(mo) * price
    spare = mo.firm_cash - (1 + LIQUIDITY_MONTHS) * mo.wage_bill
    own = np.clip(spare, 0.0, wanted)
    asked = wanted - own
    np.minimum(asked, np.maximum(LOAN_TO_VALUE * price * firms.capital - mo.loans, 0.0), out=asked)
    asked[0] = 0.0
    total = float(asked.sum())
    granted_share = min(mo.credit_supply, mo.credit_room / total) if total > 0 else 1.0
    mo.credit_rationed = 1 - granted_share if total > 0 else 0.0
    granted = asked * granted_share
    lent = float(granted.sum())
    mo.loans += granted
    mo.firm_cash = mo.firm_cash + granted
    mo.ledger.transfer("loans", BANK, lent, FIRMS, lent)
    mo.new_loans = lent
    return own + granted


def default_on_loans(mo: Month, gone: IntArray) -> float:
    """Failed firms' loans: the bank keeps its claim on the plant, which passes to the
    entrant with a loan of at most `RECOVERY` of the plant's lending value (a sale of
    the collateral, financed by the bank); the rest is written off, the bank's loss."""
    loans = mo.loans[gone]
    secured = RECOVERY * LOAN_TO_VALUE * mo.capital_price * mo.state.firms.capital[gone]
    kept = np.minimum(loans, secured)
    loss = float((loans - kept).sum())
    mo.loans[gone] = kept
    return loss
