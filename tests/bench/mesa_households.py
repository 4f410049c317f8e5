"""The household models of the speed comparison, written the Mesa way (one Agent per
household, a step method per agent), run by Mesa itself in its own virtualenv (the
project never depends on Mesa): `python mesa_households.py HOUSEHOLDS TICKS [minimal|
early|matched]` prints one JSON line with household-ticks per second.

matched (the comparison): what each of our households does in a month today, step by
step as shared/simulation does it (MatchedHousehold says which file does what): ageing,
death and an estate to an heir, a default beyond the credit line, interest, dividends
and staking payouts, a quit or layoff, applications to posted vacancies, pay or a
benefit, the progressive tax, spending within a floor and a credit line, the platform's
share in AIA, purchases through supplier links cheapest first and their revision, a
staking review and health. Firms are a list each of prices, wages, stock and posts
with a few rules, not agents: ours do far more (capital, credit, entry and exit), so
Mesa's cost is understated, not overstated.

early: the matched model as ADR 0041 wrote it (2026-12-06), before supplier links,
credit lines, defaults, dividends and staking reached the households: ageing, death,
health, separations and matching to firms, a wage or benefit, a progressive tax and
C = a1 YD + a2 V. Kept so that figures compare across sessions.

minimal: each tick every household draws whether it works this month (losing or
finding a job with fixed monthly chances), earns a wage or a benefit, pays a flat tax,
consumes out of income and savings (C = a1 YD + a2 V, Godley & Lavoie, as ours does)
and saves the rest; the model sums consumption and employment. A lower bound on
Mesa's cost for any model of ours."""

from __future__ import annotations

import itertools
import json
import math
import sys
import time
from typing import Any

import mesa

WAGE, BENEFIT, TAX = 1.0, 0.45, 0.25
A1, A2 = 0.8, 0.035
SEPARATION, FINDING = 0.015, 0.25


class Household(mesa.Agent):
    def __init__(self, model: HouseholdEconomy) -> None:
        super().__init__(model)
        self.employed = self.random.random() < 0.94
        self.savings = 6.0 * self.random.random()
        self.income = 0.0
        self.consumption = 0.0

    def step(self) -> None:
        if self.employed:
            self.employed = self.random.random() >= SEPARATION
        else:
            self.employed = self.random.random() < FINDING
        gross = WAGE if self.employed else BENEFIT
        self.income = gross * (1 - TAX)
        self.consumption = A1 * self.income + A2 * self.savings
        self.savings += self.income - self.consumption


class HouseholdEconomy(mesa.Model):
    def __init__(self, households: int, seed: int = 1) -> None:
        super().__init__(seed=seed)
        for _ in range(households):
            Household(self)
        self.consumption = 0.0
        self.employment = 0

    def step(self) -> None:
        self.agents.shuffle_do("step")
        self.consumption = sum(a.consumption for a in self.agents)
        self.employment = sum(a.employed for a in self.agents)


BRACKETS = ((0.0, 0.12), (0.5, 0.25), (1.25, 0.35), (3.0, 0.45))  # annual wages, rate
TOPS = (*(low for low, _ in BRACKETS[1:]), math.inf)


def annual_tax(annual: float) -> float:
    """The progressive schedule on an annual income, in average annual wages."""
    tax = 0.0
    for (low, rate), high in zip(BRACKETS, TOPS, strict=True):
        if annual > low:
            tax += rate * (min(annual, high) - low)
    return tax


FIRMS_PER_HOUSEHOLD = 1 / 20


