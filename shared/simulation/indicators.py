"""What one month of the economy reports. Levels of money are per month in current
money; `*_real` are in money of tick 0 (deflated by the CPI); rates are fractions and
`inflation`, `policy_rate` and `gdp_growth` are annual (year-on-year for inflation and
growth, the annual rate for the policy rate). `gdp_growth` is None until a year of
months exists to compare with (records of ticks 1-12); inflation, which the policy rule
needs from the start, is annualised from tick 0 in the first year."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class TickMetrics:
    tick: int
    gdp_nominal: float
    gdp_real: float
    gdp_growth: float | None  # None in the first year: see the module's docstring
    labor_productivity: float
    unemployment_rate: float
    inflation: float
    policy_rate: float
    output_gap: float
    tax_revenue: float
    gini_income: float
    gini_wealth: float
    mean_health: float
    population: int
    aia_supply: float
    aia_velocity: float
    aia_gov_supply: float
    # beyond the required set
    vacancy_rate: float
    participation_rate: float
    employment: int
    cpi: float
    average_wage: float
    consumption: float
    investment: float
    public_spending: float
    government_balance: float
    public_debt_ratio: float
    bond_yield: float
    fiscal_cut: float
    fiscal_crisis: int
    aia_price: float
    aia_minted: float
    aia_burned: float
    aia_gov_staked_share: float
    aia_gov_gini: float
    firms_hiring: int
    firm_exits: int
    firm_size_skewness: float
    sfc_error: float
    token_error: float
    # added with the fidelity suite (ADR 0041); months stored before it have none (ADDED_FIELDS)
    labour_share: float | None
    price_change_share: float | None
    # added with capital and credit (ADR 0044); months stored before it have none
    capacity_utilisation: float | None
    firm_loans: float | None
    credit_rationed: float | None
    bank_capital_ratio: float | None
    bank_recapitalisation: float | None
    write_offs: float | None
    # added with earned expectations (ADR 0050); months stored before it have none
    expected_inflation: float | None
    central_bank_credibility: float | None
    # added when exits were split by cause (ADR 0051); months stored before it have none
    firm_bankruptcies: int | None
    # added with public capital (ADR 0053); months stored before it have none
    public_capital: float | None

    def as_dict(self) -> dict[str, Any]:
        # the fields in order; all scalars, so no deep copy (dataclasses.asdict: 50 us)
        return {name: getattr(self, name) for name in METRIC_FIELDS}


METRIC_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(TickMetrics))
INTEGER_FIELDS = frozenset(
    {
        "tick",
        "population",
        "employment",
        "firms_hiring",
        "firm_exits",
        "firm_bankruptcies",
        "fiscal_crisis",
    }
)
# fields that have no value in some months (gdp_growth before a year of data exists)
OPTIONAL_FIELDS = frozenset({"gdp_growth"})
# fields months stored by an earlier model do not have (NULL in their stored rows)
ADDED_FIELDS = frozenset(
    {
        "labour_share",
        "price_change_share",
        "bond_yield",
        "fiscal_cut",
        "fiscal_crisis",
        "capacity_utilisation",
        "firm_loans",
        "credit_rationed",
        "bank_capital_ratio",
        "bank_recapitalisation",
        "write_offs",
        "expected_inflation",
        "central_bank_credibility",
        "firm_bankruptcies",
        "public_capital",
    }
)


@dataclass(frozen=True)
class MetricInfo:
    title: str
    unit: str
    percent: bool = False


METRIC_INFO: dict[str, MetricInfo] = {
    "gdp_nominal": MetricInfo("Nominal GDP", "money per month"),
    "gdp_real": MetricInfo("Real GDP", "money of tick 0 per month"),
    "gdp_growth": MetricInfo("Real GDP growth (year on year)", "per year", True),
    "labor_productivity": MetricInfo("Labour productivity", "real GDP per worker"),
    "unemployment_rate": MetricInfo("Unemployment rate", "of the labour force", True),
    "inflation": MetricInfo("Inflation (CPI, year on year)", "per year", True),
    "policy_rate": MetricInfo("Policy rate", "per year", True),
    "output_gap": MetricInfo("Output gap", "of potential output", True),
    "tax_revenue": MetricInfo("Tax revenue", "money per month"),
    "gini_income": MetricInfo("Disposable-income Gini", "Gini coefficient"),
    "gini_wealth": MetricInfo("Wealth Gini", "Gini coefficient"),
    "mean_health": MetricInfo("Mean health", "health index (0-1)"),
    "population": MetricInfo("Population", "households"),
    "aia_supply": MetricInfo("AIA supply", "AIA"),
    "aia_velocity": MetricInfo("AIA velocity", "transfers per year / supply"),
    "aia_gov_supply": MetricInfo("AIA_GOV supply", "AIA_GOV"),
    "vacancy_rate": MetricInfo("Vacancy rate", "of jobs", True),
    "participation_rate": MetricInfo("Participation rate", "of adults", True),
    "employment": MetricInfo("Employment", "workers"),
    "cpi": MetricInfo("Consumer price index", "index (tick 0 = 1)"),
    "average_wage": MetricInfo("Average wage", "money per month"),
    "consumption": MetricInfo("Household consumption", "money per month"),
    "investment": MetricInfo("Investment", "money per month"),
    "public_spending": MetricInfo("Public purchases", "money per month"),
    "government_balance": MetricInfo("Government balance", "money per month"),
    "public_debt_ratio": MetricInfo("Public debt", "of annual GDP", True),
    "bond_yield": MetricInfo("Government bond yield", "per year", True),
    "fiscal_cut": MetricInfo("Cut in transfers and purchases", "of planned", True),
    "fiscal_crisis": MetricInfo("Fiscal crisis", "1 when no buyer financed the deficit"),
    "aia_price": MetricInfo("AIA price", "money per AIA"),
    "aia_gov_staked_share": MetricInfo("AIA_GOV staked", "of supply", True),
    "aia_gov_gini": MetricInfo("AIA_GOV concentration", "Gini coefficient"),
    "firm_size_skewness": MetricInfo("Firm-size skewness", "skewness"),
    "labour_share": MetricInfo("Labour share", "of nominal GDP", True),
    "price_change_share": MetricInfo("Firms changing their price", "of firms", True),
    "capacity_utilisation": MetricInfo("Capacity utilisation", "of firms' capacity", True),
    "firm_loans": MetricInfo("Firms' bank loans", "money"),
    "credit_rationed": MetricInfo("Credit refused", "of firms' loan demand", True),
    "bank_capital_ratio": MetricInfo("Bank capital ratio", "equity / loans", True),
    "bank_recapitalisation": MetricInfo("Bank recapitalisation", "money per month"),
    "write_offs": MetricInfo("Loan write-offs", "money per month"),
    "expected_inflation": MetricInfo("Expected inflation", "per year", True),
    "central_bank_credibility": MetricInfo("Central bank credibility", "of full belief", True),
    "firm_bankruptcies": MetricInfo("Bankruptcies", "firms per month"),
    "public_capital": MetricInfo("Public capital", "of GDP", True),
}
