"""Stock-flow consistency, checked every month (Godley & Lavoie; Caiani et al. 2016).

Five sectors hold money: households, firms, the government, the bank and the platform
treasury. Every account is a claim on the bank, so the sectors' net financial wealth
(the bank's is its equity) sums to zero. Each flow of the month is recorded from both
sides, each side summed from its own arrays: a row of the transaction-flow matrix must
sum to zero, and each sector's change in money must equal the sum of its column.
"""

from __future__ import annotations

import math

SECTORS = ("households", "firms", "government", "bank", "treasury")
HOUSEHOLDS, FIRMS, GOVERNMENT, BANK, TREASURY = range(5)


class Ledger:
    def __init__(self, opening: list[float]) -> None:
        self.opening = opening
        self.rows: dict[str, list[float]] = {}

    def record(self, flow: str, sector: int, amount: float) -> None:
        """`amount` received by `sector` in `flow` (negative when paid)."""
        row = self.rows.get(flow)
        if row is None:
            row = self.rows[flow] = [0.0] * len(SECTORS)
        row[sector] += amount

    def transfer(self, flow: str, payer: int, paid: float, payee: int, received: float) -> None:
        """One flow seen from both sides; `paid` and `received` are summed separately."""
        self.record(flow, payer, -paid)
        self.record(flow, payee, received)

    def matrix(self) -> dict[str, dict[str, float]]:
        """The month's transaction-flow matrix: flow -> sector -> amount received."""
        return {flow: dict(zip(SECTORS, row, strict=True)) for flow, row in self.rows.items()}

    def error(self, closing: list[float]) -> float:
        """The largest relative discrepancy: a row not summing to zero, a sector whose
        money changed by other than its flows, or stocks not summing to zero; infinite
        if any amount is NaN or infinite (`max()` would skip a NaN and report 0.0)."""
        amounts = [*self.opening, *closing, *(v for row in self.rows.values() for v in row)]
        if not all(math.isfinite(v) for v in amounts):
            return math.inf
        worst = 0.0
        columns = [0.0] * len(SECTORS)
        turnover = [0.0] * len(SECTORS)
        for row in self.rows.values():
            gross = sum(abs(v) for v in row)
            if gross > 0:
                worst = max(worst, abs(sum(row)) / gross)
            for sector, amount in enumerate(row):
                columns[sector] += amount
                turnover[sector] += abs(amount)
        for sector, column in enumerate(columns):
            before, after = self.opening[sector], closing[sector]
            # relative to the stocks and the flows: an account that opens and closes at
            # zero (the government's, once its bonds are sold) has rounding of its flows
            scale = abs(before) + abs(after) + turnover[sector] + 1e-300
            worst = max(worst, abs(after - before - column) / scale)
        total = sum(abs(v) for v in closing) + 1e-300
        return max(worst, abs(sum(closing)) / total)