class EarlyHousehold(mesa.Agent):
    def __init__(self, model: EarlyEconomy) -> None:
        super().__init__(model)
        self.age = 20 * 12 + int(self.random.random() * 60 * 12)
        self.health = 0.9
        self.skill = self.random.lognormvariate(-0.21, 0.65)
        self.employer = (
            self.random.randrange(len(model.wages)) if self.random.random() < 0.94 else -1
        )
        self.savings = 6.0 * self.skill * self.random.random()
        self.consumption = 0.0

    def step(self) -> None:
        m: EarlyEconomy = self.model
        rng = self.random
        # demography and health
        self.age += 1
        years = self.age / 12
        hazard = (
            0.0003 / 12 * math.exp(0.085 * max(years - 20, 0)) * math.exp(3 * (0.8 - self.health))
        )
        if rng.random() < hazard:
            m.estates += max(self.savings, 0.0)
            self.age, self.health, self.savings, self.employer = 240, 0.93, 0.0, -1
            self.skill = rng.lognormvariate(-0.21, 0.65)
        target = min(max(0.95 - 0.007 * max(years - 35, 0), 0.2), 1.0)
        self.health += 0.05 * (target - self.health)
        if rng.random() < 0.01:
            self.health = max(self.health - 0.35 * (0.5 + rng.random()), 0.01)
        retired = years >= 65
        in_labour_force = not retired and self.health >= 0.4
        # labour market
        if self.employer >= 0 and (not in_labour_force or rng.random() < 0.015):
            self.employer = -1
        elif self.employer < 0 and in_labour_force and rng.random() < m.finding:
            self.employer = rng.choices(m.hiring, m.vacancies)[0]
        efficiency = self.skill * (0.4 + 0.6 * self.health)
        if self.employer >= 0:
            gross = m.wages[self.employer] * efficiency
            m.labour[self.employer] += efficiency
        else:
            gross = (0.45 if in_labour_force or retired else 0.0) * self.skill
        # progressive tax on annual income, in average annual wages
        income = gross - annual_tax(12 * gross) / 12
        spending = 0.8 * income + 0.035 * max(self.savings, 0.0)
        spending = min(max(spending, 0.3), self.savings + income + 4.0)
        self.savings += income - spending
        self.consumption = spending


class EarlyEconomy(mesa.Model):
    def __init__(self, households: int, seed: int = 1) -> None:
        super().__init__(seed=seed)
        firms = max(10, int(households * FIRMS_PER_HOUSEHOLD))
        self.wages = [1.0 + 0.05 * self.random.random() for _ in range(firms)]
        self.hiring = list(range(firms))
        self.vacancies = [1.0] * firms
        self.labour = [0.0] * firms
        self.finding, self.estates, self.consumption = 0.25, 0.0, 0.0
        for _ in range(households):
            EarlyHousehold(self)

    def step(self) -> None:
        self.labour = [0.0] * len(self.wages)
        self.agents.shuffle_do("step")
        self.consumption = sum(a.consumption for a in self.agents)
        # firms: vacancies where staff is short of the mean, wages follow
        mean = sum(self.labour) / len(self.labour)
        self.vacancies = [max(mean - x, 0.0) + 1e-6 for x in self.labour]
        self.wages = [
            w * (1.002 + 0.001 * (v > 1)) for w, v in zip(self.wages, self.vacancies, strict=True)
        ]


# today's month (issue 17's markets and credit), in the order model.py runs it
MONTHLY_RATE, LOAN_SPREAD = 0.04 / 12, 0.02 / 12
BENEFIT_RATE, PENSION_RATE, MINIMUM_INCOME = 0.45, 0.45, 0.35
SUBSISTENCE, BORROWING_LIMIT, JOBLESS_LINE = 0.3, 4.0, 0.75
GOODS_LINKS, HEALTH_LINKS, HEALTH_SHARE, PLATFORM_SHARE = 3, 2, 0.1, 0.03
RATION_SWITCHING, PRICE_SEARCH, SWITCH_THRESHOLD = 0.25, 0.1, 0.02
SEARCH_INTENSITY, SEARCH_ROUNDS, WAGE_APPEAL = 0.25, 2, 2.0
STAKING_REVIEW, STAKING_WISH = 0.05, 0.6
BULK_DEMAND = 0.5  # public purchases and investment, per unit of households' purchases


