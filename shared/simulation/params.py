"""Parameters of the household economy: structure, behaviour and policy.

Money is measured in units of the initial average monthly wage, so every threshold that
is a sum of money (tax brackets, benefits, the consumption floor) is written as a
multiple of the *current* average wage and stays meaningful as wages grow. Rates are
fractions (0.02 is 2 %) and annual unless a name says `monthly`.

`Policy` is the part a live simulation may change between ticks (fiscal, monetary and
token rules); the rest is fixed when a run starts.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TaxBracket(_Params):
    threshold: float = Field(
        ge=0, le=1000, description="Annual income, in average annual wages, where the rate starts."
    )
    rate: float = Field(ge=0, le=0.75, description="Marginal rate above the threshold.")


# The average income-tax rate at one average annual wage may be at most this: above every
# OECD country's tax wedge on a single average worker (Belgium's 52.7 % in 2024 is the
# highest, employers' contributions included). Above it the tested economies fell into
# depressions past 70 % unemployment (flat taxes of 66 % and 75 %: ADR 0049).
AVERAGE_EARNER_RATE_CAP = 0.6


def average_tax_rate(brackets: tuple[TaxBracket, ...], income: float) -> float:
    """Tax over income at an annual `income` in average annual wages (brackets sorted)."""
    tax = 0.0
    for bracket, above in itertools.zip_longest(brackets, brackets[1:]):
        top = income if above is None else min(income, above.threshold)
        tax += max(top - bracket.threshold, 0.0) * bracket.rate
    return tax / income


DEFAULT_BRACKETS = (
    TaxBracket(threshold=0.0, rate=0.12),
    TaxBracket(threshold=0.5, rate=0.25),
    TaxBracket(threshold=1.25, rate=0.35),
    TaxBracket(threshold=3.0, rate=0.45),
)


class FiscalPolicy(_Params):
    """Progressive income tax with marginal-rate brackets, transfers paid from the
    government's account, and public purchases (a share of trend GDP) that fall when
    public debt exceeds its target."""

    tax_brackets: tuple[TaxBracket, ...] = Field(
        default=DEFAULT_BRACKETS,
        min_length=1,
        max_length=12,
        description="Marginal rates; thresholds strictly increasing, the first at 0.",
    )
    unemployment_benefit: float = Field(
        default=0.45, ge=0, le=1, description="Replacement rate of the worker's usual pay."
    )
    pension: float = Field(
        default=0.45, ge=0, le=1, description="Pension as a fraction of the usual pay (65+)."
    )
    minimum_income: float = Field(
        default=0.35, ge=0, le=1, description="Floor of benefits and pensions, in average wages."
    )
    basic_income: float = Field(
        default=0.0, ge=0, le=1, description="Monthly basic income per adult, in average wages."
    )
    public_spending: float = Field(
        default=0.22, ge=0, le=0.5, description="Public purchases as a share of potential GDP."
    )
    debt_target: float = Field(
        default=0.8,
        ge=0,
        le=3,
        description="Public debt over annual GDP that public purchases steer towards.",
    )
    debt_response: float = Field(
        default=0.5,
        ge=0,
        le=2,
        description="Relative cut in purchases per unit of debt ratio above target.",
    )
    estate_tax: float = Field(default=0.2, ge=0, le=1, description="Tax on positive estates.")
    # the debt brake (ADR 0040): above the ceiling the government consolidates, by a tax
    # surcharge and by cutting transfers and purchases, towards a primary surplus
    debt_ceiling: float = Field(
        # the default economy's debt settles at 1.5-1.6 of GDP: a ceiling of 1.5 kept the
        # brake on and off with the cycle, and consumption swung with it (ADR 0055)
        default=2.0,
        ge=0.3,
        le=3,
        description="Public debt over annual GDP above which the debt brake consolidates.",
    )
    brake_strength: float = Field(
        default=0.1,
        ge=0,
        le=0.5,
        description="Consolidation, a share of GDP, per unit of debt ratio above the ceiling.",
    )
    brake_tax_share: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="Share of the consolidation raised by a flat income-tax surcharge "
        "(the rest cuts transfers and purchases).",
    )
    brake_speed: float = Field(
        default=0.1,
        ge=0,
        le=1,
        description="Monthly share of the gap to the brake's target closed (0: no brake).",
    )

    @field_validator("tax_brackets")
    @classmethod
    def _increasing(cls, brackets: tuple[TaxBracket, ...]) -> tuple[TaxBracket, ...]:
        if brackets[0].threshold != 0:
            raise ValueError("the first bracket must start at 0")
        for low, high in itertools.pairwise(brackets):
            if high.threshold <= low.threshold:
                raise ValueError("bracket thresholds must be strictly increasing")
        rate = average_tax_rate(brackets, 1.0)
        if rate > AVERAGE_EARNER_RATE_CAP:
            raise ValueError(
                f"these brackets tax one average annual wage at {rate:.1%} on average; at "
                f"most {AVERAGE_EARNER_RATE_CAP:.0%} is within the range the model is "
                "tested over (above every OECD country's tax wedge)"
            )
        return brackets


class MonetaryPolicy(_Params):
    """Taylor (1993): i = r* + pi + a_pi (pi - pi*) + a_y gap, smoothed, with a floor."""

    neutral_real_rate: float = Field(default=0.02, ge=-0.02, le=0.05, description="r*")
    inflation_target: float = Field(default=0.02, ge=0, le=0.06, description="pi*")
    inflation_response: float = Field(default=0.5, ge=0, le=3, description="a_pi")
    output_gap_response: float = Field(default=0.5, ge=0, le=2, description="a_y")
    smoothing: float = Field(
        # 0.61 a quarter; estimated rules find 0.7-0.8, but at 0.92 a month (0.78) a slump
        # at the rate's floor lost the target for decades in 8 of 50 two-century runs
        default=0.85,
        ge=0,
        le=0.95,
        description="Monthly weight on last month's rate.",
    )
    lower_bound: float = Field(default=0.0, ge=-0.02, le=0.04, description="Floor on the rate.")
    neutral_rate_learning: float = Field(
        default=0.0,
        ge=0,
        le=2,
        description="Yearly update of r* per point of inflation miss; 0 keeps r* fixed.",
    )
    loan_spread: float = Field(
        default=0.02, ge=0, le=0.2, description="Bank lending rate over the policy rate."
    )


class TokenPolicy(_Params):
    """AIA pays for platform services; AIA_GOV is held and staked for a share of the
    platform's revenue. Supply changes only by explicit mint and burn."""

    platform_share: float = Field(
        default=0.03, ge=0, le=0.2, description="Share of spending on platform services."
    )
    burn_rate: float = Field(
        default=0.003, ge=0, le=1, description="Share of AIA paid for services that is burned."
    )
    issuance_rate: float = Field(
        default=0.04, ge=0, le=1, description="AIA minted per year as staking rewards."
    )
    staking_target: float = Field(
        default=0.6, ge=0, le=1, description="Staked share of AIA_GOV at the reference rate."
    )
    staking_rate_sensitivity: float = Field(
        default=5.0, ge=0, le=50, description="Fall in the staked share per unit policy rate."
    )


