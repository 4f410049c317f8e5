"""The goods market and the firms' side of it.

Demand (household spending, public purchases, investment) reaches each firm of a
sector in proportion to its market share; a firm sells what it has (inventory plus
this month's output), and demand it cannot serve spills over, in one closed-form
round, to firms with goods left. Afterwards firms update their accounts, expected
sales, productivity (learning by doing, investment and imitation: the labour-
productivity feedback), wages (expected inflation, unemployment, own productivity),
markups (excess demand) and, Calvo-style, prices; market shares follow relative
prices (replicator dynamics, Dosi et al. 2010) and the weakest firms are replaced.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shared.simulation.fiscal import public_purchases
from shared.simulation.month import F64Array, Month, distribute
from shared.simulation.state import MONTHS, Firms, normalise_shares
from shared.simulation.stock_flow import BANK, FIRMS, GOVERNMENT, HOUSEHOLDS

BANKRUPTCY_MONTHS = 6.0  # debt beyond this many months of wages closes a firm


@dataclass(frozen=True)
class Market:
    demand_by_sector: F64Array
    fill: F64Array  # share of each sector's demand served


def goods_market(mo: Month) -> Market:
    b, firms = mo.b, mo.state.firms
    platform_share = mo.params.policy.tokens.platform_share
    health_share = b.health_spending_share
    goods_share = 1 - platform_share - health_share

    public_demand = public_purchases(mo)
    investment = b.investment_share * np.maximum(firms.profit, 0.0)
    investment *= max(1 - b.rate_sensitivity * mo.real_rate_gap, 0.0)
    investment[0] = 0.0
    demand_by_sector = np.array(
        [
            goods_share * mo.spending_total + public_demand + float(investment.sum()),
            health_share * mo.spending_total,
        ]
    )
    sector = firms.sector
    demand = demand_by_sector[sector] * firms.share
    supply_value = firms.price * (firms.inventory + mo.output)
    sold = np.minimum(demand, supply_value)
    unmet = np.bincount(sector, weights=demand - sold, minlength=2)
    spare = supply_value - sold
    spare_total = np.bincount(sector, weights=spare, minlength=2)
    # min first: a tiny spare total would overflow unmet / spare (the share is at most 1)
    spill = np.minimum(unmet, spare_total) / np.maximum(spare_total, 1e-300)
    revenue = sold + spare * spill[sector]
    served = np.bincount(sector, weights=revenue, minlength=2)
    fill = np.where(demand_by_sector > 0, served / np.maximum(demand_by_sector, 1e-300), 1.0)

    mo.public_paid = public_demand * fill[0]
    mo.invested = investment * fill[0]
    consumer_fill = goods_share * fill[0] + health_share * fill[1]
    purchases = mo.spending * (consumer_fill + platform_share)
    mo.deposits -= purchases
    mo.household_paid = mo.spending_total * consumer_fill
    ledger = mo.ledger
    ledger.record(
        "sales", HOUSEHOLDS, -(float(purchases.sum()) - mo.spending_total * platform_share)
    )
    ledger.record("sales", GOVERNMENT, -mo.public_paid)
    ledger.record("sales", FIRMS, float(revenue.sum()) - float(mo.invested.sum()))
    mo.revenue, mo.demand = revenue, demand
    return Market(demand_by_sector=demand_by_sector, fill=fill)


def update_firms(mo: Month, market: Market) -> Firms:
    b, firms = mo.b, mo.state.firms
    f, sector = mo.f, firms.sector
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
    new_productivity[0] = 0.0

    wage_growth = (
        mo.expected_inflation
        + b.wage_unemployment_response * (b.natural_unemployment - mo.unemployment)
    ) / MONTHS
    gain = new_productivity / np.maximum(productivity, 1e-300)
    wage = firms.wage * (1 + wage_growth) * gain
    pressure = demand / np.maximum(firms.price * available, 1e-300) * (1 + b.inventory_target) - 1
    markup = np.clip(firms.markup + b.markup_adjustment * np.clip(pressure, -1, 1), 0.02, 1.0)
    target_price = (1 + markup) * wage / np.maximum(new_productivity, 1e-300)
    resets = mo.rng.random(f) < b.price_reset_probability
    new_price = np.where(resets, target_price, price)
    new_price[0] = 0.0

    sold_by_sector = np.bincount(sector, weights=units_sold, minlength=2)
    revenue_by_sector = np.bincount(sector, weights=revenue, minlength=2)
    mean_price = np.where(
        sold_by_sector > 0, revenue_by_sector / np.maximum(sold_by_sector, 1e-300), 1.0
    )
    lost = np.clip(1 - revenue / np.maximum(demand, 1e-300), 0, 1)
    competitiveness = mean_price[sector] / np.maximum(new_price, 1e-300)
    share = firms.share * (1 + b.share_competition * (competitiveness - 1)) * (1 - 0.5 * lost)
    share *= np.exp(b.share_volatility * mo.rng.standard_normal(f))
    share = normalise_shares(np.maximum(share, 0.0), sector)

    # exit and entry: firms too small or too indebted make way for entrants
    floor = 0.1 / np.maximum(firms_in_sector, 1)
    bust = (share < floor[sector]) | (
        deposits < -BANKRUPTCY_MONTHS * np.maximum(mo.wage_bill, 1e-9)
    )
    bust[0] = False
    gone = np.flatnonzero(bust)
    mo.exits = int(gone.size)
    mo.written_off = 0.0
    if gone.size:
        mo.employer[bust[mo.employer]] = 0
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
        new_price[gone] = (1 + b.markup) * sector_wage[s] / entrant
        share[gone] = 0.5 / np.maximum(firms_in_sector[s], 1)
        share = normalise_shares(share, sector)
        inventory[gone] = 0.0
        expected[gone] = share[gone] * market.demand_by_sector[s] / new_price[gone]
        profit[gone] = 0.0
    wage[0] = 0.0
    return Firms(
        sector=sector,
        productivity=new_productivity,
        price=new_price,
        wage=wage,
        markup=markup,
        inventory=inventory,
        expected_sales=expected,
        share=share,
        deposits=deposits,
        profit=profit,
    )
