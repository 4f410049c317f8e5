"""The goods market and the firms' side of it (after Lengnick 2013).

Households buy through their supplier links (goods_market: the cheapest linked firm
with stock first, rationed demand moving on to their other links, links replaced
when a supplier is dear or rationed them). Public purchases and firms' investment
(`public_purchases`, `firm_credit.finance_investment`) come through the same market as bulk
demand spread over firms by market share. Afterwards firms update their accounts,
expected sales, productivity (learning by doing, investment and imitation: the
labour-productivity feedback), wages (expected inflation, unemployment, own
productivity), the markup they aim for (their own stock against its band, pulled back
towards the normal markup) and, now and then, their posted price (`set_prices`);
market shares are smoothed shares of sales, and the weakest firms are replaced.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shared.simulation.capital import install
from shared.simulation.firm_credit import default_on_loans, finance_investment
from shared.simulation.fiscal import public_purchases
from shared.simulation.goods_market import revise_links, sell
from shared.simulation.month import F64Array, Month, distribute
from shared.simulation.public_capital import public_capital_gain
from shared.simulation.state import (
    GOODS,
    GOODS_LINKS,
    LINKS,
    MONTHS,
    Firms,
    normalise_shares,
)
from shared.simulation.stock_flow import BANK, FIRMS, GOVERNMENT, HOUSEHOLDS

BANKRUPTCY_MONTHS = 6.0  # debt beyond this many months of wages closes a firm
SHARE_MEMORY = 0.1  # monthly weight of this month's sales in a firm's market share


@dataclass(frozen=True)
class Market:
    demand_by_sector: F64Array  # money asked for, served or not


def goods_market(mo: Month) -> Market:
    b, firms = mo.b, mo.state.firms
    platform_share = mo.params.policy.tokens.platform_share
    health_share = b.health_spending_share
    goods_share = 1 - platform_share - health_share
    public_demand = public_purchases(mo)
    investment = finance_investment(mo)  # capital.py, firm_credit.py
    bulk_total = public_demand + float(investment.sum())

    is_goods = firms.sector == GOODS
    stock_value = firms.price * (firms.inventory + mo.output)
    stock_value[0] = 0.0
    mo.stocked_out = np.zeros(mo.f, dtype=np.bool_)
    goods = sell(
        mo,
        range(GOODS_LINKS),
        goods_share,
        np.where(is_goods, stock_value, 0.0),
        firms.share * is_goods * bulk_total,
    )
    health = sell(
        mo,
        range(GOODS_LINKS, LINKS),
        health_share,
        np.where(is_goods, 0.0, stock_value),
        np.zeros(mo.f),
    )
    revise_links(mo, (goods.rationed, health.rationed))

    mo.public_paid = public_demand * goods.bulk_fill
    mo.invested = investment * goods.bulk_fill
    # each household pays its spending less what no link could serve
    mo.deposits -= mo.spending
    mo.deposits[goods.short] += goods.unserved  # each household at most once a sector
    mo.deposits[health.short] += health.unserved
    unserved = float(goods.unserved.sum()) + float(health.unserved.sum())
    mo.household_paid = mo.spending_total * (1 - platform_share) - unserved
    ledger = mo.ledger
    ledger.record("sales", HOUSEHOLDS, -mo.household_paid)
    ledger.record("sales", GOVERNMENT, -mo.public_paid)
    revenue = goods.revenue + health.revenue
    ledger.record("sales", FIRMS, float(revenue.sum()) - float(mo.invested.sum()))
    mo.revenue, mo.demand = revenue, goods.demand + health.demand
    return Market(
        demand_by_sector=np.array(
            [goods_share * mo.spending_total + bulk_total, health_share * mo.spending_total]
        )
    )


def update_firms(mo: Month, market: Market) -> Firms:
    b, firms = mo.b, mo.state.firms
    # sectors as intp: bincount and gathers convert a uint8 index on every call
    f, sector = mo.f, firms.sector.astype(np.intp)
    revenue, demand = mo.revenue, mo.demand
    price = firms.price
    safe_price = np.maximum(price, 1e-300)

    profit = revenue - mo.wage_bill + mo.firm_interest
    profit[0] = 0.0
    deposits = mo.firm_cash + revenue - mo.wage_bill - mo.invested
    deposits[0] = 0.0
    units_sold = revenue / safe_price
    available = firms.inventory + mo.output
    inventory = (available - units_sold) * (1 - b.inventory_decay)
    expected = firms.expected_sales + b.demand_learning * (
        demand / safe_price - firms.expected_sales
    )

    # productivity: learning by doing, investment, imitation of the sector's average
    productivity = firms.productivity
    intensity = np.minimum(mo.invested / np.maximum(revenue, 1e-12), 1.0)
    growth = (b.learning_by_doing * mo.hours + b.investment_productivity * intensity) / MONTHS
    growth += b.innovation_volatility * mo.rng.standard_normal(f)
    labour = mo.labour
    weighted = labour * productivity
    sector_labour = np.bincount(sector, weights=labour, minlength=2)
    firms_in_sector = np.bincount(sector[1:], minlength=2).astype(np.float64)
    plain_mean = np.bincount(sector[1:], weights=productivity[1:], minlength=2) / np.maximum(
        firms_in_sector, 1
    )
    sector_mean = np.where(
        sector_labour > 1e-9,
        np.bincount(sector, weights=weighted, minlength=2) / np.maximum(sector_labour, 1e-12),
        plain_mean,
    )
    catch_up = b.imitation * (sector_mean[sector] / np.maximum(productivity, 1e-12) - 1)
    np.clip(catch_up, 0.0, 0.1, out=catch_up)
    new_productivity = productivity * (1 + growth + catch_up)
    new_productivity *= public_capital_gain(mo)  # public_capital.py
    new_productivity[0] = 0.0

    gain = new_productivity / np.maximum(productivity, 1e-300)
    # each firm's wage follows expected inflation and its own hiring difficulty: its
    # vacancy rate against the unemployment rate (a tight market where posts outnumber
    # seekers); no natural rate
    wage_growth = np.minimum(mo.firm_vacancy_rate, b.vacancy_pressure_cap)
    wage_growth -= mo.unemployment
    wage_growth *= b.wage_tightness_response
    wage_growth += mo.expected_inflation
    wage_growth /= MONTHS
    wage = firms.wage * (1 + wage_growth) * gain
    new_price, markup, price_age = set_prices(mo, wage, new_productivity, inventory, expected)

    revenue_by_sector = np.bincount(sector, weights=revenue, minlength=2)
    sales_share = revenue / np.maximum(revenue_by_sector[sector], 1e-300)
    share = normalise_shares(firms.share + SHARE_MEMORY * (sales_share - firms.share), sector)

    # exit and entry: firms too small or too indebted make way for entrants
    floor = 0.1 / np.maximum(firms_in_sector, 1)
    insolvent = deposits < -BANKRUPTCY_MONTHS * np.maximum(mo.wage_bill, 1e-9)
    insolvent[0] = False
    bust = share < floor[sector]
    bust |= insolvent
    bust[0] = False
    gone = np.flatnonzero(bust)
    mo.exits = int(gone.size)
    mo.bankruptcies = int(np.count_nonzero(insolvent))
    mo.written_off = 0.0
    mo.loan_losses = 0.0
    if gone.size:
        mo.loan_losses = default_on_loans(mo, gone)  # the entrant: the plant, what it secures
        # take, not bust[employer]: fancy indexing by int32 is about twice as slow
        mo.employer[np.flatnonzero(bust.take(mo.employer))] = 0
        debts = -np.minimum(deposits[gone], 0.0)
        mo.written_off = float(debts.sum())
        mo.ledger.transfer("write-offs", BANK, mo.written_off, FIRMS, float(debts.sum()))
        equity = float(np.maximum(deposits[gone], 0.0).sum())
        liquidation = distribute(equity, mo.owners, mo.owners_total, mo.alive)
        mo.deposits += liquidation
        mo.ledger.transfer("liquidations", FIRMS, equity, HOUSEHOLDS, float(liquidation.sum()))
        deposits[gone] = 0.0
        s = sector[gone]
        entrant = sector_mean[s] * np.exp(0.03 * mo.rng.standard_normal(gone.size))
        new_productivity[gone] = entrant
        plain_wage = np.bincount(sector[1:], weights=wage[1:], minlength=2) / np.maximum(
            firms_in_sector, 1
        )
        sector_wage = np.where(
            sector_labour > 1e-9,
            np.bincount(sector, weights=wage * labour, minlength=2)
            / np.maximum(sector_labour, 1e-12),
            plain_wage,
        )
        wage[gone] = sector_wage[s]
        markup[gone] = b.markup
        price_age[gone] = 0.0
        new_price[gone] = (1 + b.markup) * sector_wage[s] / entrant
        share[gone] = 0.5 / np.maximum(firms_in_sector[s], 1)
        share = normalise_shares(share, sector)
        inventory[gone] = 0.0
        expected[gone] = share[gone] * market.demand_by_sector[s] / new_price[gone]
        profit[gone] = 0.0
    wage[0] = 0.0
    return Firms(
        sector=firms.sector,
        productivity=new_productivity,
        price=new_price,
        wage=wage,
        markup=markup,
        price_age=price_age,
        inventory=inventory,
        expected_sales=expected,
        share=share,
        deposits=deposits,
        profit=profit,
        capital=install(mo),
        loans=mo.loans,
    )


def set_prices(
    mo: Month,
    wage: F64Array,
    productivity: F64Array,
    inventory: F64Array,
    expected: F64Array,
) -> tuple[F64Array, F64Array, F64Array]:
    """Each firm keeps a markup it aims for over unit labour cost and a price it posts.
    Lengnick (2013): a firm whose stock fell below its band (or that rationed a buyer)
    raises the markup it aims for, one whose stock rose above the band lowers it, each
    with probability `price_review` and by a random step up to `price_step`, within
    [`markup_floor`, `markup_ceiling`]; it then posts the price that markup gives. The
    aimed-for markup also returns, by `markup_reversion` a month, towards the normal
    markup `markup` (Kalecki's degree of monopoly): market signals move it, nothing
    accumulates (the old running sum of excess demand climbed to its cap). A
    firm also reprices when its posted price has drifted from that target by more than
    `price_tolerance` (a menu cost: costs move with wages and productivity every month,
    posted prices only now and then). Competition disciplines the markup through the
    customers' supplier links (goods_market). Returns the new prices, aimed-for markups
    and months since each price changed."""
    b, firms = mo.b, mo.state.firms
    f = mo.f
    cost = wage / np.maximum(productivity, 1e-300)
    scarce = (inventory < b.inventory_low * expected) | mo.stocked_out
    glut = (inventory > b.inventory_high * expected) & ~scarce
    review = mo.rng.random(f) < b.price_review
    step = mo.rng.random(f) * b.price_step
    move = np.where(scarce, step, np.where(glut, -step, 0.0))
    move *= review
    move += b.markup_reversion * (b.markup - firms.markup)
    markup = np.clip(firms.markup + move, b.markup_floor, b.markup_ceiling)
    target = (1 + markup) * cost
    drift = np.abs(firms.price / np.maximum(target, 1e-300) - 1)
    changed = (review & (scarce | glut)) | (drift > b.price_tolerance)
    new_price = np.where(changed, target, firms.price)
    new_price[0] = 0.0
    markup[0] = 0.0
    price_age = np.where(changed, 0.0, firms.price_age + 1)
    return new_price, markup, price_age