class Policy(_Params):
    fiscal: FiscalPolicy = Field(
        default=FiscalPolicy(), description="Taxes, transfers and public spending"
    )
    monetary: MonetaryPolicy = Field(
        default=MonetaryPolicy(), description="The central bank's Taylor rule and target"
    )
    tokens: TokenPolicy = Field(
        default=TokenPolicy(),
        description="Platform spending, AIA burning and issuance, AIA_GOV staking",
    )

    def with_changes(self, changes: dict[str, Any]) -> Policy:
        """This policy with fields replaced, e.g. {"monetary": {"inflation_target": 0.03}},
        validated like any policy (a bad change raises `pydantic.ValidationError`)."""
        return Policy.model_validate(merge_changes(self.model_dump(), changes))


# Behaviour fields of economy model 1 that model 2 no longer has (ADR 0039): runs stored
# by model 1 name them in their parameters, which must still load (ADR 0037)
RETIRED_BEHAVIOUR = frozenset(
    {
        "markup_adjustment",
        "price_reset_probability",
        "share_competition",
        "share_volatility",
        "investment_share",  # investment follows desired capital since ADR 0044
        # wages answer each firm's vacancies against unemployment, no u* (ADR 0049)
        "natural_unemployment",
        "wage_unemployment_response",
        "matching_efficiency",
        # the target enters expected inflation only through its earned credibility (ADR 0050)
        "expectations_anchoring",
    }
)


