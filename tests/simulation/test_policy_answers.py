"""The sign of each policy answer docs/economy.md reports (tests/simulation/
policy_answers.py measures their sizes at 10,000 households over five seeds). Each
effect is changed minus default policy in the same seed; its sign must hold in each of
three seeds. The expected sign comes from the mechanism, said in each test."""

from __future__ import annotations

from functools import cache

from tests.simulation.policy_answers import CHANGES, MAX_BASIC_INCOME, run_case

HOUSEHOLDS = 4000
MEASURED_MONTHS = 360
BURN_IN = 120
SEEDS = (1, 2, 3)


@cache
def _outcomes(change: str, seed: int) -> dict[str, float]:
    case = run_case(HOUSEHOLDS, MEASURED_MONTHS, BURN_IN, seed, change)
    outcomes: dict[str, float] = case["outcomes"]
    return outcomes


def _effects(change_prefix: str, outcome: str) -> list[float]:
    """Changed minus default, one per seed, for the change whose name starts so."""
    change = next(c.name for c in CHANGES if c.name.startswith(change_prefix))
    return [_outcomes(change, s)[outcome] - _outcomes("", s)[outcome] for s in SEEDS]


def test_a_higher_top_rate_lowers_income_inequality_and_public_debt() -> None:
    """The top bracket (above 3 average annual wages) taxed at 65 % instead of 45 %:
    the richest households' disposable income falls relative to everyone else's (the
    Gini is measured on disposable income, shared/simulation/finance.py `incomes`),
    and the extra revenue goes to the government's account, so debt is lower."""
    assert all(e < 0 for e in _effects("top tax rate", "income Gini"))
    assert all(e < 0 for e in _effects("top tax rate", "public debt / GDP (last year)"))


def test_a_financeable_basic_income_lowers_inequality_and_unemployment_raises_debt() -> None:
    """A basic income of 0.2 average wages is the same sum for every adult (finance.py
    `incomes`): a larger share of a poor household's income than of a rich one's, so the
    income Gini falls. It is financed by bonds (fiscal.py `sell_bonds`): debt rises until
    the debt brake's surcharge and cuts hold it (about 2.5 times annual GDP), where the
    spread stays below the level at which buyers stop (no crisis). The transfer, spent at
    the propensity to consume, adds more demand than the brake takes: firms post more jobs,
    unemployment falls, and their wages and inflation rise."""
    prefix = "basic income 0.2 "
    assert all(e < 0 for e in _effects(prefix, "income Gini"))
    assert all(e < 0 for e in _effects(prefix, "unemployment"))
    assert all(e > 0.005 for e in _effects(prefix, "inflation"))
    assert all(e > 0 for e in _effects(prefix, "public debt / GDP (last year)"))


def test_a_basic_income_at_its_bound_meets_a_fiscal_crisis() -> None:
    """A basic income at its bound (one average wage) plans a deficit no buyer finances
    (ADR 0040): the spread passes `max_bond_spread` every month, and the budget must
    balance, so the basic income and purchases are cut to what revenue leaves after the
    entitlements and the coupons (fiscal.py `crisis_budget`). The lost demand brings a
    depression at first (its worst year's unemployment over five points above the default
    policy's; 8.6-12.6 in these seeds) and deflation, which costs the target its
    credibility, so expected inflation follows it down (ADR 0050): inflation falls below
    the default policy's.
    Debt fixed in money grows against a shrinking nominal GDP; and the cut falls on the
    transfers poor households live on while coupons keep going to savers, so the income
    Gini rises."""
    prefix = f"basic income {MAX_BASIC_INCOME:g} "
    assert all(e > 0.05 for e in _effects(prefix, "worst year's unemployment (from month 0)"))
    assert all(e > 0 for e in _effects(prefix, "public debt / GDP (last year)"))
    assert all(e < -0.01 for e in _effects(prefix, "inflation"))
    assert all(e > 0 for e in _effects(prefix, "income Gini"))


def test_purchases_cut_for_decades_cost_output() -> None:
    """The crisis of a basic income at its bound cuts public purchases by about four
    fifths for decades: public capital wears down and with it every firm's productivity
    (ADR 0053), so real GDP ends below the default policy's although unemployment is
    back near its level."""
    prefix = f"basic income {MAX_BASIC_INCOME:g} "
    assert all(e < 0 for e in _effects(prefix, "real GDP"))


def test_a_higher_inflation_target_raises_inflation() -> None:
    """The target enters expected inflation only through its credibility (finance.py
    `expectations`, ADR 0050): inflation below the new target costs the bank some
    credibility, so experienced inflation weighs more, and the Taylor rule
    (policy_rules.py) stops leaning against inflation until it reaches the new target.
    Wages follow expected inflation (goods.py `update_firms`): inflation rises."""
    assert all(e > 0.005 for e in _effects("inflation target", "inflation"))


def test_faster_token_issuance_raises_the_aia_supply() -> None:
    """Issuance mints a share of the AIA supply each month to AIA_GOV stakers
    (token_economy.py `rewards_and_staking`); only burning removes AIA, at a rate that
    does not depend on issuance: a higher issuance rate means a larger supply."""
    assert all(e > 0 for e in _effects("AIA issuance", "AIA supply (last year)"))