class MatchedHousehold(mesa.Agent):
    """One household's month as shared/simulation does it today: demography and
    estates (demography.py), a default beyond the credit line (credit.py), interest,
    dividends pro rata to savings and staking payouts (finance.opening_flows), a quit or
    layoff and applications to posted vacancies drawn by posts x wage appeal
    (labour.py), pay, benefits with a minimum income and the progressive tax
    (finance.incomes), spending with thrift by skill, a floor and a credit line
    (finance.spend), the platform's share paid in AIA (token_economy.py), purchases
    through its supplier links, cheapest first, and their revision (goods_market.py),
    a staking review, and health that follows age, spending and unemployment."""

    def __init__(self, model: MatchedEconomy) -> None:
        super().__init__(model)
        rng = self.random
        self.age = 20 * 12 + int(rng.random() * 60 * 12)
        self.health = 0.9
        self.skill = rng.lognormvariate(-0.21, 0.65)
        self.employer = rng.randrange(model.firms) if rng.random() < 0.94 else -1
        self.deposits = 6.0 * self.skill * rng.lognormvariate(-0.5, 1.0)
        self.aia = 0.03
        self.gov = rng.paretovariate(1.5) if rng.random() < 0.2 else 0.0
        self.staked = self.gov > 0 and rng.random() < STAKING_WISH
        goods, health = model.goods_firms, model.health_firms
        self.links = sorted(rng.sample(goods, GOODS_LINKS), key=model.price.__getitem__)
        self.health_links = sorted(rng.sample(health, HEALTH_LINKS), key=model.price.__getitem__)
        self.spending = 0.0
        self.alive = True

    def step(self) -> None:
        m: MatchedEconomy = self.model
        rng = self.random
        self._age_and_die(m, rng)
        if not self.alive:
            if rng.random() >= 0.5:  # household formation
                return
            self.alive, self.age, self.health = True, 240, min(max(rng.gauss(0.93, 0.04), 0.5), 1)
            self.skill = rng.lognormvariate(-0.21, 0.65)
        years = self.age / 12
        retired = years >= 65
        in_labour_force = not retired and self.health >= 0.4
        line = BORROWING_LIMIT * m.average_wage
        jobless = self.employer < 0 and not retired
        own_line = JOBLESS_LINE * line if jobless else line
        if self.deposits < -own_line:
            m.written_off += -own_line - self.deposits
            self.deposits = -own_line
        # opening flows
        interest = self.deposits * MONTHLY_RATE + min(self.deposits, 0.0) * LOAN_SPREAD
        owners = max(self.deposits, 0.0)
        dividends = m.dividend_per_saving * owners
        if self.staked:
            dividends += self.gov * m.payout_per_stake
            self.aia += self.gov * m.reward_per_stake
        # labour market
        if self.employer >= 0 and (not in_labour_force or rng.random() < m.leave[self.employer]):
            self.employer = -1
        efficiency = self.skill * (0.4 + 0.6 * self.health)
        if self.employer < 0 and in_labour_force:
            for _ in range(SEARCH_ROUNDS):
                if rng.random() >= SEARCH_INTENSITY or not m.open_total:
                    continue
                firm = rng.choices(m.hiring, cum_weights=m.appeal_cdf)[0]
                if m.posts[firm] > 0:
                    m.posts[firm] -= 1
                    self.employer = firm
                    break
        wage = 0.0
        if self.employer >= 0:
            wage = m.pay_rate[self.employer] * efficiency
            m.labour[self.employer] += efficiency
        # incomes and the progressive tax on annual income, in average annual wages
        jobless = self.employer < 0 and not retired
        entitlement = (BENEFIT_RATE if jobless else PENSION_RATE if retired else 0.0) * self.skill
        if jobless or retired:
            entitlement = max(entitlement, MINIMUM_INCOME * m.average_wage / m.unit_wage)
        transfers = entitlement * m.unit_wage
        taxable = wage + transfers + dividends + max(interest, 0.0)
        tax = annual_tax(12 * taxable / m.average_wage) * m.average_wage / 12
        disposable = taxable - max(interest, 0.0) + interest - tax
        # spending out of earned income and wealth, within a floor and a credit line
        thrift = max(1 + (self.skill - 1), 0.2)
        earned = max(disposable - dividends - interest, 0.0) * 0.8
        spending = (self.deposits * 0.023 / thrift + earned) * m.appetite
        self.deposits += disposable
        spending = max(spending, SUBSISTENCE * m.average_wage)
        ceiling = self.deposits + (JOBLESS_LINE * line if jobless else line)
        spending = min(spending, max(ceiling, 0.0))
        # the platform's share, paid in AIA while it lasts
        in_aia = min(self.aia, spending * PLATFORM_SHARE / m.aia_price)
        self.aia -= in_aia
        self.deposits += in_aia * m.aia_price
        # purchases: each sector's links in order, cheapest first
        goods, short_of_goods = self._buy(
            m, self.links, spending * (1 - PLATFORM_SHARE - HEALTH_SHARE)
        )
        care, short_of_care = self._buy(m, self.health_links, spending * HEALTH_SHARE)
        self.deposits -= goods + care + spending * PLATFORM_SHARE
        self.spending = spending
        self._revise_links(m, rng, short_of_goods, short_of_care)
        if self.gov > 0 and rng.random() < STAKING_REVIEW:
            self.staked = rng.random() < STAKING_WISH
        # health: drift towards a target by age, care bought and work, then shocks
        relative = min(max(spending / m.mean_spending, 0.1), 5.0)
        target = min(max(0.95 - 0.007 * max(years - 35, 0), 0.2), 1.0)
        target += 0.06 * math.log(relative)
        if in_labour_force and self.employer < 0:
            target -= 0.03
        self.health += 0.05 * (target - self.health)
        if rng.random() < 0.01:
            self.health -= 0.35 * (0.5 + rng.random())
        self.health = min(max(self.health, 0.01), 1.0)

    def _age_and_die(self, m: MatchedEconomy, rng: Any) -> None:
        if not self.alive:
            return
        self.age += 1
        years = self.age / 12
        hazard = 0.0003 / 12 * math.exp(0.085 * max(years - 20, 0))
        if rng.random() < hazard * math.exp(3 * (0.8 - self.health)):
            heir = rng.choice(m.households)  # the estate, less its tax, and the tokens
            heir.deposits += self.deposits - 0.2 * max(self.deposits, 0.0)
            heir.aia += self.aia
            heir.gov += self.gov
            self.deposits = self.aia = self.gov = 0.0
            self.employer, self.alive = -1, False

    def _buy(self, m: MatchedEconomy, links: list[int], wanted: float) -> tuple[float, bool]:
        """Money spent, and whether the first link rationed the household."""
        left = wanted
        for firm in links:
            stock = m.stock_value[firm]
            taken = min(left, stock)
            m.stock_value[firm] = stock - taken
            m.revenue[firm] += taken
            left -= taken
            if left <= 0:
                break
        return wanted - left, m.stock_value[links[0]] <= 0

    def _revise_links(
        self, m: MatchedEconomy, rng: Any, short_of_goods: bool, short_of_care: bool
    ) -> None:
        changed = False
        # a firm is found in proportion to its market share (goods_market._replace)
        if short_of_goods and rng.random() < RATION_SWITCHING:
            candidate = rng.choices(m.goods_firms, cum_weights=m.goods_cdf)[0]
            if candidate not in self.links:
                self.links[0], changed = candidate, True
        if short_of_care and rng.random() < RATION_SWITCHING:
            candidate = rng.choices(m.health_firms, cum_weights=m.health_cdf)[0]
            if candidate not in self.health_links:
                self.health_links[0], changed = candidate, True
        if rng.random() < PRICE_SEARCH:
            links = self.links if rng.random() < 0.6 else self.health_links
            i = rng.randrange(len(links))
            candidate_firm = (
                rng.choices(m.goods_firms, cum_weights=m.goods_cdf)[0]
                if links is self.links
                else rng.choices(m.health_firms, cum_weights=m.health_cdf)[0]
            )
            dearer = m.price[links[i]] * (1 - SWITCH_THRESHOLD)
            if candidate_firm not in links and m.price[candidate_firm] < dearer:
                links[i], changed = candidate_firm, True
        if changed:
            self.links.sort(key=m.price.__getitem__)
            self.health_links.sort(key=m.price.__getitem__)