class Behaviour(_Params):
    """How households and firms behave. Defaults are calibrated so the stylised facts
    in tests/simulation hold; each has the bounds inside which the model stays sane."""

    @model_validator(mode="before")
    @classmethod
    def _without_retired_fields(cls, data: Any) -> Any:
        if isinstance(data, dict) and RETIRED_BEHAVIOUR & data.keys():
            return {k: v for k, v in data.items() if k not in RETIRED_BEHAVIOUR}
        return data

    # households
    skill_dispersion: float = Field(default=0.65, ge=0, le=1.5, description="sigma of log skill.")
    propensity_to_consume: float = Field(
        default=0.8, gt=0, le=1, description="a1: spending out of this month's disposable income."
    )
    consumption_from_wealth: float = Field(
        default=0.023, ge=0, le=0.5, description="a2: monthly spending out of savings (skill 1)."
    )
    thrift_by_skill: float = Field(
        default=1.0, ge=0, le=5, description="a2 falls as 1 / (1 + thrift (skill - 1))."
    )
    rate_sensitivity: float = Field(
        default=3.0, ge=0, le=20, description="Fall in spending per unit real rate gap."
    )
    appetite_adjustment: float = Field(
        # habits: a lasting change has half its effect on spending after 27 months, as
        # monetary policy's does in the data (ADR 0051)
        default=0.025,
        gt=0,
        le=1,
        description="Monthly share of the way households' appetite moves towards what the "
        "real rate and confidence call for.",
    )
    subsistence: float = Field(
        default=0.3, ge=0, le=2, description="Consumption floor, in average monthly wages."
    )
    borrowing_limit: float = Field(
        default=4, ge=0, le=50, description="Household credit line, in average wages."
    )
    health_spending_share: float = Field(
        default=0.1,
        ge=0,
        le=0.5,
        description="Share of spending on health care (sold by health firms).",
    )
    equity_threshold: float = Field(
        default=0, ge=0, le=100, description="Savings, in wages, above which one owns equity."
    )
    # demand shock: AR(1) on spending (animal spirits)
    demand_shock_persistence: float = Field(default=0.97, ge=0, lt=1, description="Monthly.")
    demand_shock_volatility: float = Field(default=0.009, ge=0, le=0.1, description="Monthly.")
    # labour market
    separation_rate: float = Field(default=0.015, ge=0, le=0.2, description="Monthly quits.")
    search_intensity: float = Field(
        default=0.25,
        gt=0,
        le=1,
        description="Monthly chance a job seeker applies, in each of two rounds.",
    )
    wage_appeal: float = Field(
        default=2.0,
        ge=0,
        le=5,
        description="Applications go to firms by vacancies x (wage / mean wage)^this.",
    )
    hiring_speed: float = Field(
        default=1.0, gt=0, le=1, description="Share of a firm's missing staff posted as vacancies."
    )
    firing_speed: float = Field(
        default=0.25,
        ge=0,
        le=1,
        description="Monthly share of excess staff laid off (the rest is hoarded).",
    )
    hours_range: float = Field(
        default=0.1, ge=0, le=0.5, description="Hours vary by +- this around normal."
    )
    wage_tightness_response: float = Field(
        default=0.5,
        ge=0,
        le=2,
        description="Yearly wage growth per point of a firm's vacancy rate above unemployment.",
    )
    vacancy_pressure_cap: float = Field(
        default=0.1,
        gt=0,
        # a firm's own vacancy rate uncapped, wages of small firms with open posts ran
        # away: 380 bankruptcies a year at 10,000 households (ADR 0049)
        le=0.2,
        description="A firm's vacancy rate counts in its wage up to this (a new or fast-"
        "growing firm's open posts say little more about the market).",
    )
    # expectations (finance.expectations): adaptive, and the target believed as earned
    expectations_learning: float = Field(
        default=0.02,
        gt=0,
        le=0.05,
        description="Monthly weight of last year's inflation in experienced inflation.",
    )
    credibility_learning: float = Field(
        default=0.02,
        ge=0,
        le=0.1,
        description="Monthly step of the target's credibility towards what delivery earns.",
    )
    credibility_tolerance: float = Field(
        # 3 points let a slump at the rate's floor lose the target for a century in 2 of
        # 50 seeds (ADR 0050, addendum); the 2021-23 surge, 6-8 points above target,
        # left long-run expectations within half a point of it
        default=0.06,
        ge=0.005,
        le=0.1,
        description="Miss of the target (pi - pi*) at which credibility earned is exp(-1).",
    )
    # firms
    households_per_firm: int = Field(
        default=20, ge=5, le=500, description="Household slots per firm slot."
    )
    health_firms_share: float = Field(
        default=0.1, ge=0.02, le=0.5, description="Share of firms in the health sector."
    )
    inventory_target: float = Field(default=0.5, ge=0, le=3, description="Months of sales.")
    inventory_adjustment: float = Field(default=0.18, ge=0, le=1, description="Monthly.")
    inventory_decay: float = Field(default=0.05, ge=0, le=1, description="Monthly.")
    demand_learning: float = Field(
        default=0.14, gt=0, le=1, description="Monthly weight of new demand in expected sales."
    )
    markup: float = Field(
        # covers the plant's cost as well as labour: depreciation of capital worth ten
        # months' output is a tenth of sales (ADR 0052)
        default=0.33,
        ge=0.01,
        le=1,
        description="Normal markup over unit labour cost (entrants start with it).",
    )
    # goods market (Lengnick 2013)
    inventory_low: float = Field(
        default=0.2, ge=0, le=3, description="Stock below this, in months of sales: raise price."
    )
    inventory_high: float = Field(
        default=1.0, ge=0, le=6, description="Stock above this, in months of sales: cut price."
    )
    price_review: float = Field(
        default=0.15,
        gt=0,
        le=1,
        description="Monthly chance a firm whose stock is out of its band changes its price.",
    )
    price_step: float = Field(
        default=0.02, ge=0, le=0.3, description="Largest change in the aimed-for markup."
    )
    price_tolerance: float = Field(
        default=0.05,
        ge=0,
        le=0.5,
        description="Drift of the posted price from its target that makes a firm reprice.",
    )
    markup_reversion: float = Field(
        default=0.02,
        ge=0,
        le=0.5,
        description="Monthly share of its gap to the normal markup a firm's markup closes.",
    )
    markup_floor: float = Field(
        default=0.05, ge=0, le=1, description="Lowest markup over unit labour cost."
    )
    markup_ceiling: float = Field(
        default=0.5, ge=0, le=3, description="Markup above which a firm no longer raises."
    )
    price_search: float = Field(
        default=0.1,
        ge=0,
        le=1,
        description="Monthly share of households comparing one supplier with a random firm.",
    )
    switch_threshold: float = Field(
        default=0.02, ge=0, le=0.5, description="Relative price gain a household switches for."
    )
    ration_switching: float = Field(
        default=0.25, ge=0, le=1, description="Chance a supplier that rationed is replaced."
    )
    dividend_payout: float = Field(
        default=0.5, ge=0, le=1, description="Share of last month's positive profit paid out."
    )
    # capital (capital.py, ADR 0044; Dosi et al. 2010, Caiani et al. 2016)
    capital_output_ratio: float = Field(
        default=8.0,
        gt=0,
        le=60,
        description="Capital (units of goods) per unit of monthly output at full capacity.",
    )
    depreciation: float = Field(
        default=0.01, ge=0, le=0.1, description="Monthly share of capital worn out."
    )
    capital_adjustment: float = Field(
        default=0.03,
        ge=0,
        le=1,
        description="Monthly share of the gap to desired capital a firm invests.",
    )
    normal_utilisation: float = Field(
        default=0.8, gt=0.3, le=1, description="Capacity utilisation firms plan their plant for."
    )
    # productivity: learning by doing and investment (the productivity feedback)
    learning_by_doing: float = Field(default=0.006, ge=0, le=0.1, description="Annual.")
    investment_productivity: float = Field(
        default=0.1,
        ge=0,
        le=2,
        description="Yearly productivity growth per unit of investment/revenue.",
    )
    innovation_volatility: float = Field(default=0.005, ge=0, le=0.2, description="Monthly.")
    imitation: float = Field(default=0.02, ge=0, le=1, description="Monthly catch-up.")
    # public capital (public_capital.py, ADR 0053): roads, networks, schools purchases build
    public_capital_elasticity: float = Field(
        # Bom & Ligthart (2014), a meta-analysis of 68 studies: 0.08 on average
        default=0.08,
        ge=0,
        le=0.3,
        description="Output elasticity of public capital: productivity's response to it.",
    )
    public_capital_depreciation: float = Field(
        default=0.0035, ge=0.0005, le=0.05, description="Monthly (about 4 % a year)."
    )
    # health and demography
    health_recovery: float = Field(default=0.05, ge=0, le=1, description="Monthly.")
    health_shock_rate: float = Field(default=0.01, ge=0, le=1, description="Monthly.")
    health_shock_severity: float = Field(
        default=0.35, ge=0, le=1, description="Mean health lost in a shock."
    )
    health_income_gradient: float = Field(
        default=0.06,
        ge=0,
        le=1,
        description="Health target rise per log point of relative health spending.",
    )
    participation_health: float = Field(
        default=0.4, ge=0, le=1, description="Below this health a person leaves work."
    )
    retirement_age: int = Field(
        default=65,
        ge=40,
        le=90,
        description="Age (years) from which people draw a pension and stop working.",
    )
    mortality_at_20: float = Field(default=0.0003, gt=0, le=0.1, description="Annual.")
    mortality_growth: float = Field(default=0.085, ge=0, le=0.3, description="Gompertz, per year.")
    mortality_health: float = Field(
        default=3.0, ge=0, le=20, description="Mortality rises as exp(this x (0.8 - health))."
    )
    household_formation: float = Field(
        default=0.5, gt=0, le=1, description="Monthly chance a vacant slot gets a household."
    )
    # the bond market (ADR 0040): buyers ask a premium over the policy rate that rises
    # with the debt ratio and the deficit, and buy nothing at all beyond a maximum spread
    safe_debt_ratio: float = Field(
        default=1.5, ge=0, le=3, description="Public debt over annual GDP that carries no premium."
    )
    debt_risk_premium: float = Field(
        default=0.04,
        ge=0,
        le=0.5,
        description="Yearly bond spread per unit of debt ratio above the safe ratio.",
    )
    deficit_risk_premium: float = Field(
        default=0.2,
        ge=0,
        le=5,
        description="Yearly bond spread per unit of primary deficit/GDP above 5 %.",
    )
    max_bond_spread: float = Field(
        default=0.08,
        gt=0,
        le=0.3,
        description="Spread beyond which no buyer finances a deficit (a fiscal crisis).",
    )


