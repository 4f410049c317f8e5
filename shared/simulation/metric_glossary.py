"""What each field of a month's metrics means, with its unit, for the API reference.
Money is the simulated economy's own currency (not AIA, not US dollars); rates are
fractions (0.02 = 2 %)."""

from __future__ import annotations

METRIC_DESCRIPTIONS: dict[str, str] = {
    "tick": "The month this record is for, counting from 1 (tick 0 is the starting state)",
    "gdp_nominal": "Nominal GDP, money per month",
    "gdp_real": "Real GDP, in money of tick 0 per month (deflated by the CPI)",
    "gdp_growth": "Real GDP growth year on year, a fraction per year",
    "labor_productivity": "Real GDP per employed worker, money of tick 0 per month",
    "unemployment_rate": "Unemployed share of the labour force, a fraction",
    "inflation": "CPI inflation year on year, a fraction per year",
    "policy_rate": "The central bank's policy rate, a fraction per year",
    "output_gap": "Real GDP's gap to potential output (a trend of real GDP estimated from the "
    "simulated data), a fraction of potential (negative below it)",
    "tax_revenue": "Taxes collected (income and estate tax), money per month",
    "gini_income": "Gini coefficient of disposable income, 0 (equal) to 1",
    "gini_wealth": "Gini coefficient of wealth (deposits plus AIA at its price), 0 to 1",
    "mean_health": "Mean household health index, 0 to 1",
    "population": "Living households",
    "aia_supply": "AIA held by households and the treasury, in AIA",
    "aia_velocity": "AIA paid in transfers and rewards per year, divided by the AIA supply",
    "aia_gov_supply": "AIA_GOV held by households, in AIA_GOV",
    "vacancy_rate": "Unfilled jobs as a fraction of jobs",
    "participation_rate": "Labour force as a fraction of the population",
    "employment": "Employed workers",
    "cpi": "Consumer price index (tick 0 = 1)",
    "average_wage": "Average wage of employed workers, money per month",
    "consumption": "Household consumption spending, money per month",
    "investment": "Firms' investment, money per month",
    "public_spending": "Government purchases, money per month",
    "government_balance": "Fall in public debt this month (negative: a deficit), money per month",
    "public_debt_ratio": "Public debt (bonds outstanding less the government's money) as a "
    "fraction of annual nominal GDP (negative: net assets)",
    "bond_yield": "Yield on new government bonds: the policy rate plus a spread rising with "
    "the debt ratio and the deficit, a fraction per year",
    "fiscal_cut": "Share of planned transfers and public purchases cut this month by the debt "
    "brake or, in a fiscal crisis, by forced austerity, a fraction",
    "fiscal_crisis": "1 in a month when no buyer financed the deficit (the spread buyers ask "
    "exceeds its maximum), else 0",
    "aia_price": "Price of one AIA in money",
    "aia_minted": "AIA minted since the start, in AIA",
    "aia_burned": "AIA burned since the start, in AIA",
    "aia_gov_staked_share": "Staked share of the AIA_GOV supply, a fraction",
    "aia_gov_gini": "Gini coefficient of AIA_GOV holdings, 0 to 1",
    "firms_hiring": "Firms that employ at least one worker",
    "firm_exits": "Firms that closed this month",
    "firm_size_skewness": "Skewness of firm sizes (workers per firm); positive: a few large firms",
    "sfc_error": "Stock-flow consistency check: the largest relative discrepancy in the "
    "money accounts (about 0 when the books balance)",
    "token_error": "Token accounting check: the largest relative gap between a token's "
    "holdings and minted less burned (about 0 when they agree)",
    "labour_share": "Wages paid as a fraction of nominal GDP (null in months stored before "
    "it was measured)",
    "price_change_share": "Fraction of firms whose price differs from last month's (null in "
    "months stored before it was measured)",
    "capacity_utilisation": "Output as a fraction of what firms' plants can make (null in "
    "months stored before firms held capital)",
    "firm_loans": "Firms' bank loans outstanding at the month's end, money (null before firms "
    "borrowed)",
    "credit_rationed": "Share of firms' loan demand the bank refused this month because of its "
    "capital requirement, a fraction (null before the bank had one)",
    "bank_capital_ratio": "The bank's equity over its loans to firms and households at the "
    "start of the month, a fraction (the requirement is 0.08; null before it was measured)",
    "bank_recapitalisation": "Equity the government put into the bank this month, money (null "
    "before the bank could be recapitalised)",
    "write_offs": "Loans and overdrafts of firms and households written off this month, money "
    "(null before it was measured)",
    "expected_inflation": "Inflation people expect for the coming year, which wages follow: "
    "credibility x the target + (1 - credibility) x the inflation they have experienced, an "
    "annual fraction (null in months stored before expectations were earned)",
    "central_bank_credibility": "How far the inflation target is believed, 0 to 1: it rises "
    "while inflation stays near the target and falls while it does not (null in months "
    "stored before expectations were earned)",
    "firm_bankruptcies": "Firms that closed this month because their debt passed the limit "
    "(six months of wages): insolvencies, part of the firm exits (null in months stored before "
    "it was measured)",
    "public_capital": "Public capital (roads, networks, schools) as an index: public purchases' "
    "share of GDP averaged over the capital's lifetime (about 4 % wears out a year); every "
    "firm's productivity follows its changes with an elasticity of 0.08 (null in months "
    "stored before it was measured)",
}
