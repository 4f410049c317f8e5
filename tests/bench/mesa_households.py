"""The household models of the speed comparison, written the Mesa way (one Agent per
household, a step method per agent), run by Mesa itself in its own virtualenv (the
project never depends on Mesa): `python mesa_households.py HOUSEHOLDS TICKS [minimal|
matched]` prints one JSON line with household-ticks per second.

minimal: each tick every household draws whether it works this month (losing or
finding a job with fixed monthly chances), earns a wage or a benefit, pays a flat tax,
consumes out of income and savings (C = a1 YD + a2 V, Godley & Lavoie, as ours does)
and saves the rest; the model sums consumption and employment. Income, consumption
and savings and nothing else: a lower bound on Mesa's cost for our model.

matched: what each of our households does in a month (shared/simulation/demography.py,
labour.py, finance.py): it ages, may die (Gompertz hazard scaled by health; the slot
is refilled by a young adult), its health drifts to an age target and takes shocks,
it leaves the labour force when ill or retired, works for a firm (separations; seekers
matched to firms with vacancies), earns its firm's wage times its efficiency or a
benefit or pension, pays a progressive tax, consumes C = a1 YD + a2 V within a floor
and a credit line, and saves. Firms are a list of wages and vacancies, not agents."""

from __future__ import annotations

import json
import math
import sys
import time

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
FIRMS_PER_HOUSEHOLD = 1 / 20


class MatchedHousehold(mesa.Agent):
    def __init__(self, model: MatchedEconomy) -> None:
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
        m: MatchedEconomy = self.model
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
        annual = 12 * gross
        tax = 0.0
        for (low, rate), (high, _) in zip(BRACKETS, (*BRACKETS[1:], (math.inf, 0.0)), strict=True):
            if annual > low:
                tax += rate * (min(annual, high) - low)
        income = gross - tax / 12
        spending = 0.8 * income + 0.035 * max(self.savings, 0.0)
        spending = min(max(spending, 0.3), self.savings + income + 4.0)
        self.savings += income - spending
        self.consumption = spending


class MatchedEconomy(mesa.Model):
    def __init__(self, households: int, seed: int = 1) -> None:
        super().__init__(seed=seed)
        firms = max(10, int(households * FIRMS_PER_HOUSEHOLD))
        self.wages = [1.0 + 0.05 * self.random.random() for _ in range(firms)]
        self.hiring = list(range(firms))
        self.vacancies = [1.0] * firms
        self.labour = [0.0] * firms
        self.finding, self.estates, self.consumption = 0.25, 0.0, 0.0
        for _ in range(households):
            MatchedHousehold(self)

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


MODELS = {"minimal": HouseholdEconomy, "matched": MatchedEconomy}


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