class MatchedEconomy(mesa.Model):
    """Firms are lists, as before: what they do is the same few operations per firm in
    both models, and the comparison is per household."""

    def __init__(self, households: int, seed: int = 1) -> None:
        super().__init__(seed=seed)
        rng = self.random
        self.firms = max(10, int(households * FIRMS_PER_HOUSEHOLD))
        health = max(2, self.firms // 10)
        self.goods_firms = list(range(self.firms - health))
        self.health_firms = list(range(self.firms - health, self.firms))
        self.hiring = list(range(self.firms))
        self.price = [1.33 * (1 + 0.05 * rng.random()) for _ in range(self.firms)]
        self.wage = [1.0] * self.firms
        self.productivity = [1.0 + 0.05 * rng.random() for _ in range(self.firms)]
        self.inventory = [0.0] * self.firms
        self.labour = [0.0] * self.firms
        self.leave = [0.015] * self.firms
        self.posts = [0] * self.firms
        self.appeal_cdf = list(range(1, self.firms + 1))
        self.open_total = 0
        self.average_wage = self.unit_wage = self.aia_price = self.appetite = 1.0
        self.mean_spending = 1.0
        self.dividend_per_saving = self.payout_per_stake = self.reward_per_stake = 0.0
        self.written_off = 0.0
        self.households = [MatchedHousehold(self) for _ in range(households)]
        for household in self.households:
            if household.employer >= 0:
                eff = household.skill * (0.4 + 0.6 * household.health)
                self.labour[household.employer] += eff
        self.pay_rate = list(self.wage)
        self.expected = [x * p for x, p in zip(self.labour, self.productivity, strict=True)]
        self.revenue = [1.0] * self.firms  # last month's sales, which bulk buyers follow
        self.share = [1.0] * self.firms  # smoothed sales: what searchers find firms by
        self.profit = 0.0

    def step(self) -> None:
        households = self.households
        # opening flows: dividends pro rata to savings, the treasury's payout to stakers
        savings = sum(max(h.deposits, 0.0) for h in households)
        self.dividend_per_saving = max(self.profit, 0.0) / max(savings, 1e-9)
        staked = sum(h.gov for h in households if h.staked)
        self.payout_per_stake = 0.001 * len(households) / max(staked, 1e-9)
        supply = sum(h.aia for h in households)
        self.reward_per_stake = 0.04 / 12 * supply / max(staked, 1e-9)
        # firms plan from expected sales and stock: output, separations and posts
        needed = [
            max(e * (1 + 0.18 * (0.5 - inv / max(e, 1e-9))), 0.0) / prod
            for e, inv, prod in zip(self.expected, self.inventory, self.productivity, strict=True)
        ]
        self.stock_value = [
            (inv + lab * prod) * p
            for inv, lab, prod, p in zip(
                self.inventory, self.labour, self.productivity, self.price, strict=True
            )
        ]
        self.leave = [
            0.015 + 0.25 * min(max((x - need) / max(x, 1e-12), 0.0), 1.0)
            for x, need in zip(self.labour, needed, strict=True)
        ]
        self.posts = [
            int(max(need - x, 0.0) / 0.9 + self.random.random())
            for need, x in zip(needed, self.labour, strict=True)
        ]
        self.open_total = sum(self.posts)
        mean_wage = sum(self.wage) / self.firms
        weights = [
            p * (w / mean_wage) ** WAGE_APPEAL for p, w in zip(self.posts, self.wage, strict=True)
        ]
        self.appeal_cdf = list(itertools.accumulate(weights))
        if self.appeal_cdf[-1] <= 0:
            self.open_total = 0
        self.pay_rate = list(self.wage)
        self.labour = [0.0] * self.firms
        self.goods_cdf = list(itertools.accumulate(self.share[f] for f in self.goods_firms))
        self.health_cdf = list(itertools.accumulate(self.share[f] for f in self.health_firms))
        # public purchases and investment: bulk buyers spread by last month's sales
        self.revenue = [
            min(BULK_DEMAND * r, v) for r, v in zip(self.revenue, self.stock_value, strict=True)
        ]
        self.stock_value = [v - r for v, r in zip(self.stock_value, self.revenue, strict=True)]
        self.agents.shuffle_do("step")
        spending = [h.spending for h in households if h.alive]
        self.mean_spending = max(sum(spending) / max(len(spending), 1), 1e-9)
        # firms: unsold stock, prices from it, wages from hiring difficulty, profit
        self.profit = 0.0
        for f in range(self.firms):
            made = self.labour[f] * self.productivity[f]
            sold = self.revenue[f] / self.price[f]
            self.expected[f] += 0.14 * (sold - self.expected[f])
            self.inventory[f] = max(self.inventory[f] + made - sold, 0.0) * 0.95
            ratio = self.inventory[f] / max(sold, 1e-9)
            if ratio < 0.2:
                self.price[f] *= 1.02
            elif ratio > 1.0:
                self.price[f] *= 0.98
            self.wage[f] *= 1.0 + 0.001 * (self.posts[f] > 0)
            self.profit += self.revenue[f] - self.wage[f] * self.labour[f]
            self.share[f] += 0.1 * (self.revenue[f] - self.share[f])


MODELS = {"minimal": HouseholdEconomy, "early": EarlyEconomy, "matched": MatchedEconomy}


def main() -> None:
    households, ticks = int(sys.argv[1]), int(sys.argv[2])
    variant = sys.argv[3] if len(sys.argv) > 3 else "minimal"
    model = MODELS[variant](households)
    model.step()  # warm-up
    started = time.perf_counter()
    for _ in range(ticks):
        model.step()
    elapsed = time.perf_counter() - started
    print(
        json.dumps(
            {
                "mesa_version": mesa.__version__,
                "model": variant,
                "households": households,
                "ticks": ticks,
                "seconds": round(elapsed, 3),
                "household_ticks_per_second": round(households * ticks / elapsed),
            }
        )
    )


if __name__ == "__main__":
    main()