class SimulationParams(_Params):
    households: int = Field(
        default=1000,
        ge=100,
        le=2_000_000,
        description="Household slots (the population hovers just below).",
    )
    seed: int = Field(
        default=0,
        ge=0,
        le=2**63 - 1,
        description="Random seed: same seed and parameters, same run.",
    )
    policy: Policy = Policy()
    behaviour: Behaviour = Behaviour()

    @model_validator(mode="after")
    def _enough_firms(self) -> SimulationParams:
        if self.households // self.behaviour.households_per_firm < 10:
            raise ValueError("households / households_per_firm must give at least 10 firms")
        return self

    @property
    def firms(self) -> int:
        return self.households // self.behaviour.households_per_firm

    def with_policy_changes(self, changes: dict[str, Any]) -> SimulationParams:
        """A copy with policy fields replaced, e.g. {"monetary": {"inflation_target": 0.03}};
        validated like the original (a bad change raises `pydantic.ValidationError`)."""
        return self.model_copy(update={"policy": self.policy.with_changes(changes)})


def merge_changes(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """`base` with `changes` laid over it, section by section: {"monetary": {"x": 1}}
    replaces monetary.x and keeps monetary's other fields."""
    out = dict(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge_changes(out[key], value)
        else:
            out[key] = value
    return out


def stored_params(text: str) -> SimulationParams:
    """Parameters a run was created with, read back from storage. The bounds were
    narrowed to the tested ranges (ADR 0036) after some runs were accepted: a stored
    value outside today's bounds is kept as it was accepted (not clamped, not refused),
    so the run reads, and goes on, exactly as its owner started it."""
    try:
        return SimulationParams.model_validate_json(text)
    except ValidationError:
        accepted: SimulationParams = _accepted(SimulationParams, json.loads(text))
        return accepted


def _accepted(model: type[_Params], data: dict[str, Any]) -> Any:
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name == "tax_brackets":
            values[name] = tuple(_accepted(TaxBracket, b) for b in value)
        elif isinstance(value, dict):
            annotation = model.model_fields[name].annotation
            assert isinstance(annotation, type) and issubclass(annotation, _Params)
            values[name] = _accepted(annotation, value)
        else:
            values[name] = value
    return model.model_construct(**values)
