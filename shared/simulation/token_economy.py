"""The two platform tokens.

AIA pays for platform services. Households pay from their holdings and buy any
shortfall from the treasury at the AIA price; the treasury burns a share of what it
receives and mints only what it cannot sell from stock (and the issuance paid to
stakers). Its price rises when the treasury's stock covered few months of sales and
falls when it covered many. AIA_GOV is held and staked; stakers receive the month's
AIA issuance and the treasury's money revenue pro rata. The staked share moves with
the policy rate (the opportunity cost of locking tokens).

Both supplies change only by mint and burn: supply = minted - burned = the sum of all
holdings, checked every tick (`token_error`).
"""

from __future__ import annotations

import numpy as np

from shared.simulation.month import Month
from shared.simulation.state import MONTHS, STAKED
from shared.simulation.stock_flow import HOUSEHOLDS, TREASURY

STAKING_REVIEW = 0.05  # share of holders reconsidering their stake each month
TREASURY_COVER_MONTHS = 2.0  # AIA stock the treasury aims to hold, in months of sales
AIA_PRICE_SPEED = 0.02  # monthly price move when the stock is far from that


def rewards_and_staking(mo: Month) -> None:
    m, tokens = mo.state.macro, mo.params.policy.tokens
    supply = float(mo.aia.sum()) + m.treasury_aia
    mo.aia_minted = tokens.issuance_rate / MONTHS * supply
    mo.treasury_aia = m.treasury_aia
    staked_total = float(mo.staked_gov.sum())
    if staked_total > 0:
        mo.aia_rewards = mo.aia_minted
        mo.aia[mo.holders] += mo.staked_gov * (mo.aia_rewards / staked_total)
    else:
        mo.aia_rewards = 0.0
        mo.treasury_aia += mo.aia_minted
    if mo.holders.size:
        monetary = mo.params.policy.monetary
        reference = monetary.neutral_real_rate + monetary.inflation_target
        wish = tokens.staking_target - tokens.staking_rate_sensitivity * (mo.rate - reference)
        wish = min(max(wish, 0.0), 1.0)
        review = mo.rng.random(mo.holders.size)
        reviewing = review < STAKING_REVIEW
        who = mo.holders[reviewing]
        stake = (review[reviewing] / STAKING_REVIEW) < wish
        mo.flags[who] = (mo.flags[who] & ~STAKED) | (stake * STAKED).astype(np.uint8)


def platform_payments(mo: Month, platform_share: float) -> None:
    """Platform services worth `platform_share` of spending, settled in AIA. The
    money part has already been taken from deposits by the caller, for everybody;
    holders get back the money value of what they paid in AIA."""
    m, tokens = mo.state.macro, mo.params.policy.tokens
    price = m.aia_price
    wanted_per_money = platform_share / price
    mo.platform_value = mo.spending_total * platform_share
    wanted_total = mo.spending_total * wanted_per_money
    holding = np.flatnonzero(mo.aia != 0)  # on a mask: ~8x faster than on floats
    from_holdings = np.minimum(mo.aia[holding], mo.spending[holding] * wanted_per_money)
    mo.aia[holding] -= from_holdings
    mo.deposits[holding] += from_holdings * price
    paid_in_aia = float(from_holdings.sum())
    sold = wanted_total - paid_in_aia
    mo.platform_money = mo.platform_value - paid_in_aia * price
    mo.ledger.transfer("platform", HOUSEHOLDS, mo.platform_money, TREASURY, sold * price)

    stock = mo.treasury_aia
    shortfall = max(sold - stock, 0.0)  # the treasury mints what it cannot sell
    mo.aia_minted += shortfall
    mo.aia_paid = wanted_total
    mo.aia_burned = tokens.burn_rate * wanted_total
    mo.treasury_aia = stock + shortfall - sold + wanted_total - mo.aia_burned
    coverage = stock / max(sold, 1e-12)
    move = float(np.clip(1 - coverage / TREASURY_COVER_MONTHS, -1.0, 1.0))
    mo.aia_price = price * (1 + AIA_PRICE_SPEED * move)
